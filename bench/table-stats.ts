/**
 * Compile, size and memory figures for one cluster size, in a fresh process:
 *   node --expose-gc bench/table-stats.ts <n>
 * prints one JSON line. Before anything is timed, every lookup of a sample
 * is answered from the published shards and checked.
 */
import { compile } from '../src/compile/index.ts';
import { selectRoute } from '../src/match/select.ts';
import { ShardIndex } from '../src/match/shard-index.ts';
import { bucketOf, SHARD_PREFIX } from '../src/table/layout.ts';
import { buildPublication, type Publication } from '../src/table/publication.ts';
import { parseWireShard } from '../src/table/wire.ts';
import type { KubeObject } from '../src/compile/api.ts';
import { generateCluster, lookups } from './generate.ts';

function heapMb(): number {
  // Twice: the first collection's finalisation can leave garbage for the second.
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** Every shard read and indexed by host, as the worker's store holds them. */
function loadAll(publication: Publication): Map<string, ShardIndex> {
  const loaded = new Map<string, ShardIndex>();
  for (const [key, value] of publication.values) {
    if (!key.startsWith(SHARD_PREFIX)) continue;
    const wire = parseWireShard(JSON.parse(value));
    if (!wire) throw new Error(`shard ${key} does not decode`);
    loaded.set(key, new ShardIndex(wire));
  }
  return loaded;
}

function shardOf(publication: Publication, loaded: Map<string, ShardIndex>, host: string): ShardIndex | undefined {
  const manifest = JSON.parse(publication.values.get(JSON.parse(publication.pointer).manifest)!);
  const key = manifest.buckets[bucketOf(host, manifest.buckets.length)];
  return key ? loaded.get(key) : undefined;
}

function verify(publication: Publication, loaded: Map<string, ShardIndex>, objects: ReturnType<typeof generateCluster>): void {
  for (const lookup of lookups(objects, 2000)) {
    const exact = shardOf(publication, loaded, lookup.host)?.exactGroup(lookup.host);
    const selection = exact ? selectRoute({ exact }, lookup.path, 'http') : undefined;
    const got = selection && 'path' in selection.route.router.match ? selection.route.router.match.path : undefined;
    if (got !== lookup.rule) throw new Error(`published table answers ${lookup.host}${lookup.path} with ${got}, expected ${lookup.rule}`);
  }
}

/** One EndpointSlice gains a pod: the change an agent sees most often. */
function withOneChange(objects: readonly KubeObject[]): KubeObject[] {
  const index = objects.findIndex((object) => object.kind === 'EndpointSlice');
  const slice = objects[index] as { endpoints: unknown[] } & KubeObject;
  const changed = { ...slice, endpoints: [...slice.endpoints, { addresses: ['10.250.0.1'], conditions: { ready: true } }] };
  return objects.map((object, i) => (i === index ? changed : object));
}

export async function tableStats(n: number) {
  const cluster = generateCluster(n);
  const started = performance.now();
  const { table } = compile(cluster.objects, {});
  const compiled = performance.now();
  const publication = await buildPublication(table);
  const published = performance.now();
  const rssMb = process.memoryUsage().rss / 1024 / 1024;

  const changedAt = performance.now();
  const next = compile(withOneChange(cluster.objects), {});
  const nextPublication = await buildPublication(next.table, { previousBucketCount: publication.bucketCount });
  const incrementalMs = performance.now() - changedAt;
  const changedValues = [...nextPublication.values.keys()].filter((key) => !publication.values.has(key)).length;

  let total = 0;
  let maxShard = 0;
  for (const [key, value] of publication.values) {
    total += value.length;
    if (key.startsWith(SHARD_PREFIX)) maxShard = Math.max(maxShard, value.length);
  }
  const before = heapMb();
  const loaded = loadAll(publication);
  const heap = heapMb() - before;
  // A warm isolate that has served every host holds every host's routes built.
  for (const facts of cluster.ingresses) shardOf(publication, loaded, facts.host)?.exactGroup(facts.host);
  const heapAllHosts = heapMb() - before;
  verify(publication, loaded, cluster);
  return {
    n,
    compile_ms: compiled - started,
    publish_ms: published - compiled,
    full_ms: published - started,
    incremental_ms: incrementalMs,
    incremental_values_written: changedValues,
    rss_mb: rssMb,
    bytes_per_ingress: total / n,
    max_shard_bytes: maxShard,
    total_bytes: total,
    buckets: publication.bucketCount,
    heap_mb: heap,
    heap_all_hosts_mb: heapAllHosts,
  };
}

if (import.meta.main) {
  const n = Number(process.argv[2] ?? 1000);
  process.stdout.write(JSON.stringify(await tableStats(n)) + '\n');
}
