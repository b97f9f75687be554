/**
 * The columns of the per-request statistics data point, shared by the worker
 * that writes it (`worker/base/stats.ts`) and the agent and `edgress dev` that
 * read it (`sync/stats/`). Analytics Engine names them by position: the
 * first blob is SQL column `blob1`, the first double `double1`, the index
 * `index1`.
 *
 * @example
 * ```ts
 * STATS_COLUMNS.blob.status; // never: statuses are doubles
 * STATS_COLUMNS.double.totalMs; // 'double2'
 * ```
 */
import type { PathMatch } from '../table/schema.ts';

/** The dataset `wrangler.toml` binds as `STATS`, and the table the agent's SQL reads. */
export const STATS_DATASET = 'edgress_requests';

export const STATS_BLOBS = ['host', 'ingress', 'rule', 'service', 'method', 'statusClass', 'colo', 'error'] as const;
export const STATS_DOUBLES = ['status', 'totalMs', 'upstreamMs', 'requestBytes', 'responseBytes', 'retries'] as const;

export type StatsBlob = (typeof STATS_BLOBS)[number];
export type StatsDouble = (typeof STATS_DOUBLES)[number];

/** SQL column of each named field. */
export const STATS_COLUMNS = {
  blob: Object.fromEntries(STATS_BLOBS.map((name, i) => [name, `blob${i + 1}`])) as Record<StatsBlob, string>,
  double: Object.fromEntries(STATS_DOUBLES.map((name, i) => [name, `double${i + 1}`])) as Record<StatsDouble, string>,
} as const;

/** Index (and route) of requests no route answered: bad path, no table, no route. */
export const UNMATCHED_INDEX = '(unmatched)';

/** Analytics Engine takes one index of at most 96 bytes. */
export const MAX_INDEX_BYTES = 96;

/** The data point as written: one index, the blobs and doubles in the orders above. */
export interface StatsDataPoint {
  readonly indexes: [string];
  readonly blobs: string[];
  readonly doubles: number[];
}

/** A path match as the statistics (blob3) and the dashboard show it, e.g. `Prefix /api`. */
export function ruleText(match: PathMatch): string {
  switch (match.type) {
    case 'exact':
      return `Exact ${match.path}`;
    case 'prefix':
      return `Prefix ${match.path}`;
    case 'string-prefix':
      return `ImplementationSpecific ${match.path}`;
    case 'regex':
      return `Regex ^${match.path}`;
    case 'full-regex':
      return `RegularExpression ^${match.path}$`;
    case 'any':
      return '(any path)';
  }
}
