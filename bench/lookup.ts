/**
 * Route lookup benchmark, one router per process (see `run.ts`):
 *   node --expose-gc bench/lookup.ts <n> <edgress|linear|find-my-way> [seconds]
 * prints one JSON line: { p50_ns, p99_ns, build_ms, heap_mb, lookups }.
 * Every lookup's answer is checked before anything is timed.
 */
import FindMyWay from 'find-my-way';
import { compile } from '../src/compile/index.ts';
import { compileTable, hostView } from '../src/match/compiled-table.ts';
import { pathMatches } from '../src/match/compiled-route.ts';
import { selectRoute } from '../src/match/select.ts';
import type { Router, Table } from '../src/table/schema.ts';
import { generateCluster, lookups, type Lookup } from './generate.ts';

type Matcher = (host: string, path: string) => string | undefined;

/** edgress: host hash map, then the per-host structure (the worker's matcher). */
function edgress(table: Table): Matcher {
  const compiled = compileTable(table);
  return (host, path) => {
    const selection = selectRoute(hostView(compiled, host), path, 'http');
    return selection?.route.router.match.type === 'any' ? undefined : (selection?.route.router.match as { path: string } | undefined)?.path;
  };
}

/**
 * Traefik 1.7 / Envoy: every route in one list, in priority order (the
 * annotation, then rule-string length as Traefik computed it, Exact first on
 * ties), walked until the first match.
 */
function linear(table: Table): Matcher {
  const length = (r: Router) => `Host:${r.host}`.length + ('path' in r.match ? `PathPrefix:${r.match.path}`.length : 0);
  const rank = new Map(table.routers.map((r) => [r, length(r)]));
  const routes = [...table.routers].sort(
    (a, b) => b.priority - a.priority || rank.get(b)! - rank.get(a)! || (a.match.type === 'exact' ? 0 : 1) - (b.match.type === 'exact' ? 0 : 1),
  );
  return (host, path) => {
    for (const route of routes) {
      if (route.host === host && pathMatches(route.match, path)) return 'path' in route.match ? route.match.path : undefined;
    }
    return undefined;
  };
}

/** find-my-way with the host encoded as the first path segment. */
function findMyWay(table: Table): Matcher {
  const router = FindMyWay({ ignoreTrailingSlash: false, maxParamLength: 500 });
  const handler = (path: string) => () => path;
  for (const route of table.routers) {
    if (route.match.type === 'any') continue;
    const base = `/${route.host}${route.match.path === '/' ? '' : route.match.path.replace(/\/$/, '')}`;
    router.on('GET', base === `/${route.host}` ? `${base}/` : base, handler(route.match.path));
    if (route.match.type !== 'exact') router.on('GET', `${base}/*`, handler(route.match.path));
  }
  return (host, path) => {
    const found = router.find('GET', `/${host}${path}`);
    return found ? (found.handler as unknown as () => string)() : undefined;
  };
}

const ROUTERS = { edgress, linear, 'find-my-way': findMyWay } as const;

function verify(match: Matcher, cases: readonly Lookup[]): void {
  for (const c of cases) {
    const got = match(c.host, c.path);
    if (got !== c.rule) throw new Error(`wrong answer for ${c.host}${c.path}: ${got} instead of ${c.rule}`);
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

export function measure(n: number, name: keyof typeof ROUTERS, seconds: number) {
  const cluster = generateCluster(n);
  const { table } = compile(cluster.objects, {});
  const cases = lookups(cluster, 20_000);
  const before = heapMb();
  const started = performance.now();
  const match = ROUTERS[name](table);
  match(cases[0]!.host, cases[0]!.path);
  const buildMs = performance.now() - started;
  const heap = heapMb() - before;
  verify(match, cases);
  const batch = 100;
  const means: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  let k = 0;
  let sink = 0;
  while (performance.now() < deadline) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) {
      const c = cases[k++ % cases.length]!;
      sink += match(c.host, c.path)?.length ?? 0;
    }
    means.push(Number(process.hrtime.bigint() - start) / batch);
  }
  means.sort((a, b) => a - b);
  return { p50_ns: percentile(means, 0.5), p99_ns: percentile(means, 0.99), build_ms: buildMs, heap_mb: heap, lookups: k, sink };
}

if (import.meta.main) {
  const [n, name, seconds] = process.argv.slice(2);
  if (!n || !name || !(name in ROUTERS)) throw new Error('usage: lookup.ts <n> <edgress|linear|find-my-way> [seconds]');
  const result = measure(Number(n), name as keyof typeof ROUTERS, Number(seconds ?? 1.5));
  process.stdout.write(JSON.stringify(result) + '\n');
}
