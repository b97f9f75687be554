/**
 * Exponential backoff with jitter for retries against the API server (list
 * failures, broken watches, lease renewals, publishes).
 *
 * @example
 * ```ts
 * const backoff = new Backoff();
 * while (!(await tryList())) await clock.sleep(backoff.next());
 * backoff.reset();
 * ```
 */

/** First retry delay. */
export const BACKOFF_INITIAL_MS = 500;
/** Retries never wait longer than this. */
export const BACKOFF_MAX_MS = 30_000;
/** Each failure multiplies the delay by this. */
export const BACKOFF_FACTOR = 2;
/** Up to this share of the delay is added at random, so replicas do not retry in step. */
export const BACKOFF_JITTER = 0.2;

export interface BackoffOptions {
  readonly initialMs?: number;
  readonly maxMs?: number;
  readonly random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? BACKOFF_INITIAL_MS;
    this.#maxMs = options.maxMs ?? BACKOFF_MAX_MS;
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the next retry; grows with every call until `reset`. */
  next(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * BACKOFF_FACTOR ** this.#attempt);
    this.#attempt++;
    return Math.round(Math.min(this.#maxMs, base * (1 + BACKOFF_JITTER * this.#random())));
  }

  /** Consecutive failures so far. */
  get attempts(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
