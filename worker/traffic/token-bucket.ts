/**
 * Token buckets as Traefik 1.7 used them (vulcand/oxy `ratelimit`): one
 * bucket per rate, capacity `burst`, initially full, refilled with one token
 * every `periodMs / average`. A request takes one token from every bucket or
 * from none: when any bucket is empty nothing is taken and the answer is the
 * longest wait until every bucket has a token again. Unlike oxy, a refill
 * keeps the fraction of a token already earned, so the wait is exact.
 *
 * Pure and clock-injected: the rate-limiter Durable Object and the
 * per-isolate fallback share it.
 *
 * @example
 * ```ts
 * const state: BucketState = {};
 * takeToken(state, [{ periodMs: 1000, average: 1, burst: 2 }], 0); // 0 (taken)
 * takeToken(state, [{ periodMs: 1000, average: 1, burst: 2 }], 0); // 0
 * takeToken(state, [{ periodMs: 1000, average: 1, burst: 2 }], 0); // 1000 (wait 1 s)
 * ```
 */
import type { Rate } from '../../src/table/traffic.ts';

/** Per period: tokens left and when they were last counted (ms). */
export type BucketState = Record<string, { tokens: number; at: number }>;

/** Takes one token from every bucket; returns 0, or the milliseconds to wait (nothing taken). */
export function takeToken(state: BucketState, rates: readonly Rate[], now: number): number {
  let wait = 0;
  for (const rate of rates) {
    const bucket = refill(state, rate, now);
    if (bucket.tokens < 1) wait = Math.max(wait, (1 - bucket.tokens) * (rate.periodMs / rate.average));
  }
  if (wait > 0) return wait;
  for (const rate of rates) (state[rate.periodMs] as { tokens: number }).tokens -= 1;
  return 0;
}

/** The longest period of the set: idle keys are forgotten after ten of them (as oxy's TTL map). */
export function idleExpiryMs(rates: readonly Rate[]): number {
  return 10 * Math.max(...rates.map((rate) => rate.periodMs));
}

function refill(state: BucketState, rate: Rate, now: number): { tokens: number; at: number } {
  const bucket = state[rate.periodMs];
  if (!bucket) return (state[rate.periodMs] = { tokens: rate.burst, at: now });
  const earned = (Math.max(0, now - bucket.at) * rate.average) / rate.periodMs;
  bucket.tokens = Math.min(rate.burst, bucket.tokens + earned);
  bucket.at = Math.max(bucket.at, now);
  return bucket;
}

/**
 * Go's `time.Duration.String()` for a duration in milliseconds, as Traefik
 * wrote it into `X-Retry-In` and the 429 body: `250ms`, `1.5s`, `2m0s`.
 */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trimmed(ns / 1e3)}µs`;
  if (ns < 1e9) return `${trimmed(ns / 1e6)}ms`;
  const hours = Math.floor(ns / 3.6e12);
  const minutes = Math.floor((ns % 3.6e12) / 6e10);
  const seconds = `${trimmed((ns % 6e10) / 1e9)}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  return minutes > 0 ? `${minutes}m${seconds}` : seconds;
}

function trimmed(value: number): string {
  return value.toFixed(9).replace(/\.?0+$/, '');
}

/** Go's `fmt.Sprintf("%.0f", seconds)`: rounding half to even. */
export function retryAfterSeconds(ms: number): string {
  const seconds = ms / 1000;
  const floor = Math.floor(seconds);
  const fraction = seconds - floor;
  if (fraction > 0.5 || (fraction === 0.5 && floor % 2 === 1)) return String(floor + 1);
  return String(floor);
}
