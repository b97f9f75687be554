/**
 * The in-process overhead benchmark, inside workerd. `/__bench?side=S&n=N`
 * serves N requests of the route on one side; `bench/overhead.ts` reads
 * workerd's CPU around each call (the isolate's own clock is too coarse to
 * time them). The upstream `fetch` is
 * stubbed on both sides (the isolate's `fetch` answers at once), so what is
 * measured is the isolate's own work:
 * - `edgress`: the real worker's `fetch`, plus one Analytics Engine data
 *   point per request (the dashboard's `STATS`: written by the worker itself
 *   when it does so, else by `writeStatsEquivalent` below, never both);
 * - `bare`: a `fetch` pass-through, what any proxying worker must do:
 *   rebuild the request for the upstream URL, fetch, return the response.
 * `/__bench/check` answers one request of the route with what a client
 * would see, for the caller to check before timing anything.
 */
import worker from '../worker/index.ts';

let upstreamCalls = 0;
let stubbed = false;

function stubUpstream(): void {
  if (stubbed) return;
  stubbed = true;
  globalThis.fetch = async () => {
    upstreamCalls++;
    return new Response('ok', { headers: { 'content-type': 'text/plain' } });
  };
}

/** A stand-in for the `STATS` binding: keeps the last point, as a native write would copy it. */
const points = { written: 0, last: undefined as unknown };
const stats = {
  writeDataPoint(point: unknown): void {
    points.written++;
    points.last = point;
  },
};

let benchEnv: Record<string, unknown> | undefined;
let workerWritesStats: boolean | undefined;
/** One env object for the whole isolate (the worker caches its settings and table per env). */
function envWithStats(env: Record<string, unknown>): Record<string, unknown> {
  benchEnv ??= { ...env, STATS: stats };
  return benchEnv;
}

interface RouteColumns {
  readonly index: string;
  readonly blobs: readonly string[];
}
const columns = new Map<string, RouteColumns>();

/**
 * What the dashboard's data point costs per request when the worker does not
 * write it itself: its per-route columns looked up, 8 blobs and 6 doubles
 * built from the request and response, one write.
 */
function writeStatsEquivalent(request: Request, response: Response, totalMs: number): void {
  const host = request.headers.get('host') ?? '';
  let route = columns.get(host);
  if (!route) {
    route = { index: `bench/${host}#0.0`, blobs: [host, `bench/${host}`, 'Prefix /api', 'bench/bench-a:80'] };
    columns.set(host, route);
  }
  const status = response.status;
  const colo = (request as { cf?: { colo?: unknown } }).cf?.colo;
  stats.writeDataPoint({
    indexes: [route.index],
    blobs: [...route.blobs, request.method, `${Math.floor(status / 100)}xx`, typeof colo === 'string' ? colo : '', ''],
    doubles: [status, totalMs, 0, Number(request.headers.get('content-length')) || 0, Number(response.headers.get('content-length')) || 0, 0],
  });
}

export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (!url.pathname.startsWith('/__bench')) return worker.fetch(request, env as never, ctx);
    stubUpstream();
    const target = url.searchParams.get('url') ?? '';
    const headers = JSON.parse(url.searchParams.get('headers') ?? '{}') as Record<string, string>;
    const make = () => new Request(target, { headers });
    const edgressEnv = envWithStats(env);
    // Whether the worker writes its own data point (the dashboard's worker does): asked once, so that
    // no call but the first serves a request beyond the N it is timed for.
    if (workerWritesStats === undefined) {
      const before = points.written;
      await (await worker.fetch(make(), edgressEnv as never, ctx)).arrayBuffer();
      workerWritesStats = points.written > before;
    }
    const edgress = async () => {
      const started = Date.now();
      const clientRequest = make();
      const response = await worker.fetch(clientRequest, edgressEnv as never, ctx);
      if (!workerWritesStats) writeStatsEquivalent(clientRequest, response, Date.now() - started);
      return response;
    };
    const bare = async () => {
      const clientRequest = make();
      const { pathname, search } = new URL(clientRequest.url);
      return fetch(new Request(`http://127.0.0.1:9${pathname}${search}`, clientRequest));
    };
    if (url.pathname === '/__bench/check') {
      const response = await edgress();
      const body = await response.text();
      const bareResponse = await bare();
      return Response.json({
        status: response.status,
        body,
        headers: Object.fromEntries(response.headers),
        bare: { status: bareResponse.status, body: await bareResponse.text() },
        statsPoints: points.written,
        workerWritesStats,
      });
    }
    const n = Number(url.searchParams.get('n') ?? 10000);
    const side = url.searchParams.get('side') === 'bare' ? bare : edgress;
    const calls = upstreamCalls;
    for (let i = 0; i < n; i++) await (await side()).arrayBuffer();
    return Response.json({ upstreamCalls: upstreamCalls - calls, statsPoints: points.written });
  },
};
export { RateLimiter } from '../worker/index.ts';
