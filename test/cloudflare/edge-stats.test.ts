// The agent's reads of the edge statistics: the SQL it sends to the
// Analytics Engine SQL API (a stand-in here), how the rows become the
// dashboard's figures and the Prometheus gauges, and a failing API.
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EdgeStatsReader } from '../../sync/stats/edge-reader.ts';
import { EdgeStatsMetrics } from '../../sync/stats/metrics.ts';
import { QUERIES_PER_REFRESH, statsQueries } from '../../sync/stats/sql.ts';
import { CloudflareApiStandIn } from './api-server.ts';

const NOW = Date.parse('2026-12-07T19:30:00Z');
let api: CloudflareApiStandIn;

beforeEach(async () => {
  api = await CloudflareApiStandIn.start({ token: 'analytics-token', account: 'acc1' });
});
afterEach(() => api.close());

function reader(registry = new Registry(), token = 'analytics-token') {
  const metrics = new EdgeStatsMetrics(registry);
  return { metrics, registry, reader: new EdgeStatsReader({ accountId: 'acc1', apiToken: token, dataset: 'edgress_requests', apiBase: api.baseUrl, metrics, now: () => NOW }) };
}

/** Rows as the SQL API would answer each of the four queries. */
function answerLikeAnalyticsEngine(): void {
  api.answerSql((sql) => {
    if (sql.includes('AS average_ms')) {
      return [
        { route: 'shop/api#0.0', host: 'shop.example.com', ingress: 'shop/api', rule: 'Prefix /api', service: 'shop/api:80', requests: '120', status_4xx: '6', status_5xx: '2', average_ms: 14.5, p50_ms: 9, p95_ms: 41 },
        { route: '(unmatched)', host: 'nope.example.org', ingress: '', rule: '', service: '', requests: '3', status_4xx: '3', status_5xx: '0', average_ms: 1, p50_ms: 1, p95_ms: 1 },
      ];
    }
    if (sql.includes('AS errors')) {
      return [
        { route: 'shop/api#0.0', host: 'shop.example.com', minute: '2026-12-07 19:28:00', requests: '70', errors: '1', p50_ms: 8, p95_ms: 40 },
        { route: 'shop/api#0.0', host: 'shop.example.com', minute: '2026-12-07 19:29:00', requests: '50', errors: '1', p50_ms: 10, p95_ms: 42 },
      ];
    }
    if (sql.includes('AS response_ms')) {
      return [
        { status: 200, minute: '2026-12-07 18:50:00', requests: '1000', response_ms: 9000 },
        { status: 200, minute: '2026-12-07 19:29:00', requests: '112', response_ms: 1500 },
        { status: 404, minute: '2026-12-07 19:29:00', requests: '9', response_ms: 20 },
        { status: 502, minute: '2026-12-07 19:29:00', requests: '2', response_ms: 300 },
      ];
    }
    return [{ timestamp: '2026-12-07 19:29:41', status: 502, method: 'GET', host: 'shop.example.com', rule: 'Prefix /api', error: 'connect' }];
  });
}

describe('the Analytics Engine SQL the agent sends', () => {
  it('is a fixed set of four queries per refresh, whatever the number of routes, with the bearer token', async () => {
    answerLikeAnalyticsEngine();
    const { reader: edge } = reader();
    await edge.refresh();
    await edge.refresh();
    expect(api.sqlQueries).toHaveLength(2 * QUERIES_PER_REFRESH);
    expect(QUERIES_PER_REFRESH).toBe(4);
    expect(api.requests.every((request) => request.method === 'POST' && request.path === '/accounts/acc1/analytics_engine/sql' && request.status === 200)).toBe(true);
    // At the default refresh (60 s) a day takes 4 × 1,440 = 5,760 queries: within the free plan's 10,000.
    expect(QUERIES_PER_REFRESH * ((24 * 3600) / 60)).toBeLessThanOrEqual(10_000);
  });

  it('reads the documented columns, weighs counts and percentiles by _sample_interval, and bounds every query', () => {
    const sql = statsQueries('edgress_requests');
    expect(sql.routes).toContain('SELECT index1 AS route, blob1 AS host, blob2 AS ingress, blob3 AS rule, blob4 AS service');
    expect(sql.routes).toContain('SUM(_sample_interval) AS requests');
    expect(sql.routes).toContain('SUM(if(double1 >= 500, _sample_interval, 0)) AS status_5xx');
    expect(sql.routes).toContain('SUM(_sample_interval * double2) / SUM(_sample_interval) AS average_ms');
    expect(sql.routes).toContain('quantileExactWeighted(0.95)(double2, _sample_interval) AS p95_ms');
    expect(sql.routes).toContain("FROM edgress_requests WHERE timestamp > NOW() - INTERVAL '300' SECOND");
    expect(sql.series).toContain("toStartOfInterval(timestamp, INTERVAL '1' MINUTE) AS minute");
    expect(sql.series).toContain("timestamp > NOW() - INTERVAL '60' MINUTE");
    expect(sql.statusCodes).toContain('SELECT double1 AS status');
    expect(sql.recentErrors).toContain('WHERE double1 >= 400');
    expect(sql.recentErrors).toContain('ORDER BY timestamp DESC LIMIT 10');
    for (const query of Object.values(sql)) {
      expect(query).toMatch(/LIMIT \d+ FORMAT JSON$/);
    }
  });

  it('refuses a dataset name that is not an identifier (nothing from a flag is pasted into SQL)', () => {
    expect(() => statsQueries("x; DROP TABLE y")).toThrow(/dataset name/);
    expect(() => statsQueries("edgress_requests WHERE 1=1 --")).toThrow(/dataset name/);
  });
});

describe('the figures read back', () => {
  it('become per-route statistics, /health totals and recent errors, marked as sampled', async () => {
    answerLikeAnalyticsEngine();
    const { reader: edge } = reader();
    await edge.refresh();
    const snapshot = edge.snapshot();
    expect(snapshot).toMatchObject({ source: 'analytics-engine', sampled: true, updatedAt: NOW, windowSeconds: 300 });
    expect(snapshot.problem).toBeUndefined();
    const api0 = snapshot.routes.find((route) => route.route === 'shop/api#0.0');
    expect(api0).toMatchObject({ host: 'shop.example.com', ingress: 'shop/api', rule: 'Prefix /api', requests: 120, status4xx: 6, status5xx: 2, p50Ms: 9, p95Ms: 41 });
    expect(api0?.series.map((point) => [new Date(point.minute).toISOString(), point.requests])).toEqual([
      ['2026-12-07T19:28:00.000Z', 70],
      ['2026-12-07T19:29:00.000Z', 50],
    ]);
    // The window holds the minutes of the last five; the totals the whole hour.
    expect(snapshot.window).toEqual({ count: 123, responseMs: 1820, statusCodes: { '200': 112, '404': 9, '502': 2 } });
    expect(snapshot.totals.statusCodes).toEqual({ '200': 1112, '404': 9, '502': 2 });
    expect(snapshot.recentErrors).toEqual([{ time: Date.parse('2026-12-07T19:29:41Z'), status: 502, method: 'GET', host: 'shop.example.com', path: 'Prefix /api', error: 'connect' }]);
  });

  it('set Prometheus gauges labelled by route and host, with help saying they are sampled estimates', async () => {
    answerLikeAnalyticsEngine();
    const { reader: edge, registry } = reader();
    await edge.refresh();
    const text = await registry.metrics();
    expect(text).toContain('edgress_edge_requests{route="shop/api#0.0",host="shop.example.com",class="all"} 120');
    expect(text).toContain('edgress_edge_requests{route="shop/api#0.0",host="shop.example.com",class="5xx"} 2');
    expect(text).toContain('edgress_edge_response_time_milliseconds{route="shop/api#0.0",host="shop.example.com",quantile="0.95"} 41');
    expect(text).toMatch(/# HELP edgress_edge_requests .*Sampled estimate/);
    expect(text).toContain(`edgress_edge_stats_queries_total ${QUERIES_PER_REFRESH}`);
  });

  it('keep the last figures when the API refuses, saying why (a token without Account Analytics: Read)', async () => {
    answerLikeAnalyticsEngine();
    const { reader: edge, registry } = reader();
    await edge.refresh();
    const { reader: refused } = reader(new Registry(), 'wrong-token');
    await refused.refresh();
    expect(refused.snapshot().problem).toMatch(/HTTP 403 \(the token needs Account Analytics: Read\)/);
    api.answerSql(() => {
      throw new Error('unknown column blob99');
    });
    await edge.refresh();
    expect(edge.snapshot().problem).toMatch(/HTTP 422.*unknown column blob99/);
    expect(edge.snapshot().routes).toHaveLength(2);
    expect(await registry.metrics()).toContain('edgress_edge_stats_refresh_failures_total 1');
  });
});
