/**
 * The benchmark suite as a correctness check (docs/measurements/performance.md): `bench/run.ts
 * --quick` runs every scenario at small sizes, and each scenario throws when
 * its inputs are answered wrongly, so a zero exit means the answers were
 * right. No timing is asserted: CI machines are too noisy for that. What
 * quick mode does not measure (proxy throughput needs wrk and nginx, absent
 * on CI) must be left out, not written as 0.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runProgram, type CliResult } from './harness/edgress.ts';

/** The fields of the results.json shape that --quick measures (its sizes are 1k, propagation 300). */
const MEASURED: readonly (readonly string[])[] = [
  ['lookup', 'p50_ns', '1k'],
  ['lookup', 'p99_ns', '1k'],
  ['lookup', 'baselines', 'linear', 'p50_ns', '1k'],
  ['lookup', 'baselines', 'find-my-way', 'p50_ns', '1k'],
  ['compile', 'full_ms', '1k'],
  ['compile', 'incremental_ms'],
  ['compile', 'rss_mb', '1k'],
  ['cold', 'cpu_ms', '1k'],
  ['cold', 'startup_cpu_ms', '1k'],
  ['cold', 'baseline_first_request_cpu_ms', '1k'],
  ['size', 'bytes_per_ingress'],
  ['size', 'max_shard_bytes'],
  ['size', 'total_bytes', '1k'],
  ['proxy', 'overhead_us'],
  ['proxy', 'stats_point_us'],
  ['proxy', 'overhead_ratio_plain'],
  ['proxy', 'overhead_ratio_full'],
  ['proxy', 'bare_cpu_us'],
  ['proxy', 'dev_rps_ratio'],
  ['proxy', 'dev_bare_rps'],
  ['memory', 'heap_mb', '1k'],
  ['propagation', 'p50_ms'],
  ['propagation', 'max_ms'],
  ['propagation', 'ingresses'],
];

const SECTIONS = ['lookup', 'compile', 'cold', 'size', 'proxy', 'memory', 'propagation'];

function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** Every leaf under a node, with its path: a NaN or a string anywhere in a section is as wrong as a missing field. */
function leaves(node: unknown, path: readonly string[] = []): [string, unknown][] {
  if (typeof node !== 'object' || node === null) return [[path.join('.'), node]];
  return Object.entries(node).flatMap(([key, child]) => leaves(child, [...path, key]));
}

describe('npm run bench -- --quick', () => {
  let dir: string;
  let run: CliResult;
  let results: unknown;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgress-bench-'));
    const out = join(dir, 'results.json');
    run = await runProgram(process.execPath, [join(REPO, 'bench/run.ts'), '--quick', '--out', out]);
    results = run.status === 0 ? JSON.parse(await readFile(out, 'utf8')) : undefined;
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs every scenario to completion, each having checked its answers', () => {
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/change propagation p50 \/ max/);
  });

  it('measures every field of the issue shape that quick mode covers', () => {
    for (const path of MEASURED) expect(Number.isFinite(at(results, path)), path.join('.')).toBe(true);
    for (const [path, value] of SECTIONS.flatMap((section) => leaves(at(results, [section]), [section]))) {
      expect(Number.isFinite(value), path).toBe(true);
    }
  });

  it('measures the ratios over a bare pass-through as ratios, not as differences', () => {
    for (const name of ['overhead_ratio_plain', 'overhead_ratio_full', 'dev_rps_ratio']) expect(at(results, ['proxy', name]), name).toBeGreaterThan(0);
    expect(at(results, ['proxy', 'bare_cpu_us'])).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/worker CPU \/ bare pass-through, plain route .*≤ 1\.25×/);
    expect(run.stdout).toMatch(/cold module start-up CPU/);
  });

  it('leaves out the proxy throughput it did not measure, and says so', () => {
    expect(at(results, ['proxy'])).not.toHaveProperty('rps_ratio_vs_bare');
    expect(at(results, ['proxy'])).not.toHaveProperty('p99_ratio_vs_bare');
    expect(run.stdout).toMatch(/skipped \(--quick\)/);
  });
});
