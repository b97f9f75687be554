/**
 * Checks a file a command will write (`compile -o`, `sync --out`) before any
 * work is done, so a mistyped directory is a usage error at once rather than
 * a failure after compiling (or, for the agent, after syncing a cluster).
 *
 * @example
 * ```ts
 * await checkOutputFile(flags.output, '-o'); // throws UsageError: "-o out/t.json: directory out does not exist"
 * ```
 */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from './exit.ts';

export async function checkOutputFile(path: string, flag: string): Promise<void> {
  const directory = dirname(resolve(path));
  const info = await stat(directory).catch(() => undefined);
  if (!info) throw new UsageError(`${flag} ${path}: directory ${dirname(path)} does not exist (create it first)`);
  if (!info.isDirectory()) throw new UsageError(`${flag} ${path}: ${dirname(path)} is not a directory`);
  const target = await stat(path).catch(() => undefined);
  if (target?.isDirectory()) throw new UsageError(`${flag} ${path}: is a directory; give a file name`);
}
