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
 * `*.foo.com` in the bucket of the string `*.foo.com`.
 *
 * @example
 * ```ts
 * const key = manifest.buckets[bucketOf('shop.example.com', manifest.buckets.length)];
 * ```
 */
import { z } from 'zod';

export const POINTER_KEY = 'edgress/current';
export const MANIFEST_PREFIX = 'edgress/manifest/';
export const SHARD_PREFIX = 'edgress/shard/';

export const PointerSchema = z.object({
  /** Table schema version of every value the pointer leads to. */
  schema: z.number().int(),
  version: z.string().min(1),
  manifest: z.string().startsWith(MANIFEST_PREFIX),
});
export type Pointer = z.infer<typeof PointerSchema>;

const ShardKey = z.string().startsWith(SHARD_PREFIX);

export const ManifestSchema = z.object({
  schema: z.number().int(),
  /** One entry per bucket (a power of two); null for an empty bucket. */
  buckets: z
    .array(ShardKey.nullable())
    .min(1)
    .refine((buckets) => (buckets.length & (buckets.length - 1)) === 0, 'bucket count must be a power of two'),
  /** Host-less routers and the default backend; null when there are none. */
  anyHost: ShardKey.nullable(),
  /** Whether any router has a `*.` host; without one, no wildcard bucket is ever read. */
  wildcards: z.boolean(),
});
export type Manifest = z.infer<typeof ManifestSchema>;

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
