/**
 * The SQL the agent sends to Workers Analytics Engine's SQL API, one refresh
 * = {@link QUERIES_PER_REFRESH} queries, whatever the number of routes:
 * 1. `routes`: per route over the window: requests, 4xx, 5xx, average, p50, p95;
 * 2. `series`: per route and minute over the hour: requests, 5xx, p50, p95 (the charts);
 * 3. `statusCodes`: per status and minute over the hour (`/health`'s counts);
 * 4. `recentErrors`: the last ten sampled requests answered ≥ 400.
 * Counts are `SUM(_sample_interval)` and percentiles are weighted by it, so
 * they estimate what was served although Analytics Engine samples busy
 * routes. Columns: `src/stats/layout.ts`.
 *
 * @example
 * ```ts
 * const sql = statsQueries('edgress_requests');
 * await fetch(url, { method: 'POST', body: sql.routes, headers });
 * ```
 */
import { STATS_COLUMNS } from '../../src/stats/layout.ts';
import { RECENT_ERRORS, STATS_SERIES_MINUTES, STATS_WINDOW_SECONDS } from './snapshot.ts';

export const QUERIES_PER_REFRESH = 4;

/** Routes (and unmatched hosts) read per refresh at most. */
export const MAX_ROUTES = 1000;

export interface StatsQueries {
  readonly routes: string;
  readonly series: string;
  readonly statusCodes: string;
  readonly recentErrors: string;
}

/** Dataset names are identifiers: nothing from a flag reaches the SQL otherwise. */
export const DATASET_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function statsQueries(dataset: string): StatsQueries {
  if (!DATASET_PATTERN.test(dataset)) throw new Error(`not an Analytics Engine dataset name: ${JSON.stringify(dataset)}`);
  const { blob, double } = STATS_COLUMNS;
  const n = '_sample_interval';
  const window = `timestamp > NOW() - INTERVAL '${STATS_WINDOW_SECONDS}' SECOND`;
  const hour = `timestamp > NOW() - INTERVAL '${STATS_SERIES_MINUTES}' MINUTE`;
  const minute = `toStartOfInterval(timestamp, INTERVAL '1' MINUTE)`;
  const percentiles = `quantileExactWeighted(0.5)(${double.totalMs}, ${n}) AS p50_ms, quantileExactWeighted(0.95)(${double.totalMs}, ${n}) AS p95_ms`;
  return {
    routes: [
      `SELECT index1 AS route, ${blob.host} AS host, ${blob.ingress} AS ingress, ${blob.rule} AS rule, ${blob.service} AS service,`,
      `SUM(${n}) AS requests,`,
      `SUM(if(${double.status} >= 400 AND ${double.status} < 500, ${n}, 0)) AS status_4xx,`,
      `SUM(if(${double.status} >= 500, ${n}, 0)) AS status_5xx,`,
      `SUM(${n} * ${double.totalMs}) / SUM(${n}) AS average_ms, ${percentiles}`,
      `FROM ${dataset} WHERE ${window}`,
      `GROUP BY route, host, ingress, rule, service ORDER BY requests DESC LIMIT ${MAX_ROUTES} FORMAT JSON`,
    ].join('\n'),
    series: [
      `SELECT index1 AS route, ${blob.host} AS host, ${minute} AS minute,`,
      `SUM(${n}) AS requests, SUM(if(${double.status} >= 500, ${n}, 0)) AS errors, ${percentiles}`,
      `FROM ${dataset} WHERE ${hour}`,
      `GROUP BY route, host, minute ORDER BY minute LIMIT ${MAX_ROUTES * STATS_SERIES_MINUTES} FORMAT JSON`,
    ].join('\n'),
    statusCodes: [
      `SELECT ${double.status} AS status, ${minute} AS minute, SUM(${n}) AS requests, SUM(${n} * ${double.totalMs}) AS response_ms`,
      `FROM ${dataset} WHERE ${hour}`,
      `GROUP BY status, minute ORDER BY minute LIMIT 100000 FORMAT JSON`,
    ].join('\n'),
    recentErrors: [
      `SELECT timestamp, ${double.status} AS status, ${blob.method} AS method, ${blob.host} AS host, ${blob.rule} AS rule, ${blob.error} AS error`,
      `FROM ${dataset} WHERE ${double.status} >= 400 AND ${hour}`,
      `ORDER BY timestamp DESC LIMIT ${RECENT_ERRORS} FORMAT JSON`,
    ].join('\n'),
  };
}
