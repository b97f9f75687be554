/**
 * The agent's view of the edge: every refresh it runs the fixed queries of
 * `./sql.ts` against the Analytics Engine SQL API (an account API token with
 * *Account Analytics: Read*), keeps the result as a {@link StatsSnapshot}
 * and sets the Prometheus gauges of `./metrics.ts`. A failed refresh keeps
 * the previous figures and says why (`problem`).
 *
 * At the default refresh (60 s) that is 4 × 1,440 = 5,760 queries a day,
 * within the Workers Free plan's 10,000 (Workers Paid: 1 M a month included).
 *
 * @example
 * ```ts
 * const reader = new EdgeStatsReader({ accountId, apiToken, dataset: 'edgress_requests', refreshMs: 60_000, metrics });
 * reader.start();
 * reader.snapshot().routes;
 * ```
 */
import { UNMATCHED_INDEX } from '../../src/stats/layout.ts';
import { emptySnapshot, RECENT_ERRORS, STATS_WINDOW_SECONDS, type MinutePoint, type RecentError, type RouteStatistics, type StatsSnapshot, type StatsSource, type Totals } from './snapshot.ts';
import type { EdgeStatsMetrics } from './metrics.ts';
import { statsQueries, type StatsQueries } from './sql.ts';

export const DEFAULT_API_BASE = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_REFRESH_MS = 60_000;
/** A query that takes longer is abandoned; the next refresh tries again. */
const QUERY_TIMEOUT_MS = 20_000;

export interface EdgeStatsOptions {
  readonly accountId: string;
  readonly apiToken: string;
  readonly dataset: string;
  readonly refreshMs?: number;
  /** Default {@link DEFAULT_API_BASE}; tests point it at the stand-in. */
  readonly apiBase?: string;
  readonly metrics?: EdgeStatsMetrics;
  readonly now?: () => number;
  readonly fetch?: typeof fetch;
}

type Row = Readonly<Record<string, unknown>>;

export class EdgeStatsReader implements StatsSource {
  readonly #options: EdgeStatsOptions;
  readonly #queries: StatsQueries;
  readonly #url: string;
  #snapshot: StatsSnapshot = emptySnapshot('analytics-engine', 'not read yet');
  #timer: NodeJS.Timeout | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: EdgeStatsOptions) {
    this.#options = options;
    this.#queries = statsQueries(options.dataset);
    this.#url = `${(options.apiBase ?? DEFAULT_API_BASE).replace(/\/+$/, '')}/accounts/${encodeURIComponent(options.accountId)}/analytics_engine/sql`;
  }

  snapshot(): StatsSnapshot {
    return this.#snapshot;
  }

  /** Refreshes now, then every `refreshMs`. */
  start(): void {
    if (this.#timer) return;
    void this.refresh();
    this.#timer = setInterval(() => void this.refresh(), this.#options.refreshMs ?? DEFAULT_REFRESH_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#refreshing;
  }

  /** One refresh: the four queries; a refresh already running is joined, not repeated. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refresh().finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async #refresh(): Promise<void> {
    const now = (this.#options.now ?? Date.now)();
    const metrics = this.#options.metrics;
    try {
      const [routes, series, statusCodes, errors] = await Promise.all([
        this.#query(this.#queries.routes),
        this.#query(this.#queries.series),
        this.#query(this.#queries.statusCodes),
        this.#query(this.#queries.recentErrors),
      ]);
      this.#snapshot = buildSnapshot({ routes, series, statusCodes, errors }, now);
      metrics?.update(this.#snapshot);
    } catch (error) {
      metrics?.refreshFailures.inc();
      this.#snapshot = { ...this.#snapshot, problem: `Analytics Engine SQL API: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async #query(sql: string): Promise<Row[]> {
    this.#options.metrics?.queries.inc();
    const response = await (this.#options.fetch ?? fetch)(this.#url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#options.apiToken}`, 'content-type': 'text/plain' },
      body: sql,
      signal: AbortSignal.timeout(QUERY_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? ' (the token needs Account Analytics: Read)' : '';
      throw new Error(`HTTP ${response.status}${hint}: ${text.slice(0, 200).replace(/\s+/g, ' ')}`);
    }
    const parsed = JSON.parse(text) as { data?: unknown };
    if (!Array.isArray(parsed.data)) throw new Error('answer without a data array');
    return parsed.data as Row[];
  }
}

interface QueryRows {
  readonly routes: readonly Row[];
  readonly series: readonly Row[];
  readonly statusCodes: readonly Row[];
  readonly errors: readonly Row[];
}

/** The snapshot the rows of one refresh describe. */
export function buildSnapshot(rows: QueryRows, now: number): StatsSnapshot {
  const seriesByRoute = new Map<string, MinutePoint[]>();
  for (const row of rows.series) {
    const key = routeKey(row);
    let points = seriesByRoute.get(key);
    if (!points) seriesByRoute.set(key, (points = []));
    points.push({ minute: time(row['minute']), requests: num(row['requests']), errors: num(row['errors']), p50Ms: num(row['p50_ms']), p95Ms: num(row['p95_ms']) });
  }
  const routes: RouteStatistics[] = rows.routes.map((row) => ({
    route: text(row['route']),
    host: text(row['host']),
    ingress: text(row['ingress']),
    rule: text(row['rule']),
    service: text(row['service']),
    requests: num(row['requests']),
    status4xx: num(row['status_4xx']),
    status5xx: num(row['status_5xx']),
    averageMs: num(row['average_ms']),
    p50Ms: num(row['p50_ms']),
    p95Ms: num(row['p95_ms']),
    series: seriesByRoute.get(routeKey(row)) ?? [],
  }));
  const windowStart = now - STATS_WINDOW_SECONDS * 1000;
  const recentErrors: RecentError[] = rows.errors.slice(0, RECENT_ERRORS).map((row) => ({
    time: time(row['timestamp']),
    status: num(row['status']),
    method: text(row['method']),
    host: text(row['host']),
    path: text(row['rule']),
    error: text(row['error']),
  }));
  return {
    source: 'analytics-engine',
    sampled: true,
    windowSeconds: STATS_WINDOW_SECONDS,
    updatedAt: now,
    routes,
    // Minutes that started within the window (a minute's data is only split by minute).
    window: totals(rows.statusCodes.filter((row) => time(row['minute']) + 60_000 > windowStart)),
    totals: totals(rows.statusCodes),
    recentErrors,
  };
}

function totals(rows: readonly Row[]): Totals {
  const statusCodes: Record<string, number> = {};
  let count = 0;
  let responseMs = 0;
  for (const row of rows) {
    const requests = num(row['requests']);
    const status = String(num(row['status']));
    statusCodes[status] = (statusCodes[status] ?? 0) + requests;
    count += requests;
    responseMs += num(row['response_ms']);
  }
  return { count, responseMs, statusCodes };
}

function routeKey(row: Row): string {
  const route = text(row['route']);
  return route === UNMATCHED_INDEX ? `${route} ${text(row['host'])}` : route;
}

/** ClickHouse's JSON output quotes 64-bit integers; anything unreadable counts as 0. */
function num(value: unknown): number {
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** `2026-12-07 19:14:00` (UTC, as the SQL API writes DateTime) → ms since the epoch. */
function time(value: unknown): number {
  const raw = text(value);
  const parsed = Date.parse(/^\d{4}-\d{2}-\d{2} \d/.test(raw) ? `${raw.replace(' ', 'T')}Z` : raw);
  return Number.isFinite(parsed) ? parsed : 0;
}
