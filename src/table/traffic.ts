/**
 * Traffic-management entries of the routing table: how a pool balances
 * (`BalancerSchema`), the request-key extractors, the typed predicate of
 * circuit breakers and retry expressions, and the four backend-protection
 * middleware kinds (Traefik 1.7's backend chain: circuit breaker → buffering
 * → max-conn → rate limit). Everything is parsed and checked by the compiler;
 * the worker evaluates, it never parses.
 *
 * @example
 * ```ts
 * const limit: MiddlewareOf<'rate-limit'> = {
 *   kind: 'rate-limit', extractor: { type: 'client.ip' },
 *   rates: [{ periodMs: 10_000, average: 100, burst: 200 }],
 * };
 * const breaker: Predicate = {
 *   type: 'compare', op: '>', left: { type: 'metric', fn: 'NetworkErrorRatio', args: [] }, right: { type: 'number', value: 0.5 },
 * };
 * ```
 */
import { z } from 'zod';

/** Traefik's sticky-session cookie: name and attributes; the value is always opaque. */
export const StickySchema = z.object({
  cookie: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a cookie name'),
  secure: z.boolean(),
  httpOnly: z.boolean(),
  sameSite: z.enum(['none', 'lax', 'strict']).optional(),
});
export type Sticky = z.infer<typeof StickySchema>;

/**
 * How a pool picks its endpoint (Service annotations `load-balancer-method`,
 * `affinity`, `session-*`). `wrr`: smooth weighted round robin; `drr`: the
 * same, with weights adapted per isolate to the errors and latency observed.
 */
export const BalancerSchema = z.object({
  method: z.enum(['wrr', 'drr']),
  sticky: StickySchema.optional(),
});
export type Balancer = z.infer<typeof BalancerSchema>;

/** Which part of a request keys a rate limit or a connection limit (Traefik's `extractorfunc`). */
export const ExtractorSchema = z.discriminatedUnion('type', [
  /** `CF-Connecting-IP` (docs/design/decisions.md#decision-13-the-client-is-cf-connecting-ip). */
  z.object({ type: z.literal('client.ip') }),
  /** The Host header as sent, port included. */
  z.object({ type: z.literal('request.host') }),
  /** A request header's value; a missing header keys as `''`. */
  z.object({ type: z.literal('request.header'), name: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/) }),
]);
export type Extractor = z.infer<typeof ExtractorSchema>;

/** Numeric functions of the predicate language (vulcand/predicate, as Traefik 1.7 used it). */
export const VALUE_FUNCTIONS = ['NetworkErrorRatio', 'ResponseCodeRatio', 'LatencyAtQuantileMS', 'Attempts', 'ResponseCode'] as const;
export type ValueFunction = (typeof VALUE_FUNCTIONS)[number];
export const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;

export const ValueSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('number'), value: z.number() }),
  z.object({ type: z.literal('metric'), fn: z.enum(VALUE_FUNCTIONS), args: z.array(z.number()).max(4) }),
]);
export type Value = z.infer<typeof ValueSchema>;

/** A boolean expression: `&&`, `||`, `!`, comparisons and `IsNetworkError()`. */
export type Predicate =
  | { readonly type: 'and' | 'or'; readonly left: Predicate; readonly right: Predicate }
  | { readonly type: 'not'; readonly operand: Predicate }
  | { readonly type: 'compare'; readonly op: (typeof COMPARISONS)[number]; readonly left: Value; readonly right: Value }
  | { readonly type: 'flag'; readonly fn: 'IsNetworkError' };

export const PredicateSchema: z.ZodType<Predicate> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.enum(['and', 'or']), left: PredicateSchema, right: PredicateSchema }),
    z.object({ type: z.literal('not'), operand: PredicateSchema }),
    z.object({ type: z.literal('compare'), op: z.enum(COMPARISONS), left: ValueSchema, right: ValueSchema }),
    z.object({ type: z.literal('flag'), fn: z.literal('IsNetworkError') }),
  ]),
);

/** An expression as written (for logs and `explain`) and as parsed. */
export const ExpressionSchema = z.object({ source: z.string(), predicate: PredicateSchema });
export type Expression = z.infer<typeof ExpressionSchema>;

/**
 * Answers 503 while tripped (Traefik `circuit-breaker-expression`): the
 * condition is checked on a sliding window of the route's recent responses.
 */
export const CircuitBreakerMiddlewareSchema = z.object({
  kind: z.literal('circuit-breaker'),
  condition: ExpressionSchema,
});

/** Traefik `buffering`: byte limits (0 = unlimited) and an optional retry condition. */
export const BufferingMiddlewareSchema = z.object({
  kind: z.literal('buffering'),
  maxRequestBodyBytes: z.number().int().min(0),
  memRequestBodyBytes: z.number().int().min(0),
  maxResponseBodyBytes: z.number().int().min(0),
  memResponseBodyBytes: z.number().int().min(0),
  retry: ExpressionSchema.optional(),
});

/** Traefik `max-conn-amount` + `max-conn-extractor-func`: concurrent requests per key, per isolate. */
export const MaxConnMiddlewareSchema = z.object({
  kind: z.literal('max-conn'),
  amount: z.number().int().min(1),
  extractor: ExtractorSchema,
});

/** One token bucket: capacity `burst`, refilled with `average` tokens per `periodMs`. */
export const RateSchema = z.object({
  periodMs: z.number().int().min(1),
  average: z.number().int().min(1),
  burst: z.number().int().min(1),
});
export type Rate = z.infer<typeof RateSchema>;

/** Traefik `rate-limit`: a request takes a token from every rate's bucket, edge-wide. */
export const RateLimitMiddlewareSchema = z.object({
  kind: z.literal('rate-limit'),
  extractor: ExtractorSchema,
  rates: z.array(RateSchema).min(1).max(16),
  /** ingress-nginx `limit-rps`/`limit-rpm`: a limited request answers 503 (its `limit-req-status-code`), not 429. */
  status: z.literal(503).optional(),
  /** ingress-nginx `limit-whitelist`: clients in these canonical CIDRs are not limited. */
  exempt: z.array(z.string().min(3)).optional(),
});
