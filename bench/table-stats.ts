/**
 * Compile, size and memory figures for one cluster size, in a fresh process:
 *   node --expose-gc bench/table-stats.ts <n>
 * prints one JSON line. Before anything is timed, every lookup of a sample
 * is answered from the published shards and checked.
 *
 * The agent's figures come from a second fresh process (`--agent`), which
 * holds what the sync agent holds: the objects, an incremental compiler and
 * a publication builder. It reports the agent's RSS, and "one change →
 * publishable": one changed EndpointSlice, and one changed Ingress, applied
 * to the compiler and published (median of several changes each), after
 * checking that the incremental table and publication equal a full
 * `compile()` and `buildPublication()` of the same objects.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/compile/index.ts';
import { createIncrementalCompiler, type ObjectChange } from '../src/compile/incremental/index.ts';
import { selectRoute } from '../src/match/select.ts';
import { ShardIndex } from '../src/match/shard-index.ts';
import { POINTER_KEY, SHARD_PREFIX } from '../src/storage/layout.ts';
import { ShardedTableStore } from '../src/store/sharded-store.ts';
import { PublicationBuilder } from '../src/storage/publication-builder.ts';
import { buildPublication, type Publication } from '../src/storage/publication.ts';
import { parseWireShard } from '../src/storage/wire.ts';
import type { KubeObject } from '../src/compile/api.ts';
import { generateCluster, lookups } from './generate.ts';

function heapMb(): number {
  // Twice: the first collection's finalisation can leave garbage for the second.
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const rssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** The heap of every shard read and indexed by host, as the worker's store holds them, no host served yet. */
function heapOfEveryShard(publication: Publication): number {
  const before = heapMb();
  const loaded: ShardIndex[] = [];
  for (const [key, value] of publication.values) {
    if (!key.startsWith(SHARD_PREFIX)) continue;
    const wire = parseWireShard(JSON.parse(value));
    if (!wire) throw new Error(`shard ${key} does not decode`);
    loaded.push(new ShardIndex(wire));
  }
  const heap = heapMb() - before;
  if (loaded.length === 0) throw new Error('the publication has no shards');
  return heap;
}

/** The worker's own store over the published values (its shard cache bounded as in the worker). */
function storeOf(publication: Publication): ShardedTableStore {
  const reader = { get: async (key: string) => (key === POINTER_KEY ? publication.pointer : publication.values.get(key) ?? null) };
  return new ShardedTableStore(reader, { refreshMs: Number.POSITIVE_INFINITY });
}

/** A sample of lookups, answered from the published values as the worker answers them. */
async function verify(publication: Publication, objects: ReturnType<typeof generateCluster>): Promise<void> {
  const store = storeOf(publication);
  for (const lookup of lookups(objects, 2000)) {
    const found = await store.forHost(lookup.host);
    const selection = found ? selectRoute(found.view, lookup.path, 'http') : undefined;
    const got = selection && 'path' in selection.route.router.match ? selection.route.router.match.path : undefined;
    if (got !== lookup.rule) throw new Error(`published table answers ${lookup.host}${lookup.path} with ${got}, expected ${lookup.rule}`);
  }
}


export async function tableStats(n: number) {
  const cluster = generateCluster(n);
  const started = performance.now();
  const { table } = compile(cluster.objects, {});
  const compiled = performance.now();
  const publication = await buildPublication(table);
  const published = performance.now();
  const rssFullMb = rssMb();

  let total = 0;
  let maxShard = 0;
  for (const [key, value] of publication.values) {
    total += value.length;
    if (key.startsWith(SHARD_PREFIX)) maxShard = Math.max(maxShard, value.length);
  }
  await verify(publication, cluster);
  const heap = heapOfEveryShard(publication);
  const heapAllHosts = await servedEveryHost(publication, cluster);
  return {
    n,
    compile_ms: compiled - started,
    publish_ms: published - compiled,
    full_ms: published - started,
    rss_full_compile_mb: rssFullMb,
    ...agentStats(n),
    bytes_per_ingress: total / n,
    max_shard_bytes: maxShard,
    total_bytes: total,
    buckets: publication.bucketCount,
    heap_mb: heap,
    heap_all_hosts_mb: heapAllHosts,
  };
}

/** Node flags of the agent's image; `deploy/Dockerfile` says why. */
const AGENT_NODE_FLAGS = ['--max-semi-space-size=8'];

/**
 * The heap of a warm isolate that has served every host: the worker's own
 * store (its shard cache bounded as in the worker), each host asked for once.
 */
async function servedEveryHost(publication: Publication, cluster: ReturnType<typeof generateCluster>): Promise<number> {
  const before = heapMb();
  const store = storeOf(publication);
  for (const facts of cluster.ingresses) {
    if (!(await store.forHost(facts.host))?.view.exact) throw new Error(`the store has no routes for ${facts.host}`);
  }
  const heap = heapMb() - before;
  if (!store.version) throw new Error('the store holds no table');
  return heap;
}

/** The agent's figures, from a fresh process. */
function agentStats(n: number): AgentStats {
  // With the V8 flags of the agent's image (deploy/Dockerfile).
  const result = spawnSync(process.execPath, ['--expose-gc', ...AGENT_NODE_FLAGS, fileURLToPath(import.meta.url), String(n), '--agent'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  const line = result.stdout.trim().split('\n').reverse().find((candidate) => candidate.startsWith('{'));
  if (result.status !== 0 || !line) throw new Error(`table-stats --agent ${n} failed:\n${result.stderr}${result.stdout}`);
  return JSON.parse(line) as AgentStats;
}

interface AgentStats {
  readonly initial_ms: number;
  readonly rss_mb: number;
  readonly rss_steady_mb: number;
  readonly incremental_ms: number;
  readonly change_slice_ms: number;
  readonly change_slice_sync_ms: number;
  readonly change_ingress_ms: number;
  readonly incremental_values_written: number;
  /** One changed EndpointSlice the way the agent published to Cloudflare before one path: every cached object handed over, the whole publication built again. */
  readonly change_slice_relist_full_publication_ms: number;
}

const CHANGES = 15;

/** What the sync agent holds and does: objects, incremental compile, incremental publication, one change at a time. */
async function agent(n: number): Promise<AgentStats> {
  const cluster = generateCluster(n);
  const objects = [...cluster.objects];
  const compiler = createIncrementalCompiler({});
  const builder = new PublicationBuilder();
  const started = performance.now();
  let result = compiler.update(objects.map((object) => ({ type: 'upsert', object })));
  let publication = await builder.build(result.table);
  const initialMs = performance.now() - started;
  const rss = rssMb();

  const slice = objects.findIndex((object) => object.kind === 'EndpointSlice');
  const ingress = objects.findIndex((object) => object.kind === 'Ingress');
  const timed = async (apply: () => typeof result) => {
    const start = performance.now();
    result = apply();
    const previousCount = publication.bucketCount;
    const next = await builder.build(result.table);
    const ms = performance.now() - start;
    const written = [...next.values.keys()].filter((key) => !publication.values.has(key)).length;
    publication = next;
    lastCount = previousCount;
    return { ms, written };
  };
  let lastCount: number | undefined;
  const sliceMs: number[] = [];
  const syncMs: number[] = [];
  const ingressMs: number[] = [];
  let written = 0;
  for (let k = 1; k <= CHANGES; k++) {
    const changedSlice = withPod(objects[slice]!, k);
    sliceMs.push((await timed(() => compiler.update([upsert(changedSlice)]))).ms);
    objects[slice] = withPod(objects[slice]!, k + 1000);
    syncMs.push((await timed(() => compiler.sync(objects))).ms);
    objects[ingress] = withPriority(objects[ingress]!, k);
    const change = await timed(() => compiler.update([upsert(objects[ingress]!)]));
    ingressMs.push(change.ms);
    written = Math.max(written, change.written);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const relistFullMs: number[] = [];
  for (let k = 1; k <= CHANGES; k++) {
    objects[slice] = withPod(objects[slice]!, k + 2000);
    const start = performance.now();
    result = compiler.sync([...objects]);
    await buildPublication(result.table, { previousBucketCount: publication.bucketCount });
    relistFullMs.push(performance.now() - start);
  }
  // The builder and the compiler agree again before the comparison with a full compile.
  publication = await builder.build(result.table);
  heapMb();
  const steady = rssMb();
  await expectFull(result.table, publication, compiler.objects(), lastCount);
  return {
    initial_ms: initialMs,
    rss_mb: rss,
    rss_steady_mb: steady,
    incremental_ms: Math.max(median(sliceMs), median(ingressMs)),
    change_slice_ms: median(sliceMs),
    change_slice_sync_ms: median(syncMs),
    change_ingress_ms: median(ingressMs),
    incremental_values_written: written,
    change_slice_relist_full_publication_ms: median(relistFullMs),
  };
}

const upsert = (object: KubeObject): ObjectChange => ({ type: 'upsert', object });

/** The EndpointSlice with one more ready pod. */
function withPod(object: KubeObject, k: number): KubeObject {
  const slice = object as KubeObject & { endpoints: unknown[] };
  return { ...slice, endpoints: [...slice.endpoints.slice(0, 3), { addresses: [`10.250.${k >> 8}.${k & 255}`], conditions: { ready: true } }] };
}

/** The Ingress with another priority. */
function withPriority(object: KubeObject, priority: number): KubeObject {
  const metadata = object.metadata as { annotations: Record<string, string> };
  return { ...object, metadata: { ...metadata, annotations: { ...metadata.annotations, 'traefik.ingress.kubernetes.io/priority': String(priority) } } };
}

/** The incremental table and publication are those of a full compile and publication of the same objects. */
async function expectFull(table: unknown, publication: Publication, objects: readonly KubeObject[], previousBucketCount: number | undefined): Promise<void> {
  const full = compile(objects, {});
  if (JSON.stringify(full.table) !== JSON.stringify(table)) throw new Error('the incremental table differs from a full compile');
  const expected = await buildPublication(full.table, { previousBucketCount });
  if (expected.pointer !== publication.pointer) throw new Error('the incremental publication differs from buildPublication');
}

if (import.meta.main) {
  const n = Number(process.argv[2] ?? 1000);
  const stats = process.argv.includes('--agent') ? await agent(n) : await tableStats(n);
  process.stdout.write(JSON.stringify(stats) + '\n');
}
