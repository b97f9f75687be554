/**
 * The `edgress` program: its commands, listed by name, and how it ends.
 * `main.ts` (the repository's `edgress`) has them all; `agent-main.ts` (the
 * agent's container image) all but `dev` and `doctor`, which need a checkout.
 *
 * Every command behaves the same way: `--version`; help wrapped at the
 * terminal width; exit status 2 for any usage error, whether commander or a
 * command finds it; one line on stderr, never a stack trace, for a failure
 * (`./exit.ts`).
 *
 * @example
 * ```ts
 * await runEdgress(edgressProgram([...clusterCommands(), devCommand()]), process.argv);
 * ```
 */
import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { compileCommand } from './compile-command.ts';
import { describeFailure, EXIT, exitStatusOf } from './exit.ts';
import { explainCommand } from './explain-command.ts';
import { helpConfiguration, helpWidth } from './help-format.ts';
import { rollbackCommand } from './rollback-command.ts';
import { syncCommand } from './sync-command.ts';
import { tunnelConfigCommand } from './tunnel-config-command.ts';

export const VERSION: string = packageJson.version;

/** Every command a cluster or a CI job runs (no local runtime needed). */
export function clusterCommands(): Command[] {
  return [compileCommand(), explainCommand(), rollbackCommand(), syncCommand(), tunnelConfigCommand()];
}

export function edgressProgram(commands: readonly Command[]): Command {
  const program = new Command('edgress')
    .description('Kubernetes Ingress (with Traefik 1.7 annotations) served at the edge by a Cloudflare Worker.')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command');
  for (const command of [...commands].sort((a, b) => a.name().localeCompare(b.name()))) program.addCommand(command);
  return program;
}

/** Runs the program to its end: sets the exit status, or exits with one. */
export async function runEdgress(program: Command, argv: readonly string[]): Promise<void> {
  let erring: Command = program;
  const width = helpWidth();
  const configure = (command: Command): void => {
    command
      .helpOption('-h, --help', 'show this help')
      .exitOverride()
      .configureHelp(helpConfiguration(width))
      .configureOutput({ outputError: (text, write) => ((erring = command), write(text)) });
    command.commands.forEach(configure);
  };
  configure(program);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    process.exit(reportError(error, erring));
  }
}

function reportError(error: unknown, command: Command): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === EXIT.ok) return EXIT.ok;
    // A command's own command.error(…, { exitCode }) keeps its status; everything commander finds is usage.
    if (error.code === 'commander.error') return error.exitCode;
    if (error.code !== 'commander.help') process.stderr.write(`Run '${commandPath(command)} --help' for usage.\n`);
    return EXIT.usage;
  }
  process.stderr.write(`error: ${describeFailure(error)}\n`);
  return exitStatusOf(error);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent) names.unshift(current.name());
  return names.join(' ');
}
