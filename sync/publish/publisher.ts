/**
 * Where a compiled table goes. One interface, several targets: the local
 * Miniflare KV of `edgress dev`, a JSON file (`--out`), Workers KV through
 * the Cloudflare API (`./cloudflare/`). A publish either completes or leaves the
 * previous table in force; publishing an unchanged table writes nothing.
 *
 * @example
 * ```ts
 * const publisher: Publisher = new KvBindingPublisher(kv);
 * const outcome = await publisher.publish(table);
 * if (outcome.changed) log({ event: 'published', version: outcome.version });
 * ```
 */
import type { Table } from '../../src/table/schema.ts';

export interface PublishOutcome {
  /** Content version of the table now in force. */
  readonly version: string;
  /** False when the same table was already published (nothing written). */
  readonly changed: boolean;
  /** Values (shards, manifest, pointer) written by this publish. */
  readonly valuesWritten: number;
}

export interface Publisher {
  publish(table: Table): Promise<PublishOutcome>;
}
