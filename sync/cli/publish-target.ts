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
import { systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import { CloudflareKvPublisher } from '../publish/cloudflare/kv-api-publisher.ts';
import { FilePublisher } from '../publish/file-publisher.ts';
import { DryRunPublisher } from '../publish/dry-run-publisher.ts';
import { contentHash } from '../../src/storage/layout.ts';
import type { Publisher } from '../publish/publisher.ts';
import type { CloudflareApi } from '../publish/cloudflare/client.ts';
import { checkOutputFile } from './output-file.ts';
import { connectFromEnvironment, type KvFlags, type RetentionFlags } from './cloudflare-flags.ts';
import { UsageError } from './exit.ts';

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

export interface TargetContext {
  readonly log: Logger;
  /** `--dry-run`: read what is in force, print what would be written, write nothing. */
  readonly dryRun?: { readonly print: (line: string) => void };
  /** The API connection to share (one request budget for KV and edge hosts); else one is made. */
  readonly api?: CloudflareApi;
}

export const NO_TARGET_MESSAGE = 'error: no publish target: give --kv-namespace-id <id> to publish to Workers KV, or --out <file> to write the table as JSON';

/**
 * The target the flags name, or undefined for none. Throws {@link UsageError}
 * for contradictory flags or missing credentials, and any other error when
 * the table in force cannot be read.
 */
export async function publishTarget(flags: PublishTargetFlags, context: TargetContext): Promise<PublishTarget | undefined> {
  if (flags.out !== undefined && flags.kvNamespaceId !== undefined) throw new UsageError('give either --out or --kv-namespace-id, not both');
  const dryRun = context.dryRun;
  if (flags.out !== undefined) {
    const out = flags.out;
    await checkOutputFile(out, '--out');
    const baseline = await readTableFile(out);
    const preview = async (table: Table) => {
      const version = await contentHash(JSON.stringify(table));
      const changed = baseline === undefined || version !== (await contentHash(JSON.stringify(baseline)));
      return { version, changed, lines: [changed ? `write ${out}: table with ${table.routers.length} routes (version ${version})` : `${out} unchanged`] };
    };
    return { publisher: dryRun ? new DryRunPublisher(preview, dryRun.print) : new FilePublisher(out), description: `file ${out}`, baseline };
  }
  if (flags.kvNamespaceId !== undefined) {
    const api = context.api ?? (await connectFromEnvironment(flags, context.log));
    const kv = new CloudflareKvPublisher({ kv: api.namespace(flags.kvNamespaceId), clock: systemClock, log: context.log, keep: flags.keepTables, graceMs: flags.gcGrace });
    const publisher = dryRun ? new DryRunPublisher((table) => kv.preview(table), dryRun.print) : kv;
    return { publisher, description: `Workers KV namespace ${flags.kvNamespaceId}`, baseline: await kv.stored.routesInForce() };
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
