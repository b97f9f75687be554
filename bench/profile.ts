/**
 * A CPU profile of the worker inside workerd, for finding where a request's
 * time goes: runs the in-process overhead benchmark's entry with Miniflare's
 * inspector on, profiles N requests of the benchmark route and writes
 * `bench/worker-<side>.cpuprofile` (open it in Chrome DevTools), printing the
 * functions with the most self time. `plain` profiles the plain route (no
 * middleware), `full` the full chain; `bare` the bare pass-through.
 *   node bench/profile.ts [requests] [full|plain|bare]
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { compile } from '../src/compile/index.ts';
import { readWranglerConfig } from '../sync/dev/wrangler-config.ts';
import { KvBindingPublisher } from '../sync/publish/kv-binding-publisher.ts';
import { BENCH_AUTHORIZATION, BENCH_HOST, BENCH_PATH, PLAIN_HOST, proxyCluster } from './proxy-cluster.ts';
import { discardRuntimeOutput } from '../sync/dev/runtime.ts';
import { connectInspector } from './inspector.ts';
import { printProfile, type Profile } from './profile-report.ts';
import { bundle } from './worker-bundle.ts';


const INSPECTOR_PORT = 9339;
const requests = Number(process.argv[2] ?? 20_000);
const side = process.argv[3] ?? 'full';
const host = side === 'full' ? BENCH_HOST : PLAIN_HOST;
const clientHeaders = side === 'full' ? { host, authorization: BENCH_AUTHORIZATION, 'cf-connecting-ip': '192.0.2.1' } : { host, 'cf-connecting-ip': '192.0.2.1' };
const config = await readWranglerConfig(new URL('../wrangler.toml', import.meta.url).pathname);
const mf = new Miniflare({
  name: config.name,
  modules: true,
  script: await bundle(new URL('./overhead-entry.ts', import.meta.url).pathname, 'workerd'),
  compatibilityDate: config.compatibilityDate,
  kvNamespaces: ['TABLE'],
  durableObjects: { RATE_LIMITER: { className: 'RateLimiter', useSQLite: true } },
  bindings: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '600000' },
  unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  inspectorPort: INSPECTOR_PORT,
  cf: {},
  log: new Log(LogLevel.ERROR),
  handleRuntimeStdio: discardRuntimeOutput,
});
const url = await mf.unsafeGetDirectURL();
await new KvBindingPublisher(await mf.getKVNamespace('TABLE')).publish(compile(proxyCluster(18901), {}).table);

const inspector = await connectInspector(INSPECTOR_PORT, config.name);
const call = inspector.call;
const bench = (n: number) =>
  new Promise<string>((resolve, reject) => {
    const query = new URLSearchParams({
      n: String(n),
      url: `http://${host}${BENCH_PATH}`,
      headers: JSON.stringify(clientHeaders),
      side: side === 'bare' ? 'bare' : 'edgress',
    });
    http.get(`${url.origin}/__bench?${query}`, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });

await bench(2000);
await call('Profiler.enable');
await call('Profiler.setSamplingInterval', { interval: 100 });
await call('Profiler.start');
process.stdout.write(`${await bench(requests)}\n`);
const { profile } = await call<{ profile: Profile }>('Profiler.stop');
writeFileSync(new URL(`./worker-${side}.cpuprofile`, import.meta.url), JSON.stringify(profile));
inspector.close();
await mf.dispose();

printProfile(profile, requests, 'µs/request', 1);
