/**
 * The soak: echo pods and `edgress dev` on loopback, serving a cluster the
 * sync agent watches on the test Kubernetes API server (`--kubeconfig`; or
 * manifest files with `source: 'files'`), a mixed workload
 * (`./workload.ts`) from `concurrency` clients until the time or request
 * budget runs out, while a new generation of Ingresses and endpoints is
 * applied every `changeEveryMs` (`./source.ts`). A generation counts as in
 * force once a probe of app.example.com is answered by it. Every reply is
 * checked against the tables that may have been in force while it ran:
 * from the newest generation in force more than `GRACE_MS` before the
 * request started, to the newest applied before it ended. Reports requests,
 * unexpected replies, latency percentiles and the worker's memory over time.
 */
import http from 'node:http';
import { REPO, startDev } from '../e2e/harness/edgress.ts';
import { freePort } from '../e2e/harness/free-port.ts';
import { startPods } from '../e2e/harness/pods.ts';
import { readWranglerConfig } from '../../sync/dev/wrangler-config.ts';
import { connectHeapProbe, type HeapProbe } from './inspector.ts';
import { workerdRssMb } from './memory.ts';
import { FIRST_GENERATION, GENERATION_HEADER, nextGeneration, SERVICES, type Generation } from './scenario.ts';
import { startSource, type SourceKind } from './source.ts';
import { nextRequest, type SoakReply, type SoakRequest } from './workload.ts';

export interface SoakOptions {
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly concurrency: number;
  readonly changeEveryMs: number;
  readonly seed: number;
  /** Where the cluster lives (default `cluster`: the sync agent watching the test API server). */
  readonly source?: SourceKind;
  readonly memorySampleMs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakReport {
  readonly durationMs: number;
  readonly requests: number;
  readonly unexpected: number;
  /** The first unexpected replies, for the log. */
  readonly examples: readonly string[];
  readonly byKind: Readonly<Record<string, number>>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly source: SourceKind;
  readonly generations: number;
  /** Writes that applied the generations after the first (API requests, or manifest files). */
  readonly writes: number;
  /** Tables `edgress dev` reported reloading (a generation may take several as the agent batches events). */
  readonly reloads: number;
  /** From the first write of a generation to a probe answered by it: median and slowest. */
  readonly reloadMs: { readonly p50: number; readonly max: number };
  /**
   * The worker isolate's used JavaScript heap after a full GC (what the
   * runtime's 128 MB limit is about), and workerd's whole resident set:
   * after the warm-up (the first sample under load), at the end, every sample.
   */
  readonly heapMb: MemorySeries;
  /** Heap samples the inspector did not answer in time (each is missing from `heapMb`). */
  readonly heapSamplesMissed: number;
  readonly workerdRssMb: MemorySeries;
}

export interface MemorySeries {
  readonly start: number | undefined;
  readonly end: number | undefined;
  readonly samples: readonly number[];
}

/** How long after a probe saw a generation the previous table may still answer (dev refreshes every 100 ms). */
const GRACE_MS = 1_000;
/** A generation not in force by then is a failure of the soak. */
const RELOAD_TIMEOUT_MS = 60_000;

interface Timeline {
  readonly generation: Generation;
  readonly writtenAt: number;
  reloadedAt: number;
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const random = seeded(options.seed);
  const kind = options.source ?? 'cluster';
  const pods = await startPods(SERVICES, { record: false });
  const source = await startSource(kind, pods.pods, FIRST_GENERATION).catch(async (error: unknown) => {
    await pods.close();
    throw error;
  });
  const { dev, inspectorPort } = await startDevWithInspector(source.devArgs).catch(async (error: unknown) => {
    await Promise.all([source.close(), pods.close()]);
    throw error;
  });
  let heap: HeapProbe | undefined;
  const timeline: Timeline[] = [{ generation: FIRST_GENERATION, writtenAt: 0, reloadedAt: 0 }];
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const latencies: number[] = [];
  const byKind: Record<string, number> = {};
  const examples: string[] = [];
  let unexpected = 0;
  const memory: number[] = [];
  const heapSamples: number[] = [];
  let heapSamplesMissed = 0;
  const reloadMs: number[] = [];
  let writes = 0;
  const started = Date.now();
  const deadline = started + options.durationMs;
  let sent = 0;
  const more = () => Date.now() < deadline && sent < options.maxRequests;
  try {
    const nudge = () => send(dev.url, { kind: 'nudge', host: 'nudge.invalid', path: '/', method: 'GET', headers: {} }, agent);
    heap = await connectHeapProbe(inspectorPort, (await readWranglerConfig(`${REPO}/wrangler.toml`)).name, nudge);
    const sampleMemory = async () => {
      const mb = await workerdRssMb(dev.child.pid ?? -1);
      if (mb !== undefined) memory.push(mb);
      try {
        heapSamples.push(await (heap as HeapProbe).usedMb());
      } catch (error) {
        // A stalled inspector costs a sample, not the run: the replies are what the soak judges.
        heapSamplesMissed += 1;
        log(`worker heap not sampled: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    await sampleMemory();
    const client = async () => {
      while (more()) {
        sent += 1;
        const { request, check } = nextRequest(random);
        const begin = Date.now();
        let problem: string | undefined;
        try {
          const reply = await send(dev.url, request, agent);
          const end = Date.now();
          latencies.push(end - begin);
          problem = check(reply, allowedGenerations(timeline, begin, end));
        } catch (error) {
          problem = `request failed: ${error instanceof Error ? error.message : String(error)}`;
        }
        byKind[request.kind] = (byKind[request.kind] ?? 0) + 1;
        if (problem) {
          unexpected += 1;
          if (examples.length < 20) examples.push(`${request.kind} ${request.method} ${request.host}${request.path}: ${problem}`);
        }
      }
    };
    const changes = async () => {
      while (more()) {
        await sleepUntil(Math.min(deadline, Date.now() + options.changeEveryMs), more);
        if (!more()) return;
        const previous = (timeline.at(-1) as Timeline).generation;
        const generation = nextGeneration(previous, random);
        const entry: Timeline = { generation, writtenAt: Date.now(), reloadedAt: Number.POSITIVE_INFINITY };
        timeline.push(entry);
        writes += await source.apply(generation, previous);
        await waitUntilServed(dev.url, generation, () => dev.output().slice(-2000));
        entry.reloadedAt = Date.now();
        reloadMs.push(entry.reloadedAt - entry.writtenAt);
        log(`generation ${generation.number} in force after ${reloadMs.at(-1)} ms: app → ${generation.app}, extras ${[...generation.extras].sort().join(',') || 'none'}, api pods ${[...generation.apiPods].sort().join(',')} (${sent} requests so far)`);
      }
    };
    const sampler = async () => {
      while (more()) {
        await sleepUntil(Math.min(deadline, Date.now() + (options.memorySampleMs ?? 10_000)), more);
        await sampleMemory();
      }
    };
    await Promise.all([...Array.from({ length: options.concurrency }, client), changes(), sampler()]);
    await sampleMemory();
  } finally {
    heap?.close();
    agent.destroy();
    await dev.stop();
    await source.close();
    await pods.close();
  }
  latencies.sort((a, b) => a - b);
  return {
    durationMs: Date.now() - started,
    requests: sent,
    unexpected,
    examples,
    byKind,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    source: kind,
    generations: timeline.length,
    writes,
    reloads: dev.output().split('edgress dev: reloaded').length - 1,
    reloadMs: { p50: percentile([...reloadMs].sort((a, b) => a - b), 0.5), max: Math.max(0, ...reloadMs) },
    heapMb: series(heapSamples),
    heapSamplesMissed,
    workerdRssMb: series(memory),
  };
}

/** Generations that may have answered a request running from `begin` to `end`. */
function allowedGenerations(timeline: readonly Timeline[], begin: number, end: number): Generation[] {
  let low = 0;
  timeline.forEach((entry, index) => {
    if (entry.reloadedAt + GRACE_MS <= begin) low = index;
  });
  return timeline.slice(low).filter((entry) => entry.writtenAt <= end).map((entry) => entry.generation);
}

function send(base: URL, request: SoakRequest, agent: http.Agent): Promise<SoakReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: base.hostname, port: base.port, method: request.method, path: request.path, agent, headers: { host: request.host, ...request.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(request.body);
  });
}

/** Probes app.example.com (written last in a generation) until the generation answers. */
async function waitUntilServed(base: URL, generation: Generation, output: () => string): Promise<void> {
  const until = Date.now() + RELOAD_TIMEOUT_MS;
  const probe = { kind: 'probe', host: 'app.example.com', path: '/', method: 'GET', headers: {} };
  // Its own connection: queued behind the workload's, the probe would measure the queue.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (;;) {
      const reply = await send(base, probe, agent).catch(() => undefined);
      if (reply?.headers[GENERATION_HEADER] === String(generation.number)) return;
      if (Date.now() > until) throw new Error(`generation ${generation.number} was not served within ${RELOAD_TIMEOUT_MS} ms; edgress dev printed:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    agent.destroy();
  }
}

async function sleepUntil(time: number, keepWaiting: () => boolean): Promise<void> {
  while (Date.now() < time && keepWaiting()) await new Promise((resolve) => setTimeout(resolve, Math.min(200, time - Date.now())));
}

/** The first sample is taken before any load: the series starts at the second. */
function series(samples: readonly number[]): MemorySeries {
  return { start: samples[1], end: samples.at(-1), samples: samples.map((mb) => Math.round(mb * 10) / 10) };
}


function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number);
}

function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * `edgress dev` with its inspector on a free port. Another test may take the
 * port between the probe and workerd's bind (edgress dev then refuses it, as
 * it should): a few tries with a new port each.
 */
async function startDevWithInspector(devArgs: readonly string[]): Promise<{ dev: Awaited<ReturnType<typeof startDev>>; inspectorPort: number }> {
  for (let attempt = 1; ; attempt++) {
    const inspectorPort = await freePort();
    try {
      return { dev: await startDev([...devArgs, '--inspector-port', String(inspectorPort)]), inspectorPort };
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('already in use')) throw error;
    }
  }
}
