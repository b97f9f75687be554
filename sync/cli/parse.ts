/**
 * Option-argument parsers shared by commands.
 *
 * @example
 * ```ts
 * command.option('-p, --port <n>', 'port to listen on', parsePort, 8787);
 * ```
 */
import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) throw new InvalidArgumentError('not a port number');
  return parsed;
}

/** A share between 0 and 1 (`0.5`), or a percentage (`50%`). */
export function parseShare(value: string): number {
  const parsed = value.endsWith('%') ? Number(value.slice(0, -1)) / 100 : Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new InvalidArgumentError('not a share between 0 and 1 (or 0% and 100%)');
  return parsed;
}
