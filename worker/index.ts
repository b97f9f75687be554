/**
 * The edge worker: a Hono app with a single catch-all handler. Routing is the
 * table's job (`./serve-request.ts`), so Hono's router never holds a route per
 * Ingress path.
 */
import { Hono } from 'hono';
import type { EdgeEnv } from './base/env.ts';
import { failureResponse } from './base/errors.ts';
import { handleRequest } from './serve-request.ts';
import type { WaitUntil } from './base/stats.ts';

const app = new Hono<{ Bindings: EdgeEnv }>();

app.all('*', (c) => handleRequest(c.req.raw, c.env, executionOf(c)));
app.onError((error) => failureResponse(error));

/** Hono throws when a request has no ExecutionContext (some test harnesses): statistics then skip `waitUntil`. */
function executionOf(c: { readonly executionCtx: WaitUntil }): WaitUntil | undefined {
  try {
    return c.executionCtx;
  } catch {
    return undefined;
  }
}

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<EdgeEnv>;

/** The Durable Object behind edge-wide `rate-limit`s (bound as `RATE_LIMITER` in wrangler.toml). */
export { RateLimiter } from './traffic/rate-limiter.ts';
