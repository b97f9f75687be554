/**
 * How a table is laid out in a key-value store (Workers KV):
 *
 * - `edgress/current`: the pointer, `{schema, version, manifest}`. The only key
 *   ever overwritten, and written last, so readers switch versions at once.
 * - `edgress/manifest/<hash>`: which shard holds each host bucket, and the
 *   shard of host-less rules and the default backend.
 * - `edgress/shard/<hash>`: a table (same schema) holding the routers of the
 *   hosts in one bucket, with only the middlewares and services they use.
 *
 * Values are content-addressed (the key ends with a hash of the value), so a
 * key's value never changes: any isolate that read a pointer can read every
 * value it names, and unchanged shards are not written again.
 * A host `h` lives in bucket `fnv1a(h) mod bucketCount`; a wildcard router
 * `*.foo.com` in the bucket of the string `*.foo.com` (whether it covers one
 * label or, for Gateway API, one or more).
 *
 * @example
 * ```ts
 * const key = manifest.buckets[bucketOf('shop.example.com', manifest.buckets.length)];
 * ```
 */
export const POINTER_KEY = 'edgress/current';
export const MANIFEST_PREFIX = 'edgress/manifest/';
export const SHARD_PREFIX = 'edgress/shard/';

/** The pointer: the only key ever overwritten. */
export interface Pointer {
  /** Table schema version of every value the pointer leads to. */
  readonly schema: number;
  readonly version: string;
  readonly manifest: string;
}

/** Which shard holds what. `./layout-schema.ts` states the same with zod. */
export interface Manifest {
  readonly schema: number;
  /** One entry per bucket (a power of two); null for an empty bucket. */
  readonly buckets: readonly (string | null)[];
  /** Host-less routers and the default backend; null when there are none. */
  readonly anyHost: string | null;
  /** Whether any router has a `*.` host; without one, no wildcard bucket is ever read. */
  readonly wildcards: boolean;
  /**
   * Present when a wildcard router covers one or more labels (Gateway API):
   * only then are the buckets of a host's shorter suffixes read.
   */
  readonly deepWildcards?: true;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isShardKey = (value: unknown): value is string => typeof value === 'string' && value.startsWith(SHARD_PREFIX);

/**
 * The pointer, when `value` is one (checked by hand: the worker reads it on
 * its cold path; `PointerSchema` in `./layout-schema.ts` is the same rule).
 */
export function checkPointer(value: unknown): Pointer | undefined {
  if (!isRecord(value)) return undefined;
  const { schema, version, manifest } = value;
  const ok = Number.isInteger(schema) && typeof version === 'string' && version.length > 0 && typeof manifest === 'string' && manifest.startsWith(MANIFEST_PREFIX);
  return ok ? (value as unknown as Pointer) : undefined;
}

/** The manifest, when `value` is one (see {@link checkPointer}). */
export function checkManifest(value: unknown): Manifest | undefined {
  if (!isRecord(value)) return undefined;
  const { schema, buckets, anyHost, wildcards, deepWildcards } = value;
  if (!Number.isInteger(schema) || typeof wildcards !== 'boolean' || !(anyHost === null || isShardKey(anyHost))) return undefined;
  if (deepWildcards !== undefined && deepWildcards !== true) return undefined;
  if (!Array.isArray(buckets) || buckets.length === 0 || (buckets.length & (buckets.length - 1)) !== 0) return undefined;
  return buckets.every((bucket) => bucket === null || isShardKey(bucket)) ? (value as unknown as Manifest) : undefined;
}

/** 32-bit FNV-1a of a host string; the same in Node and workerd. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The bucket a host key (`shop.example.com` or `*.example.com`) belongs to. */
export function bucketOf(hostKey: string, bucketCount: number): number {
  return fnv1a(hostKey) & (bucketCount - 1);
}

/** Hex SHA-256 of a value, shortened to 128 bits: the content address of a value. */
export async function contentHash(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest).subarray(0, 16)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
