/**
 * A {@link TableStore} over the sharded layout of `./layout.ts`, read through
 * any key-value reader (Workers KV in the worker, a Map in tests).
 *
 * Per isolate it keeps, in module scope of its owner:
 * - the last good manifest, re-checked through the pointer at most once per
 *   `refreshMs` (one read; values are immutable, so only the pointer moves);
 * - shards by key (immutable, so cached until evicted), at most `maxShards`
 *   of them, least recently used evicted first; each kept in its compact
 *   stored form and indexed by host (`ShardIndex`), its routes built only for
 *   the hosts that get requests.
 * A pointer, manifest or shard that cannot be read, parsed or validated is
 * never served: the store keeps the previous version (for a shard, the same
 * host's shard of the previous version) and reports the fault through
 * `onEvent`. With nothing good yet, `forHost` answers null.
 *
 * @example
 * ```ts
 * const store = new ShardedTableStore(env.TABLE, { refreshMs: 10_000 });
 * const lookup = await store.forHost('shop.example.com');
 * ```
 */
import { wildcardSuffix } from '../match/compiled-table.ts';
import { ShardIndex } from '../match/shard-index.ts';
import { bucketOf, ManifestSchema, POINTER_KEY, PointerSchema, type Manifest } from './layout.ts';
import { TABLE_SCHEMA_VERSION } from './schema.ts';
import { parseWireShard, type WireShard } from './wire.ts';
import type { HostLookup, TableStore } from './store.ts';

/** The one method of a key-value store the table needs. */
export interface KeyValueReader {
  get(key: string): Promise<string | null>;
}

/** Something the store had to work around; none of them stops it serving. */
export type StoreEvent =
  | { readonly type: 'table-loaded'; readonly version: string }
  | { readonly type: 'pointer-missing' }
  | { readonly type: 'unsupported-schema'; readonly schema: number }
  | { readonly type: 'read-failed'; readonly key: string; readonly error: string }
  | { readonly type: 'invalid-value'; readonly key: string; readonly error: string };

export interface ShardedStoreOptions {
  readonly refreshMs: number;
  readonly maxShards?: number;
  readonly now?: () => number;
  readonly onEvent?: (event: StoreEvent) => void;
}

interface LoadedVersion {
  readonly version: string;
  readonly manifest: Manifest;
}

/**
 * How many published versions a host can fall back through when its shard
 * in the newer ones cannot be read or is invalid.
 */
const MAX_FALLBACK_VERSIONS = 8;

/** Stored shards are in the compact wire form (`./wire.ts`). */
const WIRE_SHARD = {
  safeParse(value: unknown): { success: true; data: WireShard } | { success: false; error: unknown } {
    const shard = parseWireShard(value);
    return shard ? { success: true, data: shard } : { success: false, error: 'not a valid stored shard' };
  },
};

const EMPTY_SHARD = new ShardIndex({ schema: TABLE_SCHEMA_VERSION, services: [], middlewares: [], groups: [] });

export class ShardedTableStore implements TableStore {
  readonly #reader: KeyValueReader;
  readonly #options: Required<Omit<ShardedStoreOptions, 'onEvent'>> & Pick<ShardedStoreOptions, 'onEvent'>;
  /** Versions seen, newest first: a host whose shard fails in one is served from the next. */
  #versions: LoadedVersion[] = [];
  #checkedAt = Number.NEGATIVE_INFINITY;
  #refresh: Promise<void> | undefined;
  readonly #shards = new Map<string, Promise<ShardIndex | undefined>>();

  constructor(reader: KeyValueReader, options: ShardedStoreOptions) {
    this.#reader = reader;
    this.#options = { maxShards: 512, now: Date.now, ...options };
  }

  /** Version currently served, if any (for health output). */
  get version(): string | undefined {
    return this.#versions[0]?.version;
  }

  async forHost(host: string): Promise<HostLookup | null> {
    if (this.#options.now() - this.#checkedAt >= this.#options.refreshMs) await this.#refreshOnce();
    const current = this.#versions[0];
    if (!current) return null;
    const suffix = current.manifest.wildcards ? wildcardSuffix(host) : undefined;
    const [exactShard, wildcardShard, anyHostShard] = await Promise.all([
      this.#bucketShard(host),
      suffix === undefined ? EMPTY_SHARD : this.#bucketShard(`*.${suffix}`),
      this.#anyHostShard(),
    ]);
    const exact = exactShard.exactGroup(host);
    // With an exact group and no priority routes elsewhere, the other groups cannot win: leave them unbuilt.
    const others = !exact || wildcardShard.prioritizedBeyondExact || anyHostShard.prioritizedBeyondExact;
    return {
      version: current.version,
      view: {
        exact,
        wildcard: others && suffix !== undefined ? wildcardShard.wildcardGroup(suffix) : undefined,
        anyHost: others ? anyHostShard.anyHostGroup() : undefined,
        defaultRoute: anyHostShard.defaultRoute(),
      },
    };
  }

  #refreshOnce(): Promise<void> {
    // Concurrent requests share one pointer read.
    this.#refresh ??= this.#readPointer().finally(() => {
      this.#checkedAt = this.#options.now();
      this.#refresh = undefined;
    });
    return this.#refresh;
  }

  async #readPointer(): Promise<void> {
    const pointer = await this.#readJson(POINTER_KEY, PointerSchema);
    if (pointer === null) return this.#emit({ type: 'pointer-missing' });
    if (!pointer || pointer.version === this.#versions[0]?.version) return;
    if (pointer.schema !== TABLE_SCHEMA_VERSION) return this.#emit({ type: 'unsupported-schema', schema: pointer.schema });
    const manifest = await this.#readJson(pointer.manifest, ManifestSchema);
    if (!manifest) return;
    if (manifest.schema !== TABLE_SCHEMA_VERSION) return this.#emit({ type: 'unsupported-schema', schema: manifest.schema });
    this.#versions = [{ version: pointer.version, manifest }, ...this.#versions].slice(0, MAX_FALLBACK_VERSIONS);
    this.#emit({ type: 'table-loaded', version: pointer.version });
  }

  async #bucketShard(hostKey: string): Promise<ShardIndex> {
    const pick = (manifest: Manifest) => manifest.buckets[bucketOf(hostKey, manifest.buckets.length)] ?? null;
    return this.#shardWithFallback(pick);
  }

  #anyHostShard(): Promise<ShardIndex> {
    return this.#shardWithFallback((manifest) => manifest.anyHost);
  }

  async #shardWithFallback(pick: (manifest: Manifest) => string | null): Promise<ShardIndex> {
    for (const loaded of this.#versions) {
      const key = pick(loaded.manifest);
      if (key === null) return EMPTY_SHARD;
      const shard = await this.#shard(key);
      if (shard) return shard;
    }
    return EMPTY_SHARD;
  }

  #shard(key: string): Promise<ShardIndex | undefined> {
    const cached = this.#shards.get(key);
    if (cached) {
      this.#shards.delete(key);
      this.#shards.set(key, cached);
      return cached;
    }
    const loading = this.#loadShard(key);
    this.#shards.set(key, loading);
    // A shard that failed is forgotten, so the next request tries again.
    void loading.then((shard) => shard ?? this.#shards.delete(key));
    if (this.#shards.size > this.#options.maxShards) {
      const oldest = this.#shards.keys().next().value;
      if (oldest !== undefined) this.#shards.delete(oldest);
    }
    return loading;
  }

  async #loadShard(key: string): Promise<ShardIndex | undefined> {
    const wire = await this.#readJson(key, WIRE_SHARD);
    if (!wire) return undefined;
    try {
      return new ShardIndex(wire);
    } catch (error) {
      this.#emit({ type: 'invalid-value', key, error: String(error) });
      return undefined;
    }
  }

  /** The parsed value; `null` when the key does not exist; `undefined` on any fault (reported). */
  async #readJson<T>(key: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown } }): Promise<T | null | undefined> {
    let text: string | null;
    try {
      text = await this.#reader.get(key);
    } catch (error) {
      this.#emit({ type: 'read-failed', key, error: String(error) });
      return undefined;
    }
    if (text === null) return key === POINTER_KEY ? null : this.#invalid(key, 'value missing');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return this.#invalid(key, String(error));
    }
    const result = schema.safeParse(parsed);
    return result.success ? result.data : this.#invalid(key, String(result.error).slice(0, 500));
  }

  #invalid(key: string, error: string): undefined {
    this.#emit({ type: 'invalid-value', key, error });
    return undefined;
  }

  #emit(event: StoreEvent): void {
    this.#options.onEvent?.(event);
  }
}
