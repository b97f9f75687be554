/**
 * Change propagation through `edgress dev --kubeconfig` (docs/measurements/performance.md's goal: an
 * Ingress change served ≤ 1 s after the API server accepts it). The test
 * Kubernetes API server (test/kube) holds the synthetic cluster with its
 * endpoints on local echo pods; the real CLI watches it. Each change is
 * written through the API server's HTTP API, and timed from the arrival of
 * the write's response until a request polled every few ms gets the new
 * answer. Before anything is timed, a sample of lookups is checked, and
 * every polled reply must be the old or the new behaviour: anything else
 * (a 5xx, a wrong backend) fails the run.
 *   node bench/propagation.ts [ingresses] [changes]
 * prints one JSON line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TestApiServer } from '../test/kube/api-server.ts';
import type { StoredObject } from '../test/kube/store.ts';
import { request, startDev, type DevProcess } from '../test/e2e/harness/edgress.ts';
import { startPods } from '../test/e2e/harness/pods.ts';
import { lookups, random } from './generate.ts';
import { changeSeries, PODS, propagationCluster, shows, untouchedProbe, type Behaviour, type Change, type Probe, type Reply } from './propagation-changes.ts';

/** A change not served by then fails the run (the goal is 1 s; this only bounds a hang). */
const GIVE_UP_MS = 15_000;
const POLL_GAP_MS = 2;
const SAMPLE_LOOKUPS = 100;

export interface PropagationResult {
  readonly p50_ms: number;
  readonly max_ms: number;
  readonly ingresses: number;
  readonly changes: number;
  readonly samples_ms: readonly number[];
  /** Median round trip of one polled request: the resolution of each sample. */
  readonly poll_rtt_ms: number;
  readonly load_ms: number;
  readonly first_serve_ms: number;
}

async function probe(dev: DevProcess, target: Probe): Promise<Reply> {
  // X-Forwarded-Proto: some generated Ingresses redirect plain HTTP (ssl-redirect).
  const reply = await request(dev.url, target.path, { host: target.host, headers: { 'x-forwarded-proto': 'https' } });
  const server = reply.headers.server;
  return { status: reply.status, server: Array.isArray(server) ? server[0] : server, body: reply.body };
}

function describe(reply: Reply): string {
  return `${reply.status} (server ${reply.server ?? 'none'}) ${reply.body.slice(0, 300)}`;
}

async function expectBehaviour(dev: DevProcess, target: Probe, behaviour: Behaviour, context: string): Promise<void> {
  const reply = await probe(dev, target);
  if (!shows(reply, target, behaviour)) throw new Error(`${context}: ${target.host}${target.path} should get ${JSON.stringify(behaviour)}, got ${describe(reply)}`);
}

async function write(apiUrl: string, change: Change): Promise<void> {
  const response = await fetch(apiUrl + change.path, {
    method: change.method,
    headers: { 'content-type': 'application/json', authorization: 'Bearer bench' },
    ...(change.body ? { body: JSON.stringify(change.body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${change.label}: the API server answered ${response.status}: ${text}`);
}

/** Milliseconds from the write's response until the edge serves the change. */
async function measure(dev: DevProcess, apiUrl: string, change: Change, rtts: number[]): Promise<number> {
  await expectBehaviour(dev, change.probe, change.before, `before "${change.label}"`);
  await write(apiUrl, change);
  const accepted = performance.now();
  for (;;) {
    const sent = performance.now();
    const reply = await probe(dev, change.probe);
    const now = performance.now();
    rtts.push(now - sent);
    if (shows(reply, change.probe, change.after)) return now - accepted;
    if (!shows(reply, change.probe, change.before)) throw new Error(`"${change.label}": ${change.probe.host}${change.probe.path} got neither the old nor the new answer: ${describe(reply)}`);
    if (now - accepted > GIVE_UP_MS) throw new Error(`"${change.label}" not served ${GIVE_UP_MS} ms after the API server accepted it:\n${dev.output()}`);
    await sleep(POLL_GAP_MS);
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function propagation(n: number, count: number): Promise<PropagationResult> {
  const pods = await startPods(PODS, { record: false });
  const api = await TestApiServer.start();
  let dev: DevProcess | undefined;
  try {
    const cluster = propagationCluster(n, pods.pods);
    const changes = changeSeries(cluster, count);
    const loadStart = performance.now();
    for (const object of cluster.objects) api.apply(object as StoredObject);
    const load_ms = performance.now() - loadStart;

    const startStart = performance.now();
    dev = await startDev(['--kubeconfig', api.kubeconfig], { timeoutMs: 300_000 });
    const first_serve_ms = performance.now() - startStart;

    for (const lookup of lookups(cluster, SAMPLE_LOOKUPS, 11)) {
      // The echo pods cannot tell which rule matched, only that a generated backend answered with the path unchanged.
      await expectBehaviour(dev, lookup, lookup.rule === undefined ? 'no route' : { service: 'bulk' }, 'initial table');
    }

    // Changes land at random phases of the worker's table refresh, as real ones would.
    const pause = random(5);
    const samples: number[] = [];
    const rtts: number[] = [];
    for (const [k, change] of changes.entries()) {
      samples.push(await measure(dev, api.url, change, rtts));
      await expectBehaviour(dev, untouchedProbe(cluster, count, k), { service: 'bulk' }, `after "${change.label}"`);
      await sleep(100 + pause() * 300);
    }
    return {
      p50_ms: median(samples),
      max_ms: Math.max(...samples),
      ingresses: n,
      changes: count,
      samples_ms: samples.map((sample) => Math.round(sample * 10) / 10),
      poll_rtt_ms: median(rtts),
      load_ms,
      first_serve_ms,
    };
  } finally {
    await dev?.stop();
    await api.close();
    await pods.close();
  }
}

if (import.meta.main) {
  const [n, changes] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await propagation(Number(n ?? 10_000), Number(changes ?? 20))) + '\n');
}
