/**
 * Where `edgress sync` publishes, chosen from its flags. One target today,
 * `--out <file>`; Cloudflare Workers KV (`--kv-namespace-id`) joins here as
 * another `Publisher`. The target's table in force, when it can be read, is
 * the baseline of the mass-removal guard.
 *
 * @example
 * ```ts
 * const target = await publishTarget({ out: 'table.json' });
 * if (!target) exit(2);
 * ```
 */
import { readFile } from 'node:fs/promises';
import { TableSchema, type Table } from '../../src/table/schema.ts';
import { FilePublisher } from '../publish/file-publisher.ts';
import type { Publisher } from '../publish/publisher.ts';

export interface PublishTarget {
  readonly publisher: Publisher;
  /** For logs: `file table.json`. */
  readonly description: string;
  /** The table already published there, if any. */
  readonly baseline?: Table;
}

export interface PublishTargetFlags {
  readonly out?: string;
}

export const NO_TARGET_MESSAGE =
  'error: no publish target: give --out <file> to write the table as JSON (Cloudflare KV publishing comes with a later release)';

export async function publishTarget(flags: PublishTargetFlags): Promise<PublishTarget | undefined> {
  if (flags.out !== undefined) {
    return { publisher: new FilePublisher(flags.out), description: `file ${flags.out}`, baseline: await readTableFile(flags.out) };
  }
  return undefined;
}

async function readTableFile(path: string): Promise<Table | undefined> {
  try {
    const parsed = TableSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
