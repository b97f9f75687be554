/**
 * `edgress dev`'s statistics: the worker's own data points (recorded through
 * a dev-only `STATS` binding, `../dev/stats-binding.ts`), kept for an hour
 * and summed exactly, as Analytics Engine would with no sampling.
 *
 * @example
 * ```ts
 * const recorder = new LocalStatsRecorder();
 * recorder.record(point);            // from the worker
 * recorder.snapshot().routes[0]?.requests;
 * ```
 */
import { STATS_BLOBS, STATS_DOUBLES, UNMATCHED_INDEX, type StatsDataPoint } from '../../src/stats/layout.ts';
import {
  NO_TOTALS,
  RECENT_ERRORS,
  STATS_SERIES_MINUTES,
  STATS_WINDOW_SECONDS,
  type MinutePoint,
  type RecentError,
  type RouteStatistics,
  type StatsSnapshot,
  type StatsSource,
  type Totals,
} from './snapshot.ts';

/** One request's data point, by field name. */
export interface RequestRecord {
  readonly time: number;
  readonly route: string;
  readonly host: string;
  readonly ingress: string;
  readonly rule: string;
  readonly service: string;
  readonly method: string;
  readonly statusClass: string;
  readonly colo: string;
  readonly error: string;
  readonly status: number;
  readonly totalMs: number;
  readonly upstreamMs: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
  readonly retries: number;
}

/** Whatever the dev binding received, if it is a data point of the documented shape. */
export function recordOf(value: unknown, time: number): RequestRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { indexes, blobs, doubles } = value as Partial<StatsDataPoint>;
  if (!Array.isArray(indexes) || typeof indexes[0] !== 'string') return undefined;
  if (!Array.isArray(blobs) || blobs.length !== STATS_BLOBS.length || !blobs.every((blob) => typeof blob === 'string')) return undefined;
  if (!Array.isArray(doubles) || doubles.length !== STATS_DOUBLES.length || !doubles.every(Number.isFinite)) return undefined;
  const [host, ingress, rule, service, method, statusClass, colo, error] = blobs as string[];
  const [status, totalMs, upstreamMs, requestBytes, responseBytes, retries] = doubles as number[];
  return {
    time, route: indexes[0], host: host!, ingress: ingress!, rule: rule!, service: service!, method: method!, statusClass: statusClass!, colo: colo!, error: error!,
    status: status!, totalMs: totalMs!, upstreamMs: upstreamMs!, requestBytes: requestBytes!, responseBytes: responseBytes!, retries: retries!,
  };
}

/** Records kept at most (an hour of a busy dev session); the oldest go first. */
export const MAX_RECORDS = 200_000;

export class LocalStatsRecorder implements StatsSource {
  readonly #records: RequestRecord[] = [];
  readonly #now: () => number;
  #totals: { count: number; responseMs: number; statusCodes: Record<string, number> } = { count: 0, responseMs: 0, statusCodes: {} };
  #updatedAt: number | undefined;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Adds one data point; false when it is not of the documented shape (ignored). */
  record(point: unknown): boolean {
    const record = recordOf(point, this.#now());
    if (!record) return false;
    this.#records.push(record);
    if (this.#records.length > MAX_RECORDS) this.#records.splice(0, this.#records.length - MAX_RECORDS);
    const key = String(record.status);
    this.#totals.count += 1;
    this.#totals.responseMs += record.totalMs;
    this.#totals.statusCodes[key] = (this.#totals.statusCodes[key] ?? 0) + 1;
    this.#updatedAt = record.time;
    return true;
  }

  snapshot(): StatsSnapshot {
    const now = this.#now();
    const hourAgo = now - STATS_SERIES_MINUTES * 60_000;
    const firstKept = this.#records.findIndex((record) => record.time >= hourAgo);
    if (firstKept > 0) this.#records.splice(0, firstKept);
    else if (firstKept < 0) this.#records.length = 0;
    const windowStart = now - STATS_WINDOW_SECONDS * 1000;
    const inWindow = this.#records.filter((record) => record.time >= windowStart);
    return {
      source: 'dev',
      sampled: false,
      windowSeconds: STATS_WINDOW_SECONDS,
      updatedAt: this.#updatedAt,
      routes: routeStatistics(this.#records, windowStart, now),
      window: totalsOf(inWindow),
      totals: { ...this.#totals, statusCodes: { ...this.#totals.statusCodes } },
      recentErrors: this.#records
        .filter((record) => record.status >= 400)
        .slice(-RECENT_ERRORS)
        .reverse()
        .map(recentError),
    };
  }
}

function recentError(record: RequestRecord): RecentError {
  return { time: record.time, status: record.status, method: record.method, host: record.host, path: record.rule, error: record.error };
}

function totalsOf(records: readonly RequestRecord[]): Totals {
  if (records.length === 0) return NO_TOTALS;
  const statusCodes: Record<string, number> = {};
  let responseMs = 0;
  for (const record of records) {
    statusCodes[String(record.status)] = (statusCodes[String(record.status)] ?? 0) + 1;
    responseMs += record.totalMs;
  }
  return { count: records.length, responseMs, statusCodes };
}

function routeStatistics(records: readonly RequestRecord[], windowStart: number, now: number): RouteStatistics[] {
  const byRoute = new Map<string, RequestRecord[]>();
  for (const record of records) {
    const key = record.route === UNMATCHED_INDEX ? `${UNMATCHED_INDEX} ${record.host}` : record.route;
    let list = byRoute.get(key);
    if (!list) byRoute.set(key, (list = []));
    list.push(record);
  }
  const firstMinute = Math.floor(now / 60_000) * 60_000 - (STATS_SERIES_MINUTES - 1) * 60_000;
  return [...byRoute.values()].map((list) => {
    const first = list[0]!;
    const recent = list.filter((record) => record.time >= windowStart);
    const times = recent.map((record) => record.totalMs).sort((a, b) => a - b);
    return {
      route: first.route,
      host: first.host,
      ingress: first.ingress,
      rule: first.rule,
      service: first.service,
      requests: recent.length,
      status4xx: recent.filter((record) => record.status >= 400 && record.status < 500).length,
      status5xx: recent.filter((record) => record.status >= 500).length,
      averageMs: times.length === 0 ? 0 : times.reduce((sum, ms) => sum + ms, 0) / times.length,
      p50Ms: quantile(times, 0.5),
      p95Ms: quantile(times, 0.95),
      series: minuteSeries(list, firstMinute),
    };
  });
}

function minuteSeries(records: readonly RequestRecord[], firstMinute: number): MinutePoint[] {
  const buckets = new Map<number, RequestRecord[]>();
  for (const record of records) {
    const minute = Math.floor(record.time / 60_000) * 60_000;
    if (minute < firstMinute) continue;
    let bucket = buckets.get(minute);
    if (!bucket) buckets.set(minute, (bucket = []));
    bucket.push(record);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => a - b)
    .map(([minute, bucket]) => {
      const times = bucket.map((record) => record.totalMs).sort((a, b) => a - b);
      return { minute, requests: bucket.length, errors: bucket.filter((record) => record.status >= 500).length, p50Ms: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
    });
}

/** The q-quantile of sorted values (nearest rank), 0 for none. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
