/**
 * The edge statistics as Prometheus gauges, in the agent's registry (its
 * `--metrics-port`). Every figure is a *sampled estimate* read back from
 * Workers Analytics Engine over the last five minutes, so they are gauges
 * (set at each refresh), not counters, and their help text says so.
 *
 * @example
 * ```ts
 * const metrics = new EdgeStatsMetrics(agent.metrics.registry);
 * metrics.update(snapshot);
 * ```
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { StatsSnapshot } from './snapshot.ts';

const ESTIMATE = 'Sampled estimate from Workers Analytics Engine, over the last 5 minutes';

export class EdgeStatsMetrics {
  readonly requests: Gauge<'route' | 'host' | 'class'>;
  readonly latency: Gauge<'route' | 'host' | 'quantile'>;
  readonly lastRefresh: Gauge;
  readonly queries: Counter;
  readonly refreshFailures: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Gauge({
      name: 'edgress_edge_requests',
      help: `Requests the edge served per route; class "all", "4xx" or "5xx". ${ESTIMATE}.`,
      labelNames: ['route', 'host', 'class'],
      registers,
    });
    this.latency = new Gauge({
      name: 'edgress_edge_response_time_milliseconds',
      help: `Edge response time (to response headers) per route, by quantile 0.5 and 0.95. ${ESTIMATE}.`,
      labelNames: ['route', 'host', 'quantile'],
      registers,
    });
    this.lastRefresh = new Gauge({ name: 'edgress_edge_stats_last_refresh_timestamp_seconds', help: 'Unix time the edge statistics were last read.', registers });
    this.queries = new Counter({ name: 'edgress_edge_stats_queries_total', help: 'Analytics Engine SQL queries sent.', registers });
    this.refreshFailures = new Counter({ name: 'edgress_edge_stats_refresh_failures_total', help: 'Refreshes of the edge statistics that failed.', registers });
  }

  update(snapshot: StatsSnapshot): void {
    this.requests.reset();
    this.latency.reset();
    for (const route of snapshot.routes) {
      const labels = { route: route.route, host: route.host };
      this.requests.set({ ...labels, class: 'all' }, route.requests);
      this.requests.set({ ...labels, class: '4xx' }, route.status4xx);
      this.requests.set({ ...labels, class: '5xx' }, route.status5xx);
      this.latency.set({ ...labels, quantile: '0.5' }, route.p50Ms);
      this.latency.set({ ...labels, quantile: '0.95' }, route.p95Ms);
    }
    if (snapshot.updatedAt !== undefined) this.lastRefresh.set(snapshot.updatedAt / 1000);
  }
}
