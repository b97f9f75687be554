/**
 * `rate-limit`: Traefik 1.7's token buckets per route and extractor value,
 * enforced edge-wide by the `RateLimiter` Durable Object (docs/design/decisions.md#decision-12-rate-limits-hold-across-the-edge).
 *
 * When the object cannot be reached (no `RATE_LIMITER` binding, an error or
 * an overloaded object), the limit **fails open to a per-isolate bucket**:
 * the same rates are enforced by this isolate alone, so the limit still
 * bounds each isolate instead of vanishing, and an outage of the limiter
 * never turns into an outage of the routes it protects (which failing closed
 * would). Fallbacks are logged, at most one line per route every 10 s.
 */
import { parseAddress, RangeList } from '../../../src/net/ip-range.ts';
import { edgeResponse } from '../../base/errors.ts';
import { takeToken, type BucketState } from '../../traffic/token-bucket.ts';
import { extractKey } from '../extract.ts';
import { rateLimitedResponse } from '../../traffic/responses.ts';
import { describeError, log } from '../../base/log.ts';
import type { MiddlewareFactory, RequestContext } from '../types.ts';

/** Keys the per-isolate fallback keeps at most (Traefik's limiter kept 65 536). */
export const FALLBACK_KEYS = 65_536;
/** At most one fallback log line per route and isolate in this interval. */
export const FALLBACK_LOG_INTERVAL_MS = 10_000;

const lastLogged = new Map<string, number>();

export const rateLimit: MiddlewareFactory<'rate-limit'> = (config) => {
  const { rates, extractor } = config;
  const fallback = new Map<string, BucketState>();
  const takeLocally = (key: string): number => {
    let state = fallback.get(key);
    if (!state) {
      if (fallback.size >= FALLBACK_KEYS) fallback.delete(fallback.keys().next().value as string);
      state = {};
      fallback.set(key, state);
    }
    return takeToken(state, rates, Date.now());
  };
  const exempt = config.exempt && new RangeList(config.exempt);
  return async function limitRate(context, next) {
    if (exempt) {
      const client = context.clientIp === undefined ? undefined : parseAddress(context.clientIp.trim());
      if (client && exempt.contains(client)) return next();
    }
    const key = extractKey(context, extractor);
    const wait = (await takeEdgeWide(context, key, config.rates)) ?? takeLocally(key);
    if (wait > 0 && config.status === 503) return edgeResponse(503);
    return wait > 0 ? rateLimitedResponse(wait) : next();
  };
};

async function takeEdgeWide(context: RequestContext, key: string, rates: Parameters<typeof takeToken>[1]): Promise<number | undefined> {
  const namespace = context.env.RATE_LIMITER;
  try {
    if (!namespace) throw new Error('no RATE_LIMITER Durable Object binding');
    const stub = namespace.get(namespace.idFromName(`${context.route.router.id} ${key}`));
    return await stub.take(rates);
  } catch (error) {
    const route = context.route.router.id;
    const now = Date.now();
    if (now - (lastLogged.get(route) ?? -Infinity) >= FALLBACK_LOG_INTERVAL_MS) {
      lastLogged.set(route, now);
      log({ level: 'warn', event: 'rate-limit-fallback', route, cause: describeError(error) });
    }
    return undefined;
  }
}
