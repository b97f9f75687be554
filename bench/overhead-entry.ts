/**
 * The in-process overhead benchmark, inside workerd: on `/__bench?n=N` it
 * drives the real worker's `fetch` N times with the upstream stubbed (the
 * isolate's `fetch` answers at once), then a bare handler that only calls the
 * same stub N times, and answers the time per request of each.
 *
 * The worker runs with a `STATS` dataset bound, as deployed (Miniflare's own
 * Analytics Engine binding drops writes; this one keeps the last point, so
 * the point is built as in production); the same requests without `STATS`
 * give the statistics' own cost per request (`stats_us`).
 */
import worker from '../worker/index.ts';
import type { StatsDataPoint } from '../worker/stats.ts';

let pointsWritten = 0;
let lastPoint: StatsDataPoint | undefined;
const STATS = {
  writeDataPoint(point: StatsDataPoint): void {
    pointsWritten++;
    lastPoint = point;
  },
};

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

/**
 * With minus without the data point, in alternating rounds (so warm-up and a
 * busy machine weigh on both alike), each side's fastest round.
 */
async function statsCost(withStats: () => Promise<Response>, without: () => Promise<Response>, n: number): Promise<number> {
  const rounds = 6;
  const size = Math.max(100, Math.floor(n / rounds));
  let best = { with: Infinity, without: Infinity };
  for (let round = 0; round < rounds; round++) {
    const a = await perRequestUs(withStats, size);
    const b = await perRequestUs(without, size);
    best = { with: Math.min(best.with, a), without: Math.min(best.without, b) };
  }
  return best.with - best.without;
}

export default {
  async fetch(request: Request, baseEnv: Record<string, unknown>, ctx: never): Promise<Response> {
    const env = { ...baseEnv, STATS } as never;
    const withoutStats = { ...baseEnv, STATS: undefined } as never;
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
    const written = pointsWritten;
    const noStats = await statsCost(async () => worker.fetch(make(), env, ctx), async () => worker.fetch(make(), withoutStats, ctx), n);
    const bare = await perRequestUs(() => fetch(new Request('http://127.0.0.1:9/x', make())), n);
    void upstreamFetch;
    return Response.json({
      checked, edgress_us: edgress, bare_us: bare, overhead_us: edgress - bare, upstreamCalls, n,
      stats_us: noStats, stats_points: written, stats_blobs: lastPoint?.blobs.length ?? 0,
    });
  },
};
export { RateLimiter } from '../worker/index.ts';
