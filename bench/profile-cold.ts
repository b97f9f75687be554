/**
 * A CPU profile of a cold isolate's first routed request (the cold-start
 * benchmark's worker and 10k-Ingress table, `./cold.ts`): the profiler starts
 * after the worker's modules are evaluated and stops when the first response
 * is in, so what it shows is that request's own work (KV reads, hashing,
 * parsing, indexing, the route's first build, V8 compiling each function on
 * first use). Writes `bench/worker-cold.cpuprofile` and prints the functions
 * with the most inclusive time.
 *   node bench/profile-cold.ts [ingresses]
 */
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { compile } from '../src/compile/index.ts';
import { POINTER_KEY } from '../src/storage/layout.ts';
import { buildPublication } from '../src/storage/publication.ts';
import { discardRuntimeOutput } from '../sync/dev/runtime.ts';
import { generateCluster } from './generate.ts';
import { connectInspector } from './inspector.ts';
import { printProfile, type Profile } from './profile-report.ts';
import { bundle } from './worker-bundle.ts';

const INSPECTOR_PORT = 9340;
const n = Number(process.argv[2] ?? 10_000);
const server = http.createServer((_, res) => res.end('ok'));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;
const { table } = compile(generateCluster(n, 42, { endpoint: () => ({ ip: '127.0.0.1', port }) }).objects, {});
const publication = await buildPublication(table);
const forwards = (id: string) => table.middlewares[id]?.kind === 'custom-headers';
const host = table.routers.find((router) => router.middlewares.length > 0 && router.middlewares.every(forwards))!.host;

const mf = new Miniflare({
  modules: true,
  script: await bundle(new URL('./cold-entry.ts', import.meta.url).pathname, 'workerd'),
  compatibilityDate: '2026-07-01',
  kvNamespaces: ['TABLE'],
  bindings: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '60000' },
  unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  inspectorPort: INSPECTOR_PORT,
  log: new Log(LogLevel.ERROR),
  handleRuntimeStdio: discardRuntimeOutput,
});
const kv = await mf.getKVNamespace('TABLE');
for (const [key, value] of publication.values) await kv.put(key, value);
await kv.put(POINTER_KEY, publication.pointer);
const url = await mf.unsafeGetDirectURL();

const inspector = await connectInspector(INSPECTOR_PORT);
const call = inspector.call;

await call('Profiler.enable');
await call('Profiler.setSamplingInterval', { interval: 50 });
await call('Profiler.start');
const status = await new Promise<number>((resolve, reject) => {
  http.get({ host: url.hostname, port: url.port, path: '/api/x', headers: { host }, agent: false }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode ?? 0));
  }).on('error', reject);
});
const { profile } = await call<{ profile: Profile }>('Profiler.stop');
if (status !== 200) throw new Error(`the first request answered ${status}`);
writeFileSync(new URL('./worker-cold.cpuprofile', import.meta.url), JSON.stringify(profile));
inspector.close();
await mf.dispose();
server.close();
printProfile(profile, 1, 'ms', 1000);
