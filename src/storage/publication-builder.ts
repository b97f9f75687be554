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
import { changedSpan } from './changed-span.ts';
import { bucketOf, contentHash, MANIFEST_PREFIX, SHARD_PREFIX, type Manifest, type Pointer } from './layout.ts';
import { initialBucketCount, isOversized, referencedIds, SHARD_LIMITS, store, type Publication, type PublicationOptions } from './publication.ts';
import { encodeShard } from './wire.ts';
import { TABLE_SCHEMA_VERSION, type Router, type Table } from '../table/schema.ts';

/** One stored shard and what it was encoded from. */
interface Shard {
  readonly routers: readonly Router[];
  readonly defaultRouter: Router | undefined;
  readonly json: string;
  readonly key: string;
  readonly hostKeys: number;
  readonly wildcard: boolean;
  /** Whether a wildcard router covers one or more labels (Gateway API). */
  readonly deepWildcard: boolean;
  /** Ids the shard carries, and the values they had (undefined: absent then). */
  readonly middlewareIds: readonly string[];
  readonly middlewares: readonly unknown[];
  readonly serviceIds: readonly string[];
  readonly services: readonly unknown[];
}

interface State {
  readonly bucketCount: number;
  readonly routers: readonly Router[];
  /** The bucket of each router (`bucketCount` for host-less ones), by position. */
  readonly bucketIndex: Int32Array;
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
    for (let bucketCount = initial; ; bucketCount *= 2) {
      const bucketIndex = this.#bucketIndex(table.routers, 0, table.routers.length, bucketCount);
      const lists = gather(table.routers, bucketIndex, bucketCount, () => true);
      const buckets: (Shard | null)[] = [];
      for (let bucket = 0; bucket < bucketCount; bucket++) {
        const routers = lists.get(bucket);
        buckets.push(routers ? await this.#encode(table, routers, undefined) : null);
      }
      if (bucketCount < SHARD_LIMITS.maxBuckets && buckets.some(isOversized)) continue;
      const anyHost = await this.#encodeAnyHost(table, lists.get(bucketCount) ?? [], null);
      return { bucketCount, routers: table.routers, bucketIndex, buckets, anyHost };
    }
  }

  /** Only what changed encoded again; undefined when a shard grew too large (a full build decides the count). */
  async #update(previous: State, table: Table): Promise<State | undefined> {
    const { bucketCount } = previous;
    const { bucketIndex, lists } = table.routers === previous.routers ? { bucketIndex: previous.bucketIndex, lists: new Map<number, Router[]>() } : this.#changed(previous, table.routers);
    const buckets = [...previous.buckets];
    for (let bucket = 0; bucket < bucketCount; bucket++) {
      const routers = lists.get(bucket);
      const shard = buckets[bucket]!;
      if (routers) buckets[bucket] = routers.length === 0 ? null : await this.#encode(table, routers, undefined);
      else if (shard && !carriesSame(shard, table)) buckets[bucket] = await this.#encode(table, shard.routers, undefined);
      if (buckets[bucket] !== shard && bucketCount < SHARD_LIMITS.maxBuckets && isOversized(buckets[bucket]!)) return undefined;
    }
    const anyHost = await this.#encodeAnyHost(table, lists.get(bucketCount) ?? previous.anyHost?.routers ?? [], previous.anyHost);
    return { bucketCount, routers: table.routers, bucketIndex, buckets, anyHost };
  }

  /**
   * The buckets of the new routers, and the new routers of every bucket that
   * changed. Routers the two tables share at both ends (by identity) keep
   * their buckets; only the middle is placed again (an incremental compile
   * changes a few routers in place).
   */
  #changed(previous: State, routers: readonly Router[]): { bucketIndex: Int32Array; lists: Map<number, Router[]> } {
    const { start, endBefore, endAfter: end } = changedSpan(previous.routers, routers);
    const bucketIndex = new Int32Array(routers.length);
    bucketIndex.set(previous.bucketIndex.subarray(0, start));
    bucketIndex.set(this.#bucketIndex(routers, start, end, previous.bucketCount), start);
    bucketIndex.set(previous.bucketIndex.subarray(endBefore), end);
    const dirty = new Uint8Array(previous.bucketCount + 1);
    for (let i = start; i < endBefore; i++) dirty[previous.bucketIndex[i]!] = 1;
    for (let i = start; i < end; i++) dirty[bucketIndex[i]!] = 1;
    const lists = gather(routers, bucketIndex, previous.bucketCount, (bucket) => dirty[bucket] === 1);
    for (let bucket = 0; bucket <= previous.bucketCount; bucket++) if (dirty[bucket] && !lists.has(bucket)) lists.set(bucket, []);
    return { bucketIndex, lists };
  }

  /** The buckets of `routers[from..to)` (`bucketCount` for host-less routers). */
  #bucketIndex(routers: readonly Router[], from: number, to: number, bucketCount: number): Int32Array {
    if (this.#hostsCount !== bucketCount) {
      this.#bucketOfHost = new Map();
      this.#hostsCount = bucketCount;
    }
    const index = new Int32Array(Math.max(0, to - from));
    let lastHost: string | undefined;
    let last = 0;
    for (let i = from; i < to; i++) {
      const host = routers[i]!.host;
      if (host !== lastHost) {
        lastHost = host;
        let bucket = host === '' ? bucketCount : this.#bucketOfHost.get(host);
        if (bucket === undefined) this.#bucketOfHost.set(host, (bucket = bucketOf(host, bucketCount)));
        last = bucket;
      }
      index[i - from] = last;
    }
    return index;
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
}

/** The routers of each bucket `wanted` accepts, in table order (only non-empty buckets appear). */
function gather(routers: readonly Router[], bucketIndex: Int32Array, bucketCount: number, wanted: (bucket: number) => boolean): Map<number, Router[]> {
  const lists = new Map<number, Router[]>();
  const accepted = new Uint8Array(bucketCount + 1);
  for (let bucket = 0; bucket <= bucketCount; bucket++) accepted[bucket] = wanted(bucket) ? 1 : 0;
  for (let i = 0; i < routers.length; i++) {
    const bucket = bucketIndex[i]!;
    if (!accepted[bucket]) continue;
    let list = lists.get(bucket);
    if (!list) lists.set(bucket, (list = []));
    list.push(routers[i]!);
  }
  return lists;
}

async function encode(table: Table, routers: readonly Router[], defaultRouter: Router | undefined): Promise<Shard> {
  const { middlewareIds, serviceIds } = referencedIds(table, routers, defaultRouter);
  const middlewares = [...middlewareIds].sort();
  const services = [...serviceIds].sort();
  const json = encodeShard({
    schema: TABLE_SCHEMA_VERSION,
    routers: [...routers],
    ...(defaultRouter ? { defaultRouter } : {}),
    middlewares: pick(table.middlewares, middlewares),
    services: pick(table.services, services),
  });
  return {
    routers,
    defaultRouter,
    json,
    key: SHARD_PREFIX + (await contentHash(json)),
    hostKeys: new Set(routers.map((router) => router.host)).size,
    wildcard: routers.some((router) => router.host.startsWith('*.')),
    deepWildcard: routers.some((router) => router.hostWildcard === 'labels'),
    middlewareIds: middlewares,
    middlewares: middlewares.map((id) => table.middlewares[id]),
    serviceIds: services,
    services: services.map((id) => table.services[id]),
  };
}

/** The record's entries for `ids` (sorted), as `subTable` picks them. */
function pick<T>(record: Readonly<Record<string, T>>, ids: readonly string[]): Record<string, T> {
  const picked: Record<string, T> = {};
  for (const id of ids) {
    const value = record[id];
    if (value !== undefined) picked[id] = value;
  }
  return picked;
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
    ...(state.buckets.some((shard) => shard?.deepWildcard === true) ? { deepWildcards: true as const } : {}),
  };
  const manifestKey = await store(values, MANIFEST_PREFIX, JSON.stringify(manifest));
  const version = manifestKey.slice(MANIFEST_PREFIX.length);
  const pointer: Pointer = { schema: TABLE_SCHEMA_VERSION, version, manifest: manifestKey };
  return { version, pointer: JSON.stringify(pointer), values, bucketCount: state.bucketCount };
}
