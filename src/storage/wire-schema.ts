/**
 * The stored shard form of `./wire.ts` as a zod schema: the specification
 * the hand-written checker of `./wire-check.ts` is tested against, and the
 * source of the wire types. The worker does not construct these schemas
 * (they would cost more CPU on a cold isolate than the rest of a request).
 *
 * @example
 * ```ts
 * WireShardSchema.safeParse(JSON.parse(text)).success;
 * ```
 */
import { z } from 'zod';
import { MiddlewareSchema } from '../table/middleware.ts';
import { HostPatternSchema, RouterConditionsSchema } from '../table/schema.ts';
import { BalancerSchema, StickySchema } from '../table/traffic.ts';

// Kept importable from here; they live apart so that the worker reads them without zod.
export { DEFAULT_ENTRY, GROUP, MEMBER, POOL, ROUTE } from './wire-positions.ts';

const WireServer = z.union([z.string(), z.tuple([z.string(), z.number().int().min(0)])]);

export const WirePool = z.tuple([
  z.string(),
  z.union([z.string().regex(/^\d{1,5}(\|[^|]+)+$/), z.array(WireServer)]),
  z.enum(['http', 'https', 'h2c']).optional(),
  z.object({ external: z.literal(true).optional(), unavailable: z.string().optional(), balancer: BalancerSchema.optional() }).optional(),
]);

export const WireWeighted = z.object({
  weighted: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0), z.array(z.number().int().min(0)).min(1).optional()])).min(1),
  sticky: StickySchema.optional(),
});

export const WireStatus = z.object({ status: z.union([z.literal(404), z.literal(500)]), reason: z.string() });

export const WireRoute = z.tuple([
  z.union([z.string(), z.number().int().min(0)]),
  z.string().regex(/^(a|[epsrf]\/.{0,2047})$/s),
  z.number().int().min(0),
  z.array(z.number().int().min(0)).optional(),
  z.number().int().min(0).optional(),
  z.string().regex(/^[hspugl]*$/).optional(),
  RouterConditionsSchema.optional(),
]);

const WireGroup = z.tuple([HostPatternSchema, z.string().min(1)]).rest(WireRoute);

export const WireShardSchema = z.object({
  schema: z.number().int().min(0),
  services: z.array(z.union([WirePool, WireWeighted, WireStatus])),
  middlewares: z.array(MiddlewareSchema),
  groups: z.array(WireGroup),
  default: z.tuple([z.string().min(1), WireRoute]).optional(),
});

export type WireShard = z.infer<typeof WireShardSchema>;
export type WireRouteTuple = z.infer<typeof WireRoute>;
export type WirePoolTuple = z.infer<typeof WirePool>;
export type WireWeightedEntry = z.infer<typeof WireWeighted>;
export type WireStatusEntry = z.infer<typeof WireStatus>;
export type WireService = WireShard['services'][number];
