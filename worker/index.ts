/**
 * The edge worker: a Hono app with a single catch-all handler. Routing is the
 * table's job (`./serve-request.ts`), so Hono's router never holds a route per
 * Ingress path. It is Hono's `tiny` preset (the pattern router): with one
 * route there is nothing for the default preset's routers to gain, and they
 * build their matchers on a cold isolate's first request, about 2 ms of its
 * CPU (docs/measurements/performance.md, "Third round").
 */
import { Hono } from 'hono/tiny';
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
  fetch: (request: Request, env: EdgeEnv, execution: ExecutionContext): Response | Promise<Response> => app.fetch(request, env, execution),
} satisfies ExportedHandler<EdgeEnv>;

/** The Durable Object behind edge-wide `rate-limit`s (bound as `RATE_LIMITER` in wrangler.toml). */
export { RateLimiter } from './traffic/rate-limiter.ts';
