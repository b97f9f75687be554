/**
 * Time as the agent sees it, injected so tests can control it: the current
 * time and an abortable sleep.
 *
 * @example
 * ```ts
 * await clock.sleep(backoff.next(), signal);
 * ```
 */
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, { signal }).catch(() => undefined),
};
