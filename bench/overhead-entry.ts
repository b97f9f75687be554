/**
 * The in-process overhead benchmark, inside workerd: on `/__bench?n=N` it
 * drives the real worker's `fetch` N times with the upstream stubbed (the
 * isolate's `fetch` answers at once), then a bare handler that only calls the
 * same stub N times, and answers the time per request of each.
 */
import worker from '../worker/index.ts';

const upstreamFetch = globalThis.fetch;
let stubbed = false;
let upstreamCalls = 0;

function stubUpstream(): void {
  if (stubbed) return;
  stubbed = true;
  globalThis.fetch = async () => {
    upstreamCalls++;
    return new Response('ok', { headers: { 'content-type': 'text/plain' } });
  };
}

async function perRequestUs(handler: () => Promise<Response>, n: number): Promise<number> {
  for (let i = 0; i < Math.min(2000, n); i++) await (await handler()).arrayBuffer();
  const started = performance.now();
  for (let i = 0; i < n; i++) await (await handler()).arrayBuffer();
  return ((performance.now() - started) * 1000) / n;
}

export default {
  async fetch(request: Request, env: never, ctx: never): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== '/__bench') return worker.fetch(request, env, ctx);
    stubUpstream();
    const n = Number(url.searchParams.get('n') ?? 10000);
    const target = url.searchParams.get('url') ?? '';
    const headers = JSON.parse(url.searchParams.get('headers') ?? '{}') as Record<string, string>;
    const make = () => new Request(target, { headers });
    const check = await worker.fetch(make(), env, ctx);
    const checked = { status: check.status, body: await check.text(), servedBy: check.headers.get('x-served-by') };
    const edgress = await perRequestUs(async () => worker.fetch(make(), env, ctx), n);
    const bare = await perRequestUs(() => fetch(new Request('http://127.0.0.1:9/x', make())), n);
    void upstreamFetch;
    return Response.json({ checked, edgress_us: edgress, bare_us: bare, overhead_us: edgress - bare, upstreamCalls, n });
  },
};
export { RateLimiter } from '../worker/index.ts';
