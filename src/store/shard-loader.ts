/**
 * Reads stored values for the sharded store: each read is checked before
 * use (a content-addressed value must hash to its key, so a truncated or
 * corrupted value is caught; then its structure is checked), and shards are
 * kept indexed by key, least recently used evicted first.
 *
 * @example
 * ```ts
 * const loader = new ShardLoader(reader, { maxShards: 128, onEvent });
 * const shard = await loader.shard('edgress/shard/3f…');
 * ```
 */
import { ShardIndex } from '../match/shard-index.ts';
import { contentHash, MANIFEST_PREFIX, POINTER_KEY, SHARD_PREFIX } from '../storage/layout.ts';
import type { KeyValueReader, StoreEvent } from './sharded-store.ts';
import { parseWireShard } from '../storage/wire.ts';

export interface ShardLoaderOptions {
  readonly maxShards: number;
  readonly onEvent: (event: StoreEvent) => void;
}

/** A check that turns a parsed value into `T`, or undefined when it is not one. */
export type ValueCheck<T> = (value: unknown) => T | undefined;

export class ShardLoader {
  readonly #reader: KeyValueReader;
  readonly #options: ShardLoaderOptions;
  /**
   * Only loaded shards are shared: a load in progress is not, as in workerd
   * a request must not await another request's KV read (see
   * `ShardedTableStore`), so requests that need a shard at once each read it.
   */
  readonly #shards = new Map<string, ShardIndex>();

  constructor(reader: KeyValueReader, options: ShardLoaderOptions) {
    this.#reader = reader;
    this.#options = options;
  }

  /** The indexed shard under `key`; undefined when it cannot be used (reported). */
  async shard(key: string): Promise<ShardIndex | undefined> {
    const cached = this.#shards.get(key);
    if (cached) {
      this.#shards.delete(key);
      this.#shards.set(key, cached);
      return cached;
    }
    // A shard that failed is not kept, so the next request tries again.
    const loaded = await this.#loadShard(key);
    if (!loaded) return undefined;
    // Keep the first copy that arrived: hosts already built on it stay built.
    const shard = this.#shards.get(key) ?? loaded;
    this.#shards.delete(key);
    this.#shards.set(key, shard);
    if (this.#shards.size > this.#options.maxShards) {
      const oldest = this.#shards.keys().next().value;
      if (oldest !== undefined) this.#shards.delete(oldest);
    }
    return shard;
  }

  /** Forgets a shard that turned out unusable after loading (a route failed to build). */
  forget(key: string): void {
    this.#shards.delete(key);
  }

  async #loadShard(key: string): Promise<ShardIndex | undefined> {
    const wire = await this.read(key, parseWireShard);
    if (!wire) return undefined;
    try {
      return new ShardIndex(wire);
    } catch (error) {
      return this.invalid(key, String(error));
    }
  }

  /** The checked value; `null` when the pointer does not exist; `undefined` on any fault (reported). */
  async read<T>(key: string, check: ValueCheck<T>): Promise<T | null | undefined> {
    let text: string | null;
    try {
      text = await this.#reader.get(key);
    } catch (error) {
      this.#options.onEvent({ type: 'read-failed', key, error: String(error) });
      return undefined;
    }
    if (text === null) return key === POINTER_KEY ? null : this.invalid(key, 'value missing');
    const address = contentAddress(key);
    if (address !== undefined && (await contentHash(text)) !== address) return this.invalid(key, 'value does not match its content hash');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return this.invalid(key, String(error));
    }
    return check(parsed) ?? this.invalid(key, 'value does not have the expected structure');
  }

  invalid(key: string, error: string): undefined {
    this.#options.onEvent({ type: 'invalid-value', key, error });
    return undefined;
  }
}

function contentAddress(key: string): string | undefined {
  if (key.startsWith(SHARD_PREFIX)) return key.slice(SHARD_PREFIX.length);
  if (key.startsWith(MANIFEST_PREFIX)) return key.slice(MANIFEST_PREFIX.length);
  return undefined;
}
