/**
 * CPU cost of the per-request statistics data point alone (`worker/base/stats.ts`:
 * building the point from the route's precomputed columns, the request and
 * the response, and handing it to the dataset), measured in Node's V8 in a
 * tight loop, where workerd's clock would not advance. The overhead
 * benchmark (`overhead.ts`, `stats_us`) measures the same inside workerd,
 * with more noise.
 *   node bench/stats-point.ts [iterations]
 * prints one JSON line.
 */
import { compileRoute, tableReferences } from '../src/match/compiled-route.ts';
import type { StatsDataPoint } from '../src/stats/layout.ts';
import type { Table } from '../src/table/schema.ts';
import { newOutcome, writeStats } from '../worker/base/stats.ts';

const table: Table = {
  schema: 1,
  routers: [{ id: 'shop/api#0.1', source: 'shop/api', host: 'shop.example.com', match: { type: 'prefix', path: '/api' }, priority: 0, middlewares: [], service: 's0', passHostHeader: true }],
  middlewares: {},
  services: { s0: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'api', port: 80 }, servers: [{ address: '10.0.0.7:8080', weight: 1 }] } },
};

export function statsPointCost(iterations: number): { stats_point_us: number; iterations: number } {
  const route = compileRoute(table.routers[0]!, tableReferences(table), 0);
  const request = new Request('http://shop.example.com/api/orders', { headers: { 'content-length': '0' } });
  const response = new Response('ok', { headers: { 'content-length': '2' } });
  let kept: StatsDataPoint | undefined;
  const dataset = { writeDataPoint: (point: StatsDataPoint) => void (kept = point) };
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const outcome = newOutcome();
      outcome.route = route;
      outcome.upstreamMs = 3;
      writeStats(dataset, undefined, request, response, outcome, 5);
    }
  };
  run(Math.min(iterations, 50_000));
  const started = process.hrtime.bigint();
  run(iterations);
  const elapsed = Number(process.hrtime.bigint() - started) / 1000;
  if (kept?.blobs.length !== 8) throw new Error('no data point written');
  return { stats_point_us: elapsed / iterations, iterations };
}

if (import.meta.main) {
  process.stdout.write(JSON.stringify(statsPointCost(Number(process.argv[2] ?? 500_000))) + '\n');
}
