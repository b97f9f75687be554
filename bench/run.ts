/**
 * `npm run bench`: every scenario of docs/measurements/performance.md on synthetic clusters from one
 * seeded generator (`generate.ts`), each measurement in a fresh process,
 * rounds in alternating order, medians reported. Prints a table and writes
 * `bench/results.json`. Every scenario first checks that its inputs are
 * answered correctly, so a fast wrong answer fails the run.
 *   node bench/run.ts                 full suite (several minutes)
 *   node bench/run.ts --quick         small sizes, one round: a correctness check; what it
 *                                     does not measure (proxy throughput, which needs wrk
 *                                     and nginx) is left out of the results
 *   node bench/run.ts --out <file>    write the results there instead
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUESTS_PER_CALL } from './overhead.ts';

const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const outPath = outIndex >= 0 ? process.argv[outIndex + 1] : undefined;
if (outIndex >= 0 && !outPath) throw new Error('--out needs a file');
const out = outPath ? resolve(outPath) : fileURLToPath(new URL('./results.json', import.meta.url));
const SIZES = quick
  ? { lookup: [1000], stats: [1000], cold: [1000], propagation: { ingresses: 300, changes: 6 } }
  : { lookup: [1000, 10_000, 50_000], stats: [10_000, 50_000], cold: [10_000, 50_000], propagation: { ingresses: 10_000, changes: 20 } };
const ROUNDS = quick ? 1 : 5;
const COLD_ROUNDS = 15;
const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));

/** Runs `bench/<script> <args>` in a fresh Node process and returns its JSON line. */
function run<T>(script: string, args: readonly (string | number)[]): T {
  const result = spawnSync(process.execPath, ['--expose-gc', new URL(script, import.meta.url).pathname, ...args.map(String)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = result.stdout.trim().split('\n').reverse().find((candidate) => candidate.startsWith('{'));
  if (result.status !== 0 || !line) throw new Error(`bench/${script} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
  return JSON.parse(line) as T;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

interface LookupResult {
  readonly p50_ns: number;
  readonly p99_ns: number;
}

/** Median p50/p99 over rounds, the routers' order alternating each round. */
function lookups(n: number, routers: readonly string[], rounds: number, seconds: number): Record<string, LookupResult> {
  const samples: Record<string, LookupResult[]> = Object.fromEntries(routers.map((router) => [router, []]));
  for (let round = 0; round < rounds; round++) {
    for (const router of round % 2 === 0 ? routers : [...routers].reverse()) samples[router]!.push(run<LookupResult>('./lookup.ts', [n, router, seconds]));
  }
  return Object.fromEntries(
    routers.map((router) => [router, { p50_ns: median(samples[router]!.map((s) => s.p50_ns)), p99_ns: median(samples[router]!.map((s) => s.p99_ns)) }]),
  );
}

interface TableStats {
  readonly full_ms: number;
  readonly incremental_ms: number;
  readonly rss_mb: number;
  readonly bytes_per_ingress: number;
  readonly max_shard_bytes: number;
  readonly total_bytes: number;
  readonly heap_mb: number;
  readonly heap_all_hosts_mb: number;
}

function medianStats(samples: readonly TableStats[]): TableStats {
  const pick = (key: keyof TableStats) => median(samples.map((sample) => sample[key]));
  return {
    full_ms: pick('full_ms'), incremental_ms: pick('incremental_ms'), rss_mb: pick('rss_mb'), bytes_per_ingress: pick('bytes_per_ingress'),
    max_shard_bytes: pick('max_shard_bytes'), total_bytes: pick('total_bytes'), heap_mb: pick('heap_mb'), heap_all_hosts_mb: pick('heap_all_hosts_mb'),
  };
}

const lookupSeconds = quick ? 0.2 : 1.5;
const results = {
  lookup: { p50_ns: {} as Record<string, number>, p99_ns: {} as Record<string, number>, baselines: {} as Record<string, { p50_ns: Record<string, number>; p99_ns: Record<string, number> }> },
  compile: { full_ms: {} as Record<string, number>, incremental_ms: 0, rss_mb: {} as Record<string, number> },
  cold: { cpu_ms: {} as Record<string, number>, startup_cpu_ms: {} as Record<string, number>, baseline_first_request_cpu_ms: {} as Record<string, number> },
  size: { bytes_per_ingress: 0, max_shard_bytes: 0, total_bytes: {} as Record<string, number> },
  proxy: { overhead_us: 0, stats_point_us: 0, overhead_ratio_plain: 0, overhead_ratio_full: 0, bare_cpu_us: 0, dev_rps_ratio: 0, dev_bare_rps: 0 } as {
    rps_ratio_vs_bare?: number;
    p99_ratio_vs_bare?: number;
    overhead_us: number;
    /** The statistics data point's own cost per request (part of every edgress measurement). */
    stats_point_us: number;
    overhead_ratio_plain: number;
    overhead_ratio_full: number;
    /** The bare pass-through's CPU per request, the baseline of both ratios. */
    bare_cpu_us: number;
    dev_rps_ratio: number;
    dev_bare_rps: number;
  },
  propagation: { p50_ms: 0, max_ms: 0, ingresses: 0 },
  memory: { heap_mb: {} as Record<string, number>, heap_all_hosts_mb: {} as Record<string, number> },
  details: {} as Record<string, unknown>,
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version, quick },
};

for (const n of SIZES.lookup) {
  const baselineSize = n === (quick ? 1000 : 10_000);
  const routers = baselineSize ? ['edgress', 'linear', 'find-my-way'] : ['edgress'];
  const measured = lookups(n, routers, n >= 50_000 ? Math.min(ROUNDS, 3) : ROUNDS, lookupSeconds);
  results.lookup.p50_ns[label(n)] = measured['edgress']!.p50_ns;
  results.lookup.p99_ns[label(n)] = measured['edgress']!.p99_ns;
  for (const baseline of routers.filter((router) => router !== 'edgress')) {
    results.lookup.baselines[baseline] = { p50_ns: { [label(n)]: measured[baseline]!.p50_ns }, p99_ns: { [label(n)]: measured[baseline]!.p99_ns } };
  }
}

for (const n of SIZES.stats) {
  const rounds = n >= 50_000 || quick ? 1 : 3;
  const stats = medianStats(Array.from({ length: rounds }, () => run<TableStats>('./table-stats.ts', [n])));
  results.compile.full_ms[label(n)] = stats.full_ms;
  results.compile.rss_mb[label(n)] = stats.rss_mb;
  results.memory.heap_mb[label(n)] = stats.heap_mb;
  results.memory.heap_all_hosts_mb[label(n)] = stats.heap_all_hosts_mb;
  results.size.total_bytes[label(n)] = stats.total_bytes;
  if (n === SIZES.stats[0]) {
    results.compile.incremental_ms = stats.incremental_ms;
    results.size.bytes_per_ingress = stats.bytes_per_ingress;
  }
  results.size.max_shard_bytes = Math.max(results.size.max_shard_bytes, stats.max_shard_bytes);
  results.details[`table-stats-${label(n)}`] = stats;
}

for (const n of SIZES.cold) {
  // Rounds alternate with the I/O-only worker; a cold start varies by a few ms, so more rounds than elsewhere.
  const cold = run<{ cpu_ms: number; startup_cpu_ms: number; baseline_first_request_cpu_ms: number }>('./cold.ts', [n, quick ? 1 : COLD_ROUNDS]);
  results.cold.cpu_ms[label(n)] = cold.cpu_ms;
  results.cold.startup_cpu_ms[label(n)] = cold.startup_cpu_ms;
  results.cold.baseline_first_request_cpu_ms[label(n)] = cold.baseline_first_request_cpu_ms;
  results.details[`cold-${label(n)}`] = cold;
}

interface Overhead {
  readonly overhead_us: number;
  readonly overhead_ratio_plain: number;
  readonly overhead_ratio_full: number;
  readonly cpu_us: Readonly<Record<'plain' | 'bare-plain' | 'full' | 'bare-full', number>>;
}
// One workerd, sides alternating inside it (`overhead.ts`): short calls, the median of the rounds' paired ratios.
const overhead = run<Overhead>('./overhead.ts', [REQUESTS_PER_CALL, quick ? 3 : 101]);
results.proxy.overhead_us = overhead.overhead_us;
results.proxy.overhead_ratio_plain = overhead.overhead_ratio_plain;
results.proxy.overhead_ratio_full = overhead.overhead_ratio_full;
results.proxy.bare_cpu_us = median([overhead.cpu_us['bare-plain'], overhead.cpu_us['bare-full']]);
results.details['overhead'] = overhead;

const dev = run<{ dev_rps_ratio: number; rps: { edgress: number; bare: number } }>('./dev-rps.ts', quick ? [1, 1, 8] : [5, 5, 16]);
results.proxy.dev_rps_ratio = dev.dev_rps_ratio;
results.proxy.dev_bare_rps = dev.rps.bare;
results.details['dev'] = dev;
// The statistics data point is part of every edgress side above (the worker writes it); this is its own share.
const statsPoints = Array.from({ length: quick ? 1 : 3 }, () => run<{ stats_point_us: number }>('./stats-point.ts', [quick ? 100_000 : 500_000]));
results.proxy.stats_point_us = median(statsPoints.map((s) => s.stats_point_us));
results.details['stats-point'] = statsPoints;

if (!quick) {
  const proxy = run<{ rps_ratio_vs_bare: number; p99_ratio_vs_bare: number }>('./proxy.ts', [8, 3]);
  results.proxy.rps_ratio_vs_bare = proxy.rps_ratio_vs_bare;
  results.proxy.p99_ratio_vs_bare = proxy.p99_ratio_vs_bare;
  results.details['proxy'] = proxy;
}

const propagation = run<{ p50_ms: number; max_ms: number; ingresses: number }>('./propagation.ts', [SIZES.propagation.ingresses, SIZES.propagation.changes]);
results.propagation = { p50_ms: propagation.p50_ms, max_ms: propagation.max_ms, ingresses: propagation.ingresses };
results.details['propagation'] = propagation;

writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
printTable(results);

function printTable(r: typeof results): void {
  const rows: [string, string, string][] = [
    ['lookup p50 / p99 (ns)', Object.keys(r.lookup.p50_ns).map((k) => `${k}: ${r.lookup.p50_ns[k]!.toFixed(0)} / ${r.lookup.p99_ns[k]!.toFixed(0)}`).join(', '), 'p50 ≤ 300 (10k), ≤ 500 (50k); p99 ≤ 1000 (10k)'],
    ...Object.entries(r.lookup.baselines).map(([name, b]): [string, string, string] => [`  baseline ${name} p50 (ns)`, Object.entries(b.p50_ns).map(([k, v]) => `${k}: ${v.toFixed(0)}`).join(', '), '']),
    ['full compile + publish (ms)', Object.entries(r.compile.full_ms).map(([k, v]) => `${k}: ${v.toFixed(0)}`).join(', '), '≤ 1000 (10k)'],
    ['one change → publishable (ms)', r.compile.incremental_ms.toFixed(1), '≤ 10'],
    ['agent RSS (MB)', Object.entries(r.compile.rss_mb).map(([k, v]) => `${k}: ${v.toFixed(0)}`).join(', '), '≤ 200 (10k)'],
    ['cold first request CPU beyond I/O-only (ms)', Object.entries(r.cold.cpu_ms).map(([k, v]) => `${k}: ${v.toFixed(2)} (I/O-only: ${r.cold.baseline_first_request_cpu_ms[k]!.toFixed(1)})`).join(', '), '≤ 5 (10k)'],
    ['cold module start-up CPU (ms)', Object.entries(r.cold.startup_cpu_ms).map(([k, v]) => `${k}: ${v.toFixed(1)}`).join(', '), '≤ 50'],
    ['bytes per Ingress / largest shard', `${r.size.bytes_per_ingress.toFixed(0)} B / ${(r.size.max_shard_bytes / 1024).toFixed(0)} KB`, '≤ 300 B / ≤ 256 KB'],
    ['total stored', Object.entries(r.size.total_bytes).map(([k, v]) => `${k}: ${(v / 1e6).toFixed(1)} MB`).join(', '), '50k fits KV'],
    ['worker heap, table loaded (MB)', Object.entries(r.memory.heap_mb).map(([k, v]) => `${k}: ${v.toFixed(1)}`).join(', '), '≤ 10 per 10k'],
    ['worker heap, all hosts served (MB)', Object.entries(r.memory.heap_all_hosts_mb).map(([k, v]) => `${k}: ${v.toFixed(1)}`).join(', '), '< 64 (50k)'],
    ['proxy req/s vs bare workerd', r.proxy.rps_ratio_vs_bare?.toFixed(2) ?? 'skipped (--quick)', '≥ 0.90'],
    ['proxy p99 vs bare workerd', r.proxy.p99_ratio_vs_bare?.toFixed(2) ?? 'skipped (--quick)', '≤ 1.20'],
    ['worker CPU / bare pass-through, plain route', `${r.proxy.overhead_ratio_plain.toFixed(2)}× (bare: ${r.proxy.bare_cpu_us.toFixed(1)} µs)`, '≤ 1.25×'],
    ['worker CPU / bare pass-through, full chain', `${r.proxy.overhead_ratio_full.toFixed(2)}× (bare: ${r.proxy.bare_cpu_us.toFixed(1)} µs)`, '≤ 1.6×'],
    ['in-process overhead, full chain (µs/request)', r.proxy.overhead_us.toFixed(1), '≤ 20'],
    ['edgress dev req/s / bare worker, same hops', `${r.proxy.dev_rps_ratio.toFixed(2)} (bare: ${r.proxy.dev_bare_rps.toFixed(0)} req/s)`, '≥ 0.90'],
    ['  of which the statistics data point (µs)', r.proxy.stats_point_us.toFixed(2), 'part of the above'],
    [`change propagation p50 / max (ms, ${label(r.propagation.ingresses)})`, `${r.propagation.p50_ms.toFixed(0)} / ${r.propagation.max_ms.toFixed(0)}`, '≤ 1000'],
  ];
  const width = Math.max(...rows.map((row) => row[0].length));
  const valueWidth = Math.max(...rows.map((row) => row[1].length));
  process.stdout.write(`edgress benchmarks (${r.machine.cpus} CPUs, ${r.machine.model}, Node ${r.machine.node}${quick ? ', --quick' : ''})\n\n`);
  for (const [name, value, goal] of rows) process.stdout.write(`${name.padEnd(width)}  ${value.padEnd(valueWidth)}  ${goal}\n`);
  if (quick) process.stdout.write(`\nproxy throughput vs bare workerd and nginx skipped (--quick): not in the results\n`);
  process.stdout.write(`\nwritten to ${out}\n`);
}
