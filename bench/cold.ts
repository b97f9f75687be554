/**
 * Cold isolate to first routed response, in workerd (Miniflare 4):
 *   node bench/cold.ts <n> [rounds]
 * prints one JSON line. The table of an n-Ingress cluster is published into
 * Miniflare's KV; each round restarts workerd (a fresh isolate), sends one
 * request for a random host and measures:
 * - the CPU time workerd spent on that first request (its schedstat), which
 *   covers the KV reads, parsing, indexing, routing and the upstream fetch;
 * - the CPU workerd spent starting up, which includes evaluating the
 *   worker's modules (workerd's clock does not move while they evaluate);
 * - the CPU of a second, warm request for comparison.
 * The same rounds run a baseline worker doing only the same I/O (KV reads,
 * upstream fetch); `cpu_ms` is the real worker's first-request CPU minus the
 * baseline's: the cost of our own parsing, indexing, routing and proxying on
 * a cold isolate (Miniflare's local KV and HTTP stack cost more than the
 * edge's, and they are the same on both sides).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Log, LogLevel, Miniflare, type MiniflareOptions } from 'miniflare';
import { compile } from '../src/compile/index.ts';
import { POINTER_KEY } from '../src/storage/layout.ts';
import { buildPublication, type Publication } from '../src/storage/publication.ts';
import { generateCluster, random } from './generate.ts';
import { discardRuntimeOutput } from '../sync/dev/runtime.ts';
import { bundle } from './worker-bundle.ts';
import { workerdCpuByPid } from './workerd-cpu.ts';

async function upstream(): Promise<{ port: number; close(): void }> {
  const server = http.createServer((_, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

function get(base: URL, host: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path, headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface Samples {
  /** CPU of the fresh workerd up to ready: its own start-up plus evaluating the worker's modules. */
  readonly startup: number[];
  readonly first: number[];
  readonly warm: number[];
  readonly evaluation: number[];
  readonly firstWall: number[];
}

export async function coldStart(n: number, rounds: number) {
  const stub = await upstream();
  const cluster = generateCluster(n, 42, { endpoint: () => ({ ip: '127.0.0.1', port: stub.port }) });
  const { table } = compile(cluster.objects, {});
  const publication = await buildPublication(table);
  // The hosts asked for run a middleware chain (a harder first request than a bare route).
  const forwards = (id: string) => table.middlewares[id]?.kind === 'custom-headers';
  const hosts = [...new Set(table.routers.filter((router) => router.middlewares.length > 0 && router.middlewares.every(forwards)).map((router) => router.host))];
  // Rounds alternate between the two workers, so a change in the machine's load falls on both alike.
  const edgressSide = await coldSide('./cold-entry.ts', publication, stub.port);
  const baselineSide = await coldSide('./cold-baseline-entry.ts', publication, stub.port);
  const edgress = emptySamples();
  const baseline = emptySamples();
  const next = random(11);
  try {
    for (let round = 0; round < rounds; round++) {
      const host = hosts[Math.floor(next() * hosts.length)]!;
      for (const [side, samples] of round % 2 === 0 ? [[edgressSide, edgress], [baselineSide, baseline]] as const : [[baselineSide, baseline], [edgressSide, edgress]] as const) {
        await side.round(host, samples);
      }
    }
  } finally {
    await edgressSide.dispose();
    await baselineSide.dispose();
  }
  stub.close();
  const firstCpu = median(edgress.first);
  const baselineCpu = median(baseline.first);
  const evaluation = Math.max(0, median(edgress.startup) - median(baseline.startup));
  return {
    n,
    // Cloudflare runs a Worker's global scope at start-up (under the 1 s
    // start-up limit, while the TLS handshake completes), not in the request's
    // CPU budget; the first request's own work is what that budget pays for.
    // The median of each round's difference: both sides answered the same host in the same round.
    cpu_ms: Math.max(0, median(edgress.first.map((cpu, round) => cpu - baseline.first[round]!))),
    cpu_ms_of_medians: Math.max(0, firstCpu - baselineCpu),
    first_request_cpu_ms: firstCpu,
    baseline_first_request_cpu_ms: baselineCpu,
    startup_cpu_ms: evaluation,
    first_request_wall_ms: median(edgress.firstWall),
    warm_request_cpu_ms: median(edgress.warm),
    baseline_warm_request_cpu_ms: median(baseline.warm),
    rounds,
  };
}

function emptySamples(): Samples {
  return { startup: [], first: [], warm: [], evaluation: [], firstWall: [] };
}

interface ColdSide {
  /** Restarts workerd (a fresh isolate), then sends a first and a second request for `host`. */
  round(host: string, samples: Samples): Promise<void>;
  dispose(): Promise<void>;
}

async function coldSide(entry: string, publication: Publication, upstreamPort: number): Promise<ColdSide> {
  const persist = await mkdtemp(join(tmpdir(), 'edgress-cold-'));
  const options: MiniflareOptions = {
    modules: true,
    script: await bundle(new URL(entry, import.meta.url).pathname, 'workerd'),
    compatibilityDate: '2026-07-01',
    kvNamespaces: ['TABLE'],
    kvPersist: persist,
    bindings: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '60000', UPSTREAM: `http://127.0.0.1:${upstreamPort}/` },
    cf: { colo: 'BENCH' },
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    log: new Log(LogLevel.ERROR),
    handleRuntimeStdio: discardRuntimeOutput,
  };
  const mf = new Miniflare(options);
  const kv = await mf.getKVNamespace('TABLE');
  for (const [key, value] of publication.values) await kv.put(key, value);
  await kv.put(POINTER_KEY, publication.pointer);
  return {
    async round(host, samples) {
      const running = new Set((await workerdCpuByPid()).keys());
      await mf.setOptions(options);
      const socket = await mf.unsafeGetDirectURL();
      // The workerd this restart started: the one not running before it.
      const pid = [...(await workerdCpuByPid()).keys()].find((candidate) => !running.has(candidate));
      if (pid === undefined) throw new Error('no new workerd process after the restart');
      const cpuNs = async () => (await workerdCpuByPid()).get(pid) ?? Number.NaN;
      const before = await cpuNs();
      samples.startup.push(before / 1e6);
      const first = await get(socket, host, '/api/x');
      const after = await cpuNs();
      if (first.status !== 200 || first.body !== 'ok') throw new Error(`first request answered ${first.status} ${first.body}`);
      await get(socket, host, '/api/y');
      const warm = (await cpuNs()) - after;
      samples.first.push((after - before) / 1e6);
      samples.warm.push(warm / 1e6);
      samples.evaluation.push(Number(first.headers['x-bench-evaluation-ms'] ?? 0));
      samples.firstWall.push(Number(first.headers['x-bench-first-request-ms'] ?? 0));
    },
    async dispose() {
      await mf.dispose();
      await rm(persist, { recursive: true, force: true });
    },
  };
}

if (import.meta.main) {
  const [n, rounds] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await coldStart(Number(n ?? 1000), Number(rounds ?? 5))) + '\n');
}
