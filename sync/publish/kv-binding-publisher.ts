/**
 * Publishes the sharded layout (`src/storage/layout.ts`) through a KV
 * namespace binding, the worker's own `put` (Miniflare's local KV under
 * `edgress dev` and the benchmarks), as opposed to `./cloudflare/`, which
 * goes through the Cloudflare API: every content-addressed value not written
 * before, then the pointer, so readers never see a pointer to a value that
 * is not there yet.
 *
 * @example
 * ```ts
 * const publisher = new KvBindingPublisher(await miniflare.getKVNamespace('TABLE'));
 * await publisher.publish(table);
 * ```
 */
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { PublicationBuilder } from '../../src/storage/publication-builder.ts';
import type { Table } from '../../src/table/schema.ts';
import type { PublishOutcome, Publisher } from './publisher.ts';

export interface KeyValueWriter {
  put(key: string, value: string): Promise<unknown>;
}

export class KvBindingPublisher implements Publisher {
  readonly #kv: KeyValueWriter;
  /** Content-addressed keys already written: their values cannot differ. */
  readonly #written = new Set<string>();
  #version: string | undefined;
  /** Keeps each shard's encoding: a publish encodes only the shards that changed. */
  readonly #builder = new PublicationBuilder();

  constructor(kv: KeyValueWriter) {
    this.#kv = kv;
  }

  async publish(table: Table): Promise<PublishOutcome> {
    const publication = await this.#builder.build(table);
    if (publication.version === this.#version) return { version: publication.version, changed: false, valuesWritten: 0 };
    const pending = [...publication.values].filter(([key]) => !this.#written.has(key));
    await Promise.all(pending.map(([key, value]) => this.#kv.put(key, value)));
    for (const [key] of pending) this.#written.add(key);
    await this.#kv.put(POINTER_KEY, publication.pointer);
    this.#version = publication.version;
    return { version: publication.version, changed: true, valuesWritten: pending.length + 1 };
  }
}
