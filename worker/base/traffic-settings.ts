/**
 * Timing of the traffic-management state kept per isolate, from vars that
 * only tests and `edgress dev` set (production uses Traefik's values):
 * - `CIRCUIT_BREAKER_FALLBACK_MS` (10000): how long a tripped breaker answers 503;
 * - `CIRCUIT_BREAKER_RECOVERY_MS` (10000): the linear ramp back to full traffic;
 * - `DRR_ADJUST_MS` (10000): how often `drr` re-weighs endpoints.
 * `STICKY_SECRET` (a Worker secret) keys the sticky-cookie HMAC.
 * A malformed value is a deployment error (500, naming the var), answered by
 * the requests that need the value (`../runtime/runtime.ts`).
 */
import type { EdgeEnv } from './env.ts';

export interface TrafficSettings {
  readonly breakerFallbackMs: number;
  readonly breakerRecoveryMs: number;
  readonly drrAdjustMs: number;
  readonly stickySecret: string;
}

/** Used when `STICKY_SECRET` is not set: cookies stay opaque, but set a secret in production. */
export const DEFAULT_STICKY_SECRET = 'edgress sticky sessions: set STICKY_SECRET';

/** The traffic settings of `env`; throws an `Error` naming the bad var. */
export function parseTrafficSettings(env: EdgeEnv): TrafficSettings {
  return {
    breakerFallbackMs: millis('CIRCUIT_BREAKER_FALLBACK_MS', env.CIRCUIT_BREAKER_FALLBACK_MS, 10_000),
    breakerRecoveryMs: millis('CIRCUIT_BREAKER_RECOVERY_MS', env.CIRCUIT_BREAKER_RECOVERY_MS, 10_000),
    drrAdjustMs: millis('DRR_ADJUST_MS', env.DRR_ADJUST_MS, 10_000),
    stickySecret: env.STICKY_SECRET || DEFAULT_STICKY_SECRET,
  };
}

function millis(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 1) throw new Error(`${name} must be a whole number of milliseconds ≥ 1`);
  return parsed;
}
