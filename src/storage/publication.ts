/**
 * Turns a compiled table into the values to store (see `./layout.ts`): one
 * shard per non-empty host bucket, the host-less shard, the manifest and the
 * pointer. Whoever writes them (KV through the API, Miniflare's local KV, a
 * test) must write every value before the pointer.
 *
 * @example
 * ```ts
 * const publication = await buildPublication(table);
 * for (const [key, value] of publication.values) await kv.put(key, value);
 * await kv.put(POINTER_KEY, publication.pointer);
 * ```
 */
import { contentHash, bucketOf, MANIFEST_PREFIX, SHARD_PREFIX, type Manifest, type Pointer } from './layout.ts';
import { middlewareServices } from '../table/middleware-refs.ts';
import { TABLE_SCHEMA_VERSION, type Router, type Table } from '../table/schema.ts';
import { encodeShard } from './wire.ts';

/** Sizes that decide how many buckets a table is split into. */
export const SHARD_LIMITS = {
  /** Average shard size aimed for. */
  targetBytes: 64 * 1024,
  /** No shard may be larger while its bucket still holds more than one host. */
  maxBytes: 256 * 1024,
  maxBuckets: 1 << 16,
} as const;

export interface Publication {
  readonly version: string;
  /** The value of `POINTER_KEY`. */
  readonly pointer: string;
  /** Manifest and shards, by key. Content-addressed: an existing key need not be written again. */
  readonly values: ReadonlyMap<string, string>;
  readonly bucketCount: number;
}

export interface PublicationOptions {
  /** Bucket count of the previous publication: kept when still fitting, so unchanged shards keep their keys. */
  readonly previousBucketCount?: number;
}

export async function buildPublication(table: Table, options: PublicationOptions = {}): Promise<Publication> {
  const hosted = table.routers.filter((router) => router.host !== '');
  const anyHost = table.routers.filter((router) => router.host === '');
  let bucketCount = initialBucketCount(table, options.previousBucketCount);
  let shards = bucketShards(table, hosted, bucketCount);
  while (bucketCount < SHARD_LIMITS.maxBuckets && shards.some(isOversized)) {
    bucketCount *= 2;
    shards = bucketShards(table, hosted, bucketCount);
  }
  const values = new Map<string, string>();
  const buckets: (string | null)[] = [];
  for (const shard of shards) buckets.push(shard ? await store(values, SHARD_PREFIX, shard.json) : null);
  const anyHostJson = anyHost.length > 0 || table.defaultRouter ? shardJson(table, anyHost, table.defaultRouter) : null;
  const manifest: Manifest = {
    schema: TABLE_SCHEMA_VERSION,
    buckets,
    anyHost: anyHostJson === null ? null : await store(values, SHARD_PREFIX, anyHostJson),
    wildcards: hosted.some((router) => router.host.startsWith('*.')),
    ...(hosted.some((router) => router.hostWildcard === 'labels') ? { deepWildcards: true as const } : {}),
  };
  const manifestKey = await store(values, MANIFEST_PREFIX, JSON.stringify(manifest));
  const version = manifestKey.slice(MANIFEST_PREFIX.length);
  const pointer: Pointer = { schema: TABLE_SCHEMA_VERSION, version, manifest: manifestKey };
  return { version, pointer: JSON.stringify(pointer), values, bucketCount };
}

interface BucketShard {
  readonly json: string;
  readonly hostKeys: number;
}

export function isOversized(shard: { readonly json: string; readonly hostKeys: number } | null): boolean {
  return shard !== null && shard.hostKeys > 1 && shard.json.length > SHARD_LIMITS.maxBytes;
}

export function initialBucketCount(table: Table, previous: number | undefined): number {
  // Router count stands in for size (a stored router with its share of
  // services and middlewares is well under a hundred bytes), so no full
  // serialisation is needed.
  const estimate = table.routers.length * 80;
  const wanted = Math.max(1, estimate / SHARD_LIMITS.targetBytes);
  if (previous && previous >= wanted / 2 && previous <= wanted * 2) return previous;
  let count = 1;
  while (count < wanted && count < SHARD_LIMITS.maxBuckets) count *= 2;
  return count;
}

function bucketShards(table: Table, routers: readonly Router[], bucketCount: number): (BucketShard | null)[] {
  const byBucket: Router[][] = Array.from({ length: bucketCount }, () => []);
  for (const router of routers) byBucket[bucketOf(router.host, bucketCount)]?.push(router);
  return byBucket.map((members) =>
    members.length === 0
      ? null
      : { json: shardJson(table, members, undefined), hostKeys: new Set(members.map((router) => router.host)).size },
  );
}

/** A table holding `routers` (order kept) and exactly what they refer to. */
export function subTable(table: Table, routers: readonly Router[], defaultRouter: Router | undefined): Table {
  const { middlewareIds, serviceIds } = referencedIds(table, routers, defaultRouter);
  return {
    schema: TABLE_SCHEMA_VERSION,
    routers: [...routers],
    ...(defaultRouter ? { defaultRouter } : {}),
    middlewares: pickSorted(table.middlewares, middlewareIds),
    services: pickSorted(table.services, serviceIds),
  };
}

/** The ids of the middlewares and services `routers` refer to, directly or through a middleware or weighted group. */
export function referencedIds(table: Table, routers: readonly Router[], defaultRouter: Router | undefined): { middlewareIds: Set<string>; serviceIds: Set<string> } {
  const all = defaultRouter ? [...routers, defaultRouter] : routers;
  const middlewareIds = new Set(all.flatMap((router) => router.middlewares));
  const serviceIds = new Set<string>();
  const pending = all.map((router) => router.service);
  for (const id of middlewareIds) {
    const middleware = table.middlewares[id];
    if (middleware) pending.push(...middlewareServices(middleware));
  }
  for (let id = pending.pop(); id !== undefined; id = pending.pop()) {
    if (serviceIds.has(id)) continue;
    serviceIds.add(id);
    const service = table.services[id];
    if (service?.kind !== 'weighted') continue;
    for (const member of service.services) {
      pending.push(member.service);
      // A member's middlewares (Gateway API backendRef filters) and the services they name.
      for (const middlewareId of member.middlewares ?? []) {
        if (middlewareIds.has(middlewareId)) continue;
        middlewareIds.add(middlewareId);
        const middleware = table.middlewares[middlewareId];
        if (middleware) pending.push(...middlewareServices(middleware));
      }
    }
  }
  return { middlewareIds, serviceIds };
}

function shardJson(table: Table, routers: readonly Router[], defaultRouter: Router | undefined): string {
  return encodeShard(subTable(table, routers, defaultRouter));
}

function pickSorted<T>(record: Readonly<Record<string, T>>, ids: ReadonlySet<string>): Record<string, T> {
  const picked: Record<string, T> = {};
  for (const id of [...ids].sort()) {
    const value = record[id];
    if (value !== undefined) picked[id] = value;
  }
  return picked;
}

export async function store(values: Map<string, string>, prefix: string, json: string): Promise<string> {
  const key = prefix + (await contentHash(json));
  values.set(key, json);
  return key;
}
