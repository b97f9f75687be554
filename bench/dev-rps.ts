/**
 * `edgress dev` throughput against a bare worker under the same Miniflare
 * with the same hops: on both sides a client → `edgress dev`'s front
 * (`sync/dev/front.ts`) → the worker in workerd → the dev relay
 * (`sync/dev/relay.ts`) → an upstream answering "ok". The bare worker only
 * passes the request to the relay, naming the endpoint as edgress does, so
 * the ratio measures edgress's own code. The route is the plain one (host +
 * prefix, one Service); rounds alternate sides, medians reported. The load
 * and the upstream run in processes of their own (`dev-load.ts`).
 *   node bench/dev-rps.ts [seconds] [rounds] [connections]
 * prints one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { compile } from '../src/compile/index.ts';
import { startDevServer } from '../sync/dev/server.ts';
import { startFront } from '../sync/dev/front.ts';
import { startRelay } from '../sync/dev/relay.ts';
import { DEV_VARS } from '../sync/dev/server.ts';
import { startWorkerRuntime } from '../sync/dev/runtime.ts';
import { readWranglerConfig } from '../sync/dev/wrangler-config.ts';
import { BENCH_PATH, PLAIN_HOST, proxyCluster } from './proxy-cluster.ts';

const WRANGLER = new URL('../wrangler.toml', import.meta.url).pathname;
const LOAD = new URL('./dev-load.ts', import.meta.url).pathname;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function startUpstream(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [LOAD, 'upstream'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`upstream exited with ${code}`)));
  });
  return { child, port };
}

/** A worker that passes every request to the relay, as `edgress dev`'s worker does for its endpoint, and nothing else. */
function bareScript(upstreamPort: number): string {
  return `export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set('x-edgress-endpoint', 'http://127.0.0.1:${upstreamPort}');
    return env.DEV_RELAY.fetch('http://' + url.host + url.pathname + url.search, { method: request.method, headers, body: request.body, redirect: 'manual' });
  },
};`;
}

async function startBare(upstreamPort: number) {
  const config = await readWranglerConfig(WRANGLER);
  const relay = await startRelay();
  const runtime = await startWorkerRuntime({ config: { ...config, durableObjects: {}, sqliteClasses: [] }, script: bareScript(upstreamPort), vars: DEV_VARS, relayAddress: relay.address });
  const front = await startFront({ host: '127.0.0.1', port: 0, worker: runtime.url });
  return {
    url: front.url,
    close: async () => {
      await front.close();
      await runtime.dispose();
      await relay.close();
    },
  };
}

/** Runs the load in its own process; asynchronously, since the front and the relay live on this process's event loop. */
async function load(url: URL, seconds: number, connections: number): Promise<number> {
  const child = spawn(process.execPath, [LOAD, 'load', new URL(BENCH_PATH, url).href, PLAIN_HOST, String(seconds), String(connections)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = output.trim().split('\n').pop() ?? '';
  if (status !== 0 || !line.startsWith('{')) throw new Error(`load against ${url.href} failed:\n${output}`);
  return (JSON.parse(line) as { rps: number }).rps;
}

export async function devThroughput(seconds: number, rounds: number, connections: number) {
  const upstream = await startUpstream();
  const closers: (() => Promise<void>)[] = [];
  try {
    const edgress = await startDevServer({ host: '127.0.0.1', port: 0, wranglerConfig: WRANGLER }, compile(proxyCluster(upstream.port), {}).table);
    closers.push(() => edgress.close());
    const bare = await startBare(upstream.port);
    closers.push(() => bare.close());
    const sides = [
      { name: 'edgress' as const, url: edgress.url },
      { name: 'bare' as const, url: bare.url },
    ];
    // A short first run on each side checks every answer (the load fails on any but 200 "ok") and warms both up.
    for (const side of sides) await load(side.url, 1, connections);
    const rps: Record<'edgress' | 'bare', number[]> = { edgress: [], bare: [] };
    for (let round = 0; round < rounds; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) rps[side.name].push(await load(side.url, seconds, connections));
    }
    const ratios = rps.edgress.map((value, i) => value / rps.bare[i]!);
    return { dev_rps_ratio: median(ratios), rps: { edgress: median(rps.edgress), bare: median(rps.bare) }, rounds, seconds, connections };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
    upstream.child.kill('SIGTERM');
  }
}

if (import.meta.main) {
  const [seconds, rounds, connections] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await devThroughput(Number(seconds ?? 5), Number(rounds ?? 5), Number(connections ?? 16))) + '\n');
}
