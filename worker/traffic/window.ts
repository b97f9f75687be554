/**
 * A route's recent responses, as oxy's `RTMetrics` kept them for Traefik's
 * circuit breaker: a rolling window of ten one-second buckets with the count
 * of responses, of network errors (502 and 504, which the edge answers when
 * an endpoint cannot be reached or times out), per status code, and the
 * latencies (at most {@link MAX_SAMPLES} per bucket, for the quantiles).
 *
 * @example
 * ```ts
 * const window = new ResponseWindow();
 * window.record(502, 12, Date.now());
 * window.networkErrorRatio(Date.now()); // 1
 * ```
 */

export const BUCKETS = 10;
export const BUCKET_MS = 1000;
export const MAX_SAMPLES = 512;

interface Bucket {
  start: number;
  total: number;
  networkErrors: number;
  codes: Map<number, number>;
  latencies: number[];
}

export class ResponseWindow {
  #buckets: Bucket[] = [];

  record(status: number, latencyMs: number, now: number): void {
    const start = Math.floor(now / BUCKET_MS) * BUCKET_MS;
    let bucket = this.#buckets.at(-1);
    if (bucket?.start !== start) {
      bucket = { start, total: 0, networkErrors: 0, codes: new Map(), latencies: [] };
      this.#buckets.push(bucket);
      if (this.#buckets.length > BUCKETS) this.#buckets.shift();
    }
    bucket.total += 1;
    if (status === 502 || status === 504) bucket.networkErrors += 1;
    bucket.codes.set(status, (bucket.codes.get(status) ?? 0) + 1);
    if (bucket.latencies.length < MAX_SAMPLES) bucket.latencies.push(latencyMs);
  }

  reset(): void {
    this.#buckets = [];
  }

  /** Responses recorded in the window. */
  count(now: number): number {
    return sum(this.#live(now), (bucket) => bucket.total);
  }

  networkErrorRatio(now: number): number {
    const live = this.#live(now);
    const total = sum(live, (bucket) => bucket.total);
    return total === 0 ? 0 : sum(live, (bucket) => bucket.networkErrors) / total;
  }

  /** Responses with a code in [a, b) divided by those in [c, d); 0 when the latter are none. */
  responseCodeRatio(now: number, [a = 0, b = 0, c = 0, d = 0]: readonly number[]): number {
    let numerator = 0;
    let denominator = 0;
    for (const bucket of this.#live(now)) {
      for (const [code, count] of bucket.codes) {
        if (code >= a && code < b) numerator += count;
        if (code >= c && code < d) denominator += count;
      }
    }
    return denominator === 0 ? 0 : numerator / denominator;
  }

  /** The latency (ms) at quantile `q` (0–100) of the window's samples; 0 without samples. */
  latencyAtQuantile(now: number, q: number): number {
    const samples = this.#live(now).flatMap((bucket) => bucket.latencies).sort((x, y) => x - y);
    if (samples.length === 0) return 0;
    const index = Math.min(samples.length - 1, Math.max(0, Math.ceil((q / 100) * samples.length) - 1));
    return samples[index] ?? 0;
  }

  #live(now: number): Bucket[] {
    const oldest = Math.floor(now / BUCKET_MS) * BUCKET_MS - (BUCKETS - 1) * BUCKET_MS;
    return this.#buckets.filter((bucket) => bucket.start >= oldest);
  }
}

function sum(buckets: readonly Bucket[], of: (bucket: Bucket) => number): number {
  return buckets.reduce((total, bucket) => total + of(bucket), 0);
}
