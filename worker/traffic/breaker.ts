/**
 * Traefik 1.7's circuit breaker (oxy `cbreaker`), per route and per isolate:
 * - **standby**: requests pass; after a response, at most every
 *   {@link CHECK_MS}, the condition is checked on the window; true → tripped;
 * - **tripped**: every request is answered 503 for the fallback duration
 *   (10 s), then → recovering;
 * - **recovering**: a share of requests rising linearly from 0 to 100 % over
 *   the recovery duration (10 s) is let through, the rest answered 503; the
 *   condition still applies (true → tripped again); at the end → standby.
 * The window is emptied when the breaker trips, so recovery is judged on
 * fresh responses only.
 *
 * @example
 * ```ts
 * const breaker = new Breaker(condition.predicate, { fallbackMs: 10_000, recoveryMs: 10_000 });
 * if (!breaker.allow(now)) return edgeResponse(503);
 * breaker.record(response.status, latencyMs, Date.now());
 * ```
 */
import type { Predicate } from '../../src/table/traffic.ts';
import { evaluate } from './predicate.ts';
import { ResponseWindow } from './window.ts';

/** How often (at most) the condition is evaluated, as oxy did. */
export const CHECK_MS = 100;

export type BreakerState = 'standby' | 'tripped' | 'recovering';

export interface BreakerTiming {
  readonly fallbackMs: number;
  readonly recoveryMs: number;
}

export class Breaker {
  readonly #predicate: Predicate;
  readonly #timing: BreakerTiming;
  readonly #window = new ResponseWindow();
  #state: BreakerState = 'standby';
  /** End of the tripped or recovering state. */
  #until = 0;
  #nextCheck = 0;
  #recoveryAllowed = 0;
  #recoveryDenied = 0;

  constructor(predicate: Predicate, timing: BreakerTiming) {
    this.#predicate = predicate;
    this.#timing = timing;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** Whether a request may pass now (false: answer 503). */
  allow(now: number): boolean {
    if (this.#state === 'tripped') {
      if (now < this.#until) return false;
      this.#set('recovering', now + this.#timing.recoveryMs);
    }
    if (this.#state === 'recovering') {
      if (now >= this.#until) {
        this.#set('standby', 0);
        return true;
      }
      return this.#admitRecovering(now);
    }
    return true;
  }

  /** Records a response (or the edge's 502/504) and re-checks the condition. */
  record(status: number, latencyMs: number, now: number): void {
    this.#window.record(status, latencyMs, now);
    if (now < this.#nextCheck || this.#state === 'tripped') return;
    this.#nextCheck = now + CHECK_MS;
    const facts = {
      NetworkErrorRatio: () => this.#window.networkErrorRatio(now),
      ResponseCodeRatio: (args: readonly number[]) => this.#window.responseCodeRatio(now, args),
      LatencyAtQuantileMS: ([q = 50]: readonly number[]) => this.#window.latencyAtQuantile(now, q),
    };
    if (evaluate(this.#predicate, facts)) {
      this.#set('tripped', now + this.#timing.fallbackMs);
      this.#window.reset();
    }
  }

  /** oxy's ratio controller: let through while the share let through is below the elapsed share. */
  #admitRecovering(now: number): boolean {
    const target = 1 - (this.#until - now) / this.#timing.recoveryMs;
    const total = this.#recoveryAllowed + this.#recoveryDenied;
    const admit = total === 0 ? target > 0 : this.#recoveryAllowed / total < target;
    if (admit) this.#recoveryAllowed += 1;
    else this.#recoveryDenied += 1;
    return admit;
  }

  #set(state: BreakerState, until: number): void {
    this.#state = state;
    this.#until = until;
    this.#recoveryAllowed = 0;
    this.#recoveryDenied = 0;
  }
}
