/**
 * The worker's own CPU per request over a bare pass-through, in one workerd
 * on the `edgress dev` runtime (wrangler.toml's bindings), upstream stubbed
 * (`overhead-entry.ts`). Four sides, N requests each, in
 * alternating order over many short rounds, workerd's CPU (its schedstat)
 * read around each call:
 * - `plain`: edgress on a plain route (host + prefix, one Service, no middleware);
 * - `full`: edgress on the full-chain route (auth, headers, redirect-regex, weights);
 * - `bare-plain`, `bare-full`: the bare pass-through with the same client requests.
 * Both edgress sides include the dashboard's Analytics Engine data point.
 * A ratio is the median over rounds of the edgress side's CPU per request
 * over its bare side's in the same round
 * (CPU time, not wall-clock: other processes on a busy machine do not count;
 * short alternating calls spread one side's garbage collection over both).
 *
 * Each call serves few requests (`REQUESTS_PER_CALL`), because all of a
 * call's requests run in one invocation, and on Workers every request is an
 * invocation of its own: the worker's CPU per request grows with the requests
 * one invocation serves (measured 2026-12-08, quiet machine: plain route
 * 31 µs at 250 per call, 37.5 µs at 4,000; full chain 47 and 64 µs; the bare
 * pass-through flat), so long calls charge edgress for something no deployed
 * request pays. A call's own cost is measured by calls serving no request and
 * taken out (docs/measurements/performance.md, "Third round").
 *   node bench/overhead.ts [requests per call] [rounds]
 * prints one JSON line.
 */
import http from 'node:http';
import { compile } from '../src/compile/index.ts';
import { bundle } from './worker-bundle.ts';
import { startWorkerRuntime } from '../sync/dev/runtime.ts';
import { readWranglerConfig } from '../sync/dev/wrangler-config.ts';
import { KvBindingPublisher } from '../sync/publish/kv-binding-publisher.ts';
import { BENCH_AUTHORIZATION, BENCH_HOST, BENCH_PATH, PLAIN_HOST, proxyCluster } from './proxy-cluster.ts';
import { workerdCpuNs } from './workerd-cpu.ts';

const SIDES = ['plain', 'bare-plain', 'full', 'bare-full'] as const;
/** Requests per call (one invocation); see above for why few. */
export const REQUESTS_PER_CALL = 250;
type Side = (typeof SIDES)[number];

interface Check {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly bare: { readonly status: number; readonly body: string };
  readonly statsPoints: number;
}

function get(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const ROUTES = {
  plain: { host: PLAIN_HOST, headers: { host: PLAIN_HOST, 'cf-connecting-ip': '192.0.2.1' } },
  full: { host: BENCH_HOST, headers: { host: BENCH_HOST, authorization: BENCH_AUTHORIZATION, 'cf-connecting-ip': '192.0.2.1' } },
} as const;

function query(route: keyof typeof ROUTES, extra: Record<string, string> = {}): string {
  const { host, headers } = ROUTES[route];
  return new URLSearchParams({ url: `http://${host}${BENCH_PATH}`, headers: JSON.stringify(headers), ...extra }).toString();
}

/** The answers are checked before anything is timed: the full chain must have run, the plain route must have reached the pod. */
function verify(route: keyof typeof ROUTES, check: Check): void {
  const fail = (why: string) => {
    throw new Error(`${route} route: ${why} (${JSON.stringify(check)})`);
  };
  if (check.status !== 200 || check.body !== 'ok') fail('the worker did not answer with the upstream\'s ok');
  if (check.bare.status !== 200 || check.bare.body !== 'ok') fail('the bare pass-through did not answer ok');
  if (check.statsPoints < 1) fail('no statistics data point was written');
  if (route === 'full' && (check.headers['x-served-by'] !== 'edgress' || check.headers['x-frame-options'] !== 'DENY')) fail('the chain\'s response headers are missing');
  if (route === 'plain' && 'x-served-by' in check.headers) fail('a middleware ran on the plain route');
}

export async function inProcessOverhead(requests: number, rounds: number) {
  const config = await readWranglerConfig(new URL('../wrangler.toml', import.meta.url).pathname);
  const script = await bundle(new URL('./overhead-entry.ts', import.meta.url).pathname, 'workerd');
  const runtime = await startWorkerRuntime({ config, script, vars: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '600000' } });
  try {
    await new KvBindingPublisher(await runtime.kv('TABLE')).publish(compile(proxyCluster(18901), {}).table);
    const base = runtime.url.origin;
    for (const route of ['plain', 'full'] as const) verify(route, JSON.parse(await get(`${base}/__bench/check?${query(route)}`)) as Check);
    // Denied without credentials: the full route's auth really runs.
    const denied = JSON.parse(await get(`${base}/__bench/check?${new URLSearchParams({ url: `http://${BENCH_HOST}${BENCH_PATH}`, headers: JSON.stringify({ host: BENCH_HOST }) })}`)) as Check;
    if (denied.status !== 401) throw new Error(`the full route let a request without credentials through (${denied.status})`);

    const callCpuUs: Record<Side, number[]> = { plain: [], 'bare-plain': [], full: [], 'bare-full': [] };
    const emptyCallCpuUs: Record<Side, number[]> = { plain: [], 'bare-plain': [], full: [], 'bare-full': [] };
    /** workerd's CPU for one call serving n requests on one side, in µs. */
    const call = async (side: Side, n: number) => {
      const route = side.endsWith('plain') ? 'plain' : 'full';
      const before = await workerdCpuNs();
      const reply = JSON.parse(await get(`${base}/__bench?${query(route, { side: side.startsWith('bare') ? 'bare' : 'edgress', n: String(n) })}`)) as { upstreamCalls: number };
      const cpu = ((await workerdCpuNs()) - before) / 1000;
      if (reply.upstreamCalls !== n) throw new Error(`${side}: ${reply.upstreamCalls} of ${n} requests reached the upstream`);
      return cpu;
    };
    // Warm-up: JIT and the routes' chains built.
    for (const side of SIDES) for (let i = 0; i < 8; i++) await call(side, requests);
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? SIDES : [...SIDES].reverse()) {
        callCpuUs[side].push(await call(side, requests));
        emptyCallCpuUs[side].push(await call(side, 0));
      }
    }
    // A call's own cost (the HTTP exchange with the benchmark, reading its query) is taken
    // out: measured by calls serving no request, it is the same on both sides and would
    // otherwise pull both ratios towards 1.
    const cpuUs = Object.fromEntries(SIDES.map((side) => [side, callCpuUs[side].map((us) => (us - median(emptyCallCpuUs[side])) / requests)])) as Record<Side, number[]>;
    const cpu = Object.fromEntries(SIDES.map((side) => [side, median(cpuUs[side])])) as Record<Side, number>;
    // Each round's ratio is taken between neighbouring calls (the machine's speed drifts over
    // seconds, on a shared host by up to 2×), then the median over rounds.
    const ratio = (route: 'plain' | 'full') => median(cpuUs[route].map((us, round) => us / cpuUs[`bare-${route}`][round]!));
    return {
      overhead_ratio_plain: ratio('plain'),
      overhead_ratio_full: ratio('full'),
      // The full route's CPU beyond the bare pass-through (µs/request).
      overhead_us: cpu.full - cpu['bare-full'],
      cpu_us: cpu,
      samples: cpuUs,
      call_overhead_us: Object.fromEntries(SIDES.map((side) => [side, median(emptyCallCpuUs[side])])),
      requests,
      rounds,
    };
  } finally {
    await runtime.dispose();
  }
}

if (import.meta.main) {
  const [requests, rounds] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await inProcessOverhead(Number(requests ?? REQUESTS_PER_CALL), Number(rounds ?? 101))) + '\n');
}
