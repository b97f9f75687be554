/**
 * What the dashboard, `/health` and the Prometheus gauges show of the edge's
 * statistics, whichever source filled it: `edgress dev`'s own recorder
 * (every request, exact) or Analytics Engine's SQL API (sampled estimates).
 *
 * Scopes: the *window* is the last {@link STATS_WINDOW_SECONDS} seconds
 * (Traefik's "realtime" `status_code_count`); *totals* are everything the
 * source holds (dev: since it started; Analytics Engine: the last hour);
 * each route's *series* has one point per minute over the last hour.
 */

/** The current window of `/health` and the per-route figures. */
export const STATS_WINDOW_SECONDS = 300;
/** The series (charts) cover this long, one point per minute. */
export const STATS_SERIES_MINUTES = 60;
/** Recent errors kept for `/health`. */
export const RECENT_ERRORS = 10;

export interface MinutePoint {
  /** Start of the minute, ms since the epoch. */
  readonly minute: number;
  readonly requests: number;
  readonly errors: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface RouteStatistics {
  /** The route id (`ns/ingress#rule.path`), the data point's index. */
  readonly route: string;
  readonly host: string;
  readonly ingress: string;
  readonly rule: string;
  readonly service: string;
  /** In the window. */
  readonly requests: number;
  readonly status4xx: number;
  readonly status5xx: number;
  readonly averageMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly series: readonly MinutePoint[];
}

/** One failed request, as Traefik's `recent_errors` lists them (`path` is the route's path rule: request paths are not recorded). */
export interface RecentError {
  readonly time: number;
  readonly status: number;
  readonly method: string;
  readonly host: string;
  readonly path: string;
  readonly error: string;
}

export interface StatsSnapshot {
  /** `dev`: every request `edgress dev` served; `analytics-engine`: read back with SQL; `none`: not configured. */
  readonly source: 'dev' | 'analytics-engine' | 'none';
  /** True when figures are estimates from sampled data. */
  readonly sampled: boolean;
  readonly windowSeconds: number;
  /** When the figures were last brought up to date (ms since the epoch). */
  readonly updatedAt: number | undefined;
  /** Why the last refresh failed, or why there are no statistics. */
  readonly problem?: string;
  readonly routes: readonly RouteStatistics[];
  readonly window: Totals;
  readonly totals: Totals;
  readonly recentErrors: readonly RecentError[];
}

export interface Totals {
  readonly count: number;
  readonly responseMs: number;
  /** Status code (as text, Traefik's keys) → requests. */
  readonly statusCodes: Readonly<Record<string, number>>;
}

export const NO_TOTALS: Totals = { count: 0, responseMs: 0, statusCodes: {} };

export function emptySnapshot(source: StatsSnapshot['source'], problem?: string): StatsSnapshot {
  return {
    source,
    sampled: source === 'analytics-engine',
    windowSeconds: STATS_WINDOW_SECONDS,
    updatedAt: undefined,
    ...(problem === undefined ? {} : { problem }),
    routes: [],
    window: NO_TOTALS,
    totals: NO_TOTALS,
    recentErrors: [],
  };
}

/** Where statistics come from. */
export interface StatsSource {
  snapshot(): StatsSnapshot;
}
