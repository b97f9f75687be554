/**
 * One server under test for the proxy benchmark, run in its own process so
 * it can be pinned to a CPU:
 *   node bench/proxy-server.ts edgress <upstream-port>
 *   node bench/proxy-server.ts bare <upstream-port>
 * prints its URL on the first line of stdout and runs until SIGTERM.
 * `edgress` is the real worker on the `edgress dev` runtime (wrangler.toml's
 * bindings) with the `direct` transport; `bare` a one-line `fetch()`
 * pass-through worker on the same runtime.
 */
import { compile } from '../src/compile/index.ts';
import { bundleWorker } from '../sync/dev/bundle.ts';
import { startWorkerRuntime } from '../sync/dev/runtime.ts';
import { readWranglerConfig, type WranglerConfig } from '../sync/dev/wrangler-config.ts';
import { KvBindingPublisher } from '../sync/publish/kv-binding-publisher.ts';
import { proxyCluster } from './proxy-cluster.ts';

const [kind, port] = process.argv.slice(2);
const upstreamPort = Number(port);
const wrangler = await readWranglerConfig(new URL('../wrangler.toml', import.meta.url).pathname);

async function start(config: WranglerConfig, script: string) {
  return startWorkerRuntime({ config, script, vars: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '600000' } });
}

let dispose: () => Promise<void>;
if (kind === 'edgress') {
  const runtime = await start(wrangler, await bundleWorker(wrangler.main));
  await new KvBindingPublisher(await runtime.kv('TABLE')).publish(compile(proxyCluster(upstreamPort), {}).table);
  process.stdout.write(`${runtime.url.origin}\n`);
  dispose = () => runtime.dispose();
} else if (kind === 'bare') {
  const script = `export default { fetch(request) { const url = new URL(request.url); return fetch(new Request('http://127.0.0.1:${upstreamPort}' + url.pathname + url.search, request)); } };`;
  const runtime = await start({ ...wrangler, durableObjects: {}, sqliteClasses: [] }, script);
  process.stdout.write(`${runtime.url.origin}\n`);
  dispose = () => runtime.dispose();
} else {
  throw new Error('usage: proxy-server.ts <edgress|bare> <upstream-port>');
}
process.once('SIGTERM', () => void dispose().then(() => process.exit(0)));
