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
import { deepWildcardSuffixes, wildcardSuffix } from '../match/compiled-table.ts';
import type { HostView } from '../match/compiled-table.ts';
import type { RouteGroup } from '../match/route-group.ts';
import { ShardIndex } from '../match/shard-index.ts';
import { TABLE_SCHEMA_VERSION } from '../table/constants.ts';
import { bucketOf, checkManifest, checkPointer, POINTER_KEY, type Manifest } from '../storage/layout.ts';
import { ShardLoader } from './shard-loader.ts';
import type { HostLookup, TableStore } from './store.ts';

/** The one method of a key-value store the table needs. */
export interface KeyValueReader {
  get(key: string): Promise<string | null>;
}

/** Something the store had to work around; none of them stops it serving. */
export type StoreEvent =
  /** `previous`: the version it replaces; absent for the isolate's first load. */
  | { readonly type: 'table-loaded'; readonly version: string; readonly previous?: string }
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
 * How many published versions a host can fall back through when its shards
 * in the newer ones cannot be read or are invalid.
 */
const MAX_FALLBACK_VERSIONS = 8;

/**
 * Shards kept by default. A shard whose every host has been served holds
 * about 0.45 MB of heap (a 45 KB shard of the 50k-Ingress benchmark), so 128
 * stay near 60 MB, inside the isolate's 128 MB with room for requests; an
 * isolate serving more hosts than that reads the least used ones again.
 */
const DEFAULT_MAX_SHARDS = 128;

/** Hosts whose assembled view is kept for the current version (then the cache starts over). */
const MAX_CACHED_VIEWS = 4096;

const EMPTY_SHARD = new ShardIndex({ schema: TABLE_SCHEMA_VERSION, services: [], middlewares: [], groups: [] });

export class ShardedTableStore implements TableStore {
  readonly #loader: ShardLoader;
  readonly #refreshMs: number;
  readonly #now: () => number;
  readonly #onEvent: (event: StoreEvent) => void;
  /** Versions seen, newest first: a host whose shards fail in one is served from the next. */
  #versions: LoadedVersion[] = [];
  #checkedAt = Number.NEGATIVE_INFINITY;
  #refresh: Promise<void> | undefined;
  /** Each host's lookup in the newest version: a warm request is one map probe. */
  #views = new Map<string, HostLookup>();
  #viewsVersion: string | undefined;

  constructor(reader: KeyValueReader, options: ShardedStoreOptions) {
    this.#refreshMs = options.refreshMs;
    this.#now = options.now ?? Date.now;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#loader = new ShardLoader(reader, { maxShards: options.maxShards ?? DEFAULT_MAX_SHARDS, onEvent: this.#onEvent });
  }

  /** Version currently served, if any (for health output). */
  get version(): string | undefined {
    return this.#versions[0]?.version;
  }

  /** A warm host is answered at once, not through a promise (the common case, once per request). */
  forHost(host: string): HostLookup | null | Promise<HostLookup | null> {
    if (this.#now() - this.#checkedAt < this.#refreshMs && this.#viewsVersion === this.#versions[0]?.version) {
      const cached = this.#views.get(host);
      if (cached) return cached;
    }
    return this.#lookUp(host);
  }

  async #lookUp(host: string): Promise<HostLookup | null> {
    if (this.#now() - this.#checkedAt >= this.#refreshMs) await this.#refreshOnce();
    const newest = this.#versions[0]?.version;
    if (newest !== this.#viewsVersion || this.#views.size >= MAX_CACHED_VIEWS) {
      this.#views = new Map();
      this.#viewsVersion = newest;
    }
    const cached = this.#views.get(host);
    if (cached) return cached;
    for (const loaded of this.#versions) {
      const view = await this.#view(loaded.manifest, host);
      if (!view) continue;
      const lookup = { version: loaded.version, view };
      // Only an answer from the newest version is kept: an older one is retried, so a repaired shard is picked up.
      if (loaded.version === newest) this.#views.set(host, lookup);
      return lookup;
    }
    return null;
  }

  /** The host's routes in one version, or undefined when a shard they need is unusable (reported). */
  async #view(manifest: Manifest, host: string): Promise<HostView | undefined> {
    const suffix = manifest.wildcards ? wildcardSuffix(host) : undefined;
    const bucket = (hostKey: string) => manifest.buckets[bucketOf(hostKey, manifest.buckets.length)] ?? null;
    const keys = [bucket(host), suffix === undefined ? null : bucket(`*.${suffix}`), manifest.anyHost];
    const shards = await Promise.all(keys.map((key) => (key === null ? EMPTY_SHARD : this.#loader.shard(key))));
    const [exactShard, wildcardShard, anyHostShard] = shards;
    if (!exactShard || !wildcardShard || !anyHostShard) return undefined;
    try {
      const exact = await exactShard.exactGroup(host);
      // With an exact group and no priority routes elsewhere, the other groups cannot win: leave them unbuilt.
      const others = !exact || wildcardShard.prioritizedBeyondExact || anyHostShard.prioritizedBeyondExact;
      return {
        exact,
        wildcard: others && suffix !== undefined ? await this.#wildcard(manifest, host, suffix, wildcardShard) : undefined,
        anyHost: others ? await anyHostShard.anyHostGroup() : undefined,
        defaultRoute: await anyHostShard.defaultRoute(),
      };
    } catch (error) {
      // A route of one of these shards failed to build: none of them is used again.
      keys.forEach((key) => key !== null && this.#loader.forget(key));
      return this.#loader.invalid(keys.filter((key) => key !== null).join(','), String(error));
    }
  }

  /**
   * The nearest wildcard group covering `host`: `*.suffix`, else (only when
   * the manifest has wildcards of one or more labels) the longest shorter
   * suffix with such a wildcard, reading its bucket's shard.
   */
  async #wildcard(manifest: Manifest, host: string, suffix: string, nearest: ShardIndex): Promise<RouteGroup | undefined> {
    const group = await nearest.wildcardGroup(suffix);
    if (group || !manifest.deepWildcards) return group;
    for (const deeper of deepWildcardSuffixes(host)) {
      const key = manifest.buckets[bucketOf(`*.${deeper}`, manifest.buckets.length)] ?? null;
      if (key === null) continue;
      const shard = await this.#loader.shard(key);
      if (!shard) throw new Error(`shard ${key} of wildcard *.${deeper} is unusable`);
      const found = await shard.deepWildcardGroup(deeper);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Concurrent requests share one pointer read, but only the request that
   * started it awaits it; the others go on with the versions already loaded.
   * In workerd a KV read belongs to the request that made it, and a request
   * that awaits another's read resumes in that request's context: its
   * upstream connections and its response then belong to the other request,
   * and workerd fails them ("Cannot perform I/O on behalf of a different
   * request"), 500 for every kind of request, for as long as requests keep
   * picking up each other's reads.
   */
  async #refreshOnce(): Promise<void> {
    if (this.#refresh) return this.#versions.length === 0 ? this.#readPointer() : undefined;
    const refresh = this.#readPointer().finally(() => {
      this.#checkedAt = this.#now();
      this.#refresh = undefined;
    });
    this.#refresh = refresh;
    return refresh;
  }

  async #readPointer(): Promise<void> {
    const pointer = await this.#loader.read(POINTER_KEY, checkPointer);
    if (pointer === null) return this.#onEvent({ type: 'pointer-missing' });
    if (!pointer || pointer.version === this.#versions[0]?.version) return;
    if (pointer.schema !== TABLE_SCHEMA_VERSION) return this.#onEvent({ type: 'unsupported-schema', schema: pointer.schema });
    const manifest = await this.#loader.read(pointer.manifest, checkManifest);
    if (!manifest) return;
    if (manifest.schema !== TABLE_SCHEMA_VERSION) return this.#onEvent({ type: 'unsupported-schema', schema: manifest.schema });
    // Cold requests read on their own, so another may have loaded this version meanwhile.
    if (pointer.version === this.#versions[0]?.version) return;
    const previous = this.#versions[0]?.version;
    this.#versions = [{ version: pointer.version, manifest }, ...this.#versions].slice(0, MAX_FALLBACK_VERSIONS);
    this.#onEvent({ type: 'table-loaded', version: pointer.version, ...(previous === undefined ? {} : { previous }) });
  }
}
