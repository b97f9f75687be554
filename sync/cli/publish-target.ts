/**
 * Where `edgress sync` publishes, chosen from its flags: `--out <file>` (the
 * table as JSON) or `--kv-namespace-id <id>` (Workers KV through the
 * Cloudflare API). The target's table in force, when there is one, is the
 * baseline of the mass-removal guard; for KV it must be readable, or the
 * agent would not know what it is about to remove.
 *
 * @example
 * ```ts
 * const target = await publishTarget({ kvNamespaceId: 'f00…' }, { log });
 * ```
 */
import { readFile } from 'node:fs/promises';
import { TableSchema, type Table } from '../../src/table/schema.ts';
import { systemClock } from '../agent/clock.ts';
import type { Logger } from '../agent/log.ts';
import { CloudflareKvPublisher } from '../publish/cloudflare/kv-publisher.ts';
import { FilePublisher } from '../publish/file-publisher.ts';
import type { Publisher } from '../publish/publisher.ts';
import { connectFromEnvironment, UsageError, type KvFlags, type RetentionFlags } from './cloudflare-flags.ts';

export interface PublishTarget {
  readonly publisher: Publisher;
  /** For logs: `file table.json`, `Workers KV namespace f00…`. */
  readonly description: string;
  /** The table already published there, if any (for KV: its routes). */
  readonly baseline?: Table;
}

export interface PublishTargetFlags extends KvFlags, Partial<RetentionFlags> {
  readonly out?: string;
}

export const NO_TARGET_MESSAGE = 'error: no publish target: give --kv-namespace-id <id> to publish to Workers KV, or --out <file> to write the table as JSON';

/**
 * The target the flags name, or undefined for none. Throws {@link UsageError}
 * for contradictory flags or missing credentials, and any other error when
 * the table in force cannot be read.
 */
export async function publishTarget(flags: PublishTargetFlags, context: { readonly log: Logger }): Promise<PublishTarget | undefined> {
  if (flags.out !== undefined && flags.kvNamespaceId !== undefined) throw new UsageError('give either --out or --kv-namespace-id, not both');
  if (flags.out !== undefined) {
    return { publisher: new FilePublisher(flags.out), description: `file ${flags.out}`, baseline: await readTableFile(flags.out) };
  }
  if (flags.kvNamespaceId !== undefined) {
    const api = await connectFromEnvironment(flags, context.log);
    const publisher = new CloudflareKvPublisher({ kv: api.namespace(flags.kvNamespaceId), clock: systemClock, log: context.log, keep: flags.keepTables, graceMs: flags.gcGrace });
    return { publisher, description: `Workers KV namespace ${flags.kvNamespaceId}`, baseline: await publisher.stored.routesInForce() };
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
