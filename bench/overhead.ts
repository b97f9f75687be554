/**
 * In-process overhead of the worker per request, measured inside workerd on
 * the `edgress dev` runtime (wrangler.toml's bindings): `overhead-entry.ts`
 * drives the real worker N times with the upstream stubbed, then a bare
 * handler calling the same stub; the difference is the worker's own cost
 * (matching, the route's whole middleware chain, forwarding, the statistics
 * data point); `stats_us` is the data point's share (with minus without).
 *   node bench/overhead.ts [requests]
 * prints one JSON line.
 */
import http from 'node:http';
import { compile } from '../src/compile/index.ts';
import { bundle } from './worker-bundle.ts';
import { startWorkerRuntime } from '../sync/dev/runtime.ts';
import { readWranglerConfig } from '../sync/dev/wrangler-config.ts';
import { KvPublisher } from '../sync/publish/kv-publisher.ts';
import { BENCH_AUTHORIZATION, BENCH_HOST, BENCH_PATH, proxyCluster } from './proxy-cluster.ts';

interface BenchReply {
  readonly checked: { readonly status: number; readonly body: string; readonly servedBy: string | null };
  readonly edgress_us: number;
  readonly bare_us: number;
  readonly overhead_us: number;
  readonly upstreamCalls: number;
  readonly n: number;
  /** Per request: with the STATS data point minus without it. */
  readonly stats_us: number;
  readonly stats_points: number;
  readonly stats_blobs: number;
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

export async function inProcessOverhead(requests: number) {
  const config = await readWranglerConfig(new URL('../wrangler.toml', import.meta.url).pathname);
  const script = await bundle(new URL('./overhead-entry.ts', import.meta.url).pathname, 'workerd');
  const runtime = await startWorkerRuntime({ config, script, vars: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '600000' } });
  try {
    await new KvPublisher(await runtime.kv('TABLE')).publish(compile(proxyCluster(18901), {}).table);
    const headers = JSON.stringify({ host: BENCH_HOST, authorization: BENCH_AUTHORIZATION, 'cf-connecting-ip': '192.0.2.1' });
    const query = new URLSearchParams({ n: String(requests), url: `http://${BENCH_HOST}${BENCH_PATH}`, headers });
    const reply = JSON.parse(await get(`${runtime.url.origin}/__bench?${query}`)) as BenchReply;
    if (reply.checked.status !== 200 || reply.checked.body !== 'ok' || reply.checked.servedBy !== 'edgress') {
      throw new Error(`the worker answered ${JSON.stringify(reply.checked)}: the benchmark request must go through the whole chain`);
    }
    if (reply.upstreamCalls < 3 * requests) throw new Error('not every request reached the upstream');
    if (reply.stats_points < requests || reply.stats_blobs !== 8) throw new Error(`the worker wrote ${reply.stats_points} statistics data points for ${requests} requests`);
    return { overhead_us: reply.overhead_us, edgress_us: reply.edgress_us, bare_us: reply.bare_us, stats_us: reply.stats_us, requests };
  } finally {
    await runtime.dispose();
  }
}

if (import.meta.main) {
  process.stdout.write(JSON.stringify(await inProcessOverhead(Number(process.argv[2] ?? 20_000))) + '\n');
}
