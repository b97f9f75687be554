/**
 * Cloudflare's published Workers KV and API limits that shape how edgress
 * uses the API (docs/operations/operating.md, "How a publish works"), and the margins
 * edgress keeps below them.
 */
export const CLOUDFLARE_LIMITS = {
  /** Bulk write: at most this many pairs per request. */
  bulkWritePairs: 10_000,
  /** Bulk write: each request must stay under 100 MB; edgress stops well before. */
  bulkWriteBytes: 90 * 1024 * 1024,
  /** Bulk delete: keys per request. */
  bulkDeleteKeys: 10_000,
  /** Bulk get: keys per request. */
  bulkGetKeys: 100,
  /** KV accepts one write per second to the same key (more: 429); edgress leaves a margin. */
  keyWriteIntervalMs: 1_100,
  /**
   * The API allows 1,200 requests per 5 minutes per token, dashboard and
   * other tools included, and blocks the token for 5 minutes beyond that.
   * edgress spends at most 1,000 of them.
   */
  requestBudget: { requests: 1_000, windowMs: 5 * 60_000 },
} as const;

/** Retries of one API call: 429 (rate limits), 5xx and failed connections. */
export const API_RETRY = {
  attempts: 6,
  initialMs: 1_000,
  maxMs: 60_000,
  /** A `Retry-After` longer than this is capped (the global limit blocks for 5 minutes). */
  maxRetryAfterMs: 5 * 60_000,
} as const;
