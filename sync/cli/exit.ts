/**
 * How every `edgress` command ends: one map of exit statuses (documented in
 * docs/reference/cli.md, "Exit codes"), the errors that carry one, and the
 * one-line description of a failure, never a stack trace.
 *
 * @example
 * ```ts
 * if (!flags.out) throw new UsageError('give --out <file>'); // exits 2
 * throw listenFailure(error, '--metrics-port');              // exits 1, naming the port
 * ```
 */
import { UsageError } from '../common/usage-error.ts';

export { UsageError };

/** Exit statuses of every command. */
export const EXIT = {
  /** Done (or, for a server, stopped by SIGINT/SIGTERM). */
  ok: 0,
  /** A runtime failure, or a check that found problems (`compile --strict`, `explain` without a match, `doctor`). */
  failed: 1,
  /** Usage: unknown command or option, a bad or missing argument, flags that do not go together, unusable configuration. */
  usage: 2,
  /** `sync --once`: a table that would remove too many routes was held back. */
  held: 3,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];


/** A runtime failure already described in one line for the user (exit status 1 unless given). */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  readonly status: ExitStatus;

  constructor(message: string, status: ExitStatus = EXIT.failed) {
    super(message);
    this.status = status;
  }
}

/** The exit status an error thrown out of a command ends the process with. */
export function exitStatusOf(error: unknown): ExitStatus {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof CliFailure) return error.status;
  return EXIT.failed;
}

/**
 * A failure to listen on a port, in one line that names the port and what
 * to do; undefined when `error` is something else.
 */
export function listenFailure(error: unknown, flag: string): CliFailure | undefined {
  const cause = errnoOf(error);
  if (!cause || (cause.syscall !== 'listen' && !/EADDRINUSE|address already in use/i.test(cause.message))) return undefined;
  const where = cause.port !== undefined ? `port ${cause.port}${cause.address ? ` on ${cause.address}` : ''}` : 'the port';
  if (cause.code === 'EADDRINUSE' || /address already in use/i.test(cause.message)) {
    return new CliFailure(`${where} is already in use: stop the program listening there, or choose another port with ${flag} <n> (0 picks a free one)`);
  }
  if (cause.code === 'EACCES') return new CliFailure(`${where}: permission denied (ports below 1024 need privileges): choose another port with ${flag} <n>`);
  if (cause.code === 'EADDRNOTAVAIL') return new CliFailure(`cannot listen on ${where}: no such address on this machine`);
  return undefined;
}

/** One line saying what failed: the message of an error, or its system error named plainly. */
export function describeFailure(error: unknown): string {
  // Only the error's own system code: a wrapping error's message already says more than its cause's path.
  const cause = error instanceof Error && (error as NodeJS.ErrnoException).code !== undefined ? (error as NodeJS.ErrnoException) : undefined;
  if (cause?.code === 'ENOENT' && cause.path !== undefined) return `${cause.path}: no such file or directory`;
  if ((cause?.code === 'EACCES' || cause?.code === 'EPERM') && cause.path !== undefined) return `${cause.path}: permission denied`;
  if (cause?.code === 'EISDIR' && cause.path !== undefined) return `${cause.path}: is a directory`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unknown error';
}

function errnoOf(error: unknown): (NodeJS.ErrnoException & { port?: number; address?: string }) | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth += 1) {
    if ((current as NodeJS.ErrnoException).code !== undefined || /EADDRINUSE/.test(current.message)) return current as NodeJS.ErrnoException;
  }
  return undefined;
}
