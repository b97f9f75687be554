/**
 * The edge worker: a Hono app with a single catch-all handler. Routing is the
 * table's job (`./handle.ts`), so Hono's router never holds a route per
 * Ingress path.
 */
import { Hono } from 'hono';
import type { EdgeEnv } from './env.ts';
import { failureResponse } from './failure.ts';
import { handleRequest } from './handle.ts';

const app = new Hono<{ Bindings: EdgeEnv }>();

app.all('*', (c) => handleRequest(c.req.raw, c.env));
app.onError((error) => failureResponse(error));

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<EdgeEnv>;

/** The Durable Object behind edge-wide `rate-limit`s (bound as `RATE_LIMITER` in wrangler.toml). */
export { RateLimiter } from './traffic/rate-limiter.ts';
