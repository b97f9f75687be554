/**
 * `buildPublication` for a table that changes a little at a time: the same
 * values, keys, manifest and pointer (tested against it), but a shard is
 * encoded and hashed again only when its routers changed or a service or
 * middleware it carries did (compared by identity with what it was encoded
 * from). Tables from the incremental compiler keep unchanged routers and
 * values as the same objects, so one changed Ingress or endpoint list costs
 * one shard, the manifest and the pointer.
 *
 * @example
 * ```ts
 * const builder = new PublicationBuilder();
 * const first = await builder.build(table);       // every shard encoded
 * const next = await builder.build(nextTable);    // only changed shards encoded
 * ```
 */
import { bucketOf, contentHash, MANIFEST_PREFIX, SHARD_PREFIX, type Manifest, type Pointer } from './layout.ts';
import { initialBucketCount, isOversized, referencedIds, SHARD_LIMITS, shardJson, store, type Publication, type PublicationOptions } from './publication.ts';
import { TABLE_SCHEMA_VERSION, type Router, type Table } from './schema.ts';

/** One stored shard and what it was encoded from. */
interface Shard {
  readonly routers: readonly Router[];
  readonly defaultRouter: Router | undefined;
  readonly json: string;
  readonly key: string;
  readonly hostKeys: number;
  readonly wildcard: boolean;
  /** Ids the shard carries, and the values they had (undefined: absent then). */
  readonly middlewareIds: readonly string[];
  readonly middlewares: readonly unknown[];
  readonly serviceIds: readonly string[];
  readonly services: readonly unknown[];
}

/** The "bucket" of host-less routers, which go with the default backend into their own shard. */
const ANY_HOST = -1;

interface State {
  readonly bucketCount: number;
  readonly routers: readonly Router[];
  readonly buckets: readonly (Shard | null)[];
  readonly anyHost: Shard | null;
}

export class PublicationBuilder {
  /** Shards encoded by the last build (for tests and benchmarks). */
  encoded = 0;
  readonly #previousBucketCount: number | undefined;
  #state: State | undefined;
  /** Bucket of each host seen, for the current bucket count. */
  #bucketOfHost = new Map<string, number>();
  #hostsCount = 0;

  /** `previousBucketCount` as `buildPublication`'s option, for the first build. */
  constructor(options: PublicationOptions = {}) {
    this.#previousBucketCount = options.previousBucketCount;
  }

  async build(table: Table): Promise<Publication> {
    this.encoded = 0;
    const previous = this.#state;
    const bucketCount = initialBucketCount(table, previous?.bucketCount ?? this.#previousBucketCount);
    let state = previous && previous.bucketCount === bucketCount ? await this.#update(previous, table) : undefined;
    state ??= await this.#full(table, bucketCount);
    this.#state = state;
    return publish(state);
  }

  /** Every shard encoded, the bucket count doubled while a shard is too large (as `buildPublication`). */
  async #full(table: Table, initial: number): Promise<State> {
    let bucketCount = initial;
    for (;;) {
      const lists = this.#bucketLists(table.routers, bucketCount);
      const buckets = await Promise.all(lists.map((routers) => (routers.length === 0 ? null : this.#encode(table, routers, undefined))));
      if (bucketCount < SHARD_LIMITS.maxBuckets && buckets.some(isOversized)) {
        bucketCount *= 2;
        continue;
      }
      return { bucketCount, routers: table.routers, buckets, anyHost: await this.#encodeAnyHost(table, anyHostRouters(table.routers), null) };
    }
  }

  /** Only what changed encoded again; undefined when a shard grew too large (a full build decides the count). */
  async #update(previous: State, table: Table): Promise<State | undefined> {
    const { bucketCount } = previous;
    const lists = table.routers === previous.routers ? undefined : this.#changedLists(previous, table.routers);
    const buckets = await Promise.all(previous.buckets.map(async (shard, index) => {
      const routers = lists?.get(index);
      if (routers) return routers.length === 0 ? null : this.#encode(table, routers, undefined);
      return shard && !carriesSame(shard, table) ? this.#encode(table, shard.routers, undefined) : shard;
    }));
    if (bucketCount < SHARD_LIMITS.maxBuckets && buckets.some((shard, index) => shard !== previous.buckets[index] && isOversized(shard))) return undefined;
    const anyHost = await this.#encodeAnyHost(table, lists?.get(ANY_HOST) ?? previous.anyHost?.routers ?? [], previous.anyHost);
    return { bucketCount, routers: table.routers, buckets, anyHost };
  }

  /** The routers of every bucket, in table order. */
  #bucketLists(routers: readonly Router[], bucketCount: number): Router[][] {
    const lists: Router[][] = Array.from({ length: bucketCount }, () => []);
    for (const router of routers) if (router.host !== '') lists[this.#bucket(router.host, bucketCount)]!.push(router);
    return lists;
  }

  /**
   * The buckets whose routers differ from the previous build (`ANY_HOST` for
   * host-less routers), with their new routers: one pass comparing each
   * bucket's routers in order by identity, then one gathering the routers of
   * the buckets that differ.
   */
  #changedLists(previous: State, routers: readonly Router[]): Map<number, Router[]> {
    const { bucketCount } = previous;
    const listOf = (bucket: number) => (bucket === ANY_HOST ? previous.anyHost?.routers : previous.buckets[bucket]?.routers);
    // One slot per bucket, the last for ANY_HOST.
    const cursor = new Int32Array(bucketCount + 1);
    const dirty = new Uint8Array(bucketCount + 1);
    const slot = (bucket: number) => (bucket === ANY_HOST ? bucketCount : bucket);
    let lastHost: string | undefined;
    let last = 0;
    for (const router of routers) {
      if (router.host !== lastHost) last = this.#bucket((lastHost = router.host), bucketCount);
      const at = slot(last);
      if (dirty[at]) continue;
      if (listOf(last)?.[cursor[at]!] === router) cursor[at]!++;
      else dirty[at] = 1;
    }
    const changed = new Map<number, Router[]>();
    for (let bucket = ANY_HOST; bucket < bucketCount; bucket++) {
      if (dirty[slot(bucket)] || cursor[slot(bucket)] !== (listOf(bucket)?.length ?? 0)) changed.set(bucket, []);
    }
    if (changed.size === 0) return changed;
    lastHost = undefined;
    for (const router of routers) {
      if (router.host !== lastHost) last = this.#bucket((lastHost = router.host), bucketCount);
      changed.get(last)?.push(router);
    }
    return changed;
  }

  async #encodeAnyHost(table: Table, routers: readonly Router[], previous: Shard | null): Promise<Shard | null> {
    if (routers.length === 0 && !table.defaultRouter) return null;
    const same = previous && previous.defaultRouter === table.defaultRouter && sameRouters(previous.routers, routers) && carriesSame(previous, table);
    return same ? previous : this.#encode(table, routers, table.defaultRouter);
  }

  #encode(table: Table, routers: readonly Router[], defaultRouter: Router | undefined): Promise<Shard> {
    this.encoded++;
    return encode(table, routers, defaultRouter);
  }

  /** The bucket of a host (`ANY_HOST` for host-less routers). */
  #bucket(host: string, bucketCount: number): number {
    if (host === '') return ANY_HOST;
    if (this.#hostsCount !== bucketCount) {
      this.#bucketOfHost = new Map();
      this.#hostsCount = bucketCount;
    }
    let bucket = this.#bucketOfHost.get(host);
    if (bucket === undefined) this.#bucketOfHost.set(host, (bucket = bucketOf(host, bucketCount)));
    return bucket;
  }
}

function anyHostRouters(routers: readonly Router[]): Router[] {
  return routers.filter((router) => router.host === '');
}

async function encode(table: Table, routers: readonly Router[], defaultRouter: Router | undefined): Promise<Shard> {
  const json = shardJson(table, routers, defaultRouter);
  const { middlewareIds, serviceIds } = referencedIds(table, routers, defaultRouter);
  const middlewares = [...middlewareIds];
  const services = [...serviceIds];
  return {
    routers,
    defaultRouter,
    json,
    key: SHARD_PREFIX + (await contentHash(json)),
    hostKeys: new Set(routers.map((router) => router.host)).size,
    wildcard: routers.some((router) => router.host.startsWith('*.')),
    middlewareIds: middlewares,
    middlewares: middlewares.map((id) => table.middlewares[id]),
    serviceIds: services,
    services: services.map((id) => table.services[id]),
  };
}

/** The middlewares and services the shard carries are the table's. */
function carriesSame(shard: Shard, table: Table): boolean {
  for (let i = 0; i < shard.serviceIds.length; i++) if (table.services[shard.serviceIds[i]!] !== shard.services[i]) return false;
  for (let i = 0; i < shard.middlewareIds.length; i++) if (table.middlewares[shard.middlewareIds[i]!] !== shard.middlewares[i]) return false;
  return true;
}

function sameRouters(a: readonly Router[], b: readonly Router[]): boolean {
  return a.length === b.length && a.every((router, i) => router === b[i]);
}

async function publish(state: State): Promise<Publication> {
  const values = new Map<string, string>();
  for (const shard of state.buckets) if (shard) values.set(shard.key, shard.json);
  if (state.anyHost) values.set(state.anyHost.key, state.anyHost.json);
  const manifest: Manifest = {
    schema: TABLE_SCHEMA_VERSION,
    buckets: state.buckets.map((shard) => shard?.key ?? null),
    anyHost: state.anyHost?.key ?? null,
    wildcards: state.buckets.some((shard) => shard?.wildcard === true),
  };
  const manifestKey = await store(values, MANIFEST_PREFIX, JSON.stringify(manifest));
  const version = manifestKey.slice(MANIFEST_PREFIX.length);
  const pointer: Pointer = { schema: TABLE_SCHEMA_VERSION, version, manifest: manifestKey };
  return { version, pointer: JSON.stringify(pointer), values, bucketCount: state.bucketCount };
}
