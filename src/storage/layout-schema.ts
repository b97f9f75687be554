/**
 * The storage layout's pointer and manifest as zod schemas: the reference
 * the hand-written checks of `./layout.ts` are tested against (the worker
 * uses those, to keep zod off its cold path).
 *
 * @example
 * ```ts
 * PointerSchema.parse(JSON.parse(await kv.get(POINTER_KEY)));
 * ```
 */
import { z } from 'zod';
import { MANIFEST_PREFIX, SHARD_PREFIX } from './layout.ts';

export const PointerSchema = z.object({
  schema: z.number().int(),
  version: z.string().min(1),
  manifest: z.string().startsWith(MANIFEST_PREFIX),
});

const ShardKey = z.string().startsWith(SHARD_PREFIX);

export const ManifestSchema = z.object({
  schema: z.number().int(),
  buckets: z
    .array(ShardKey.nullable())
    .min(1)
    .refine((buckets) => (buckets.length & (buckets.length - 1)) === 0, 'bucket count must be a power of two'),
  anyHost: ShardKey.nullable(),
  wildcards: z.boolean(),
  deepWildcards: z.literal(true).optional(),
});
