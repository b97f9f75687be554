/**
 * Every Cloudflare API call edgress makes goes through one gate, which
 * - keeps within the request budget (`CLOUDFLARE_LIMITS.requestBudget`, a
 *   sliding window): beyond it, the call waits for the oldest request to
 *   leave the window instead of earning a 5-minute block;
 * - retries 429, 408/409, 5xx and failed connections with exponential backoff
 *   and jitter, honouring `Retry-After`, up to `API_RETRY.attempts` times;
 * - fails at once on other errors (403: the token lacks a permission).
 * Time comes from an injected clock, so tests never really wait.
 *
 * @example
 * ```ts
 * const gate = new RequestGate({ clock: systemClock, log });
 * const page = await gate.call('list keys', () => client.kv.namespaces.keys.list(id, { account_id }));
 * ```
 */
import type { APIError } from 'cloudflare';
import { Backoff } from '../../common/backoff.ts';
import type { Clock } from '../../common/clock.ts';
import { silentLogger, type Logger } from '../../common/log.ts';
import { API_RETRY, CLOUDFLARE_LIMITS } from './limits.ts';

export interface RequestGateOptions {
  readonly clock: Clock;
  readonly log?: Logger;
  readonly budget?: { readonly requests: number; readonly windowMs: number };
  readonly attempts?: number;
  readonly random?: () => number;
}

/** A call that failed for good: what was attempted, the last HTTP status, Cloudflare's message. */
export class CloudflareApiError extends Error {
  override readonly name = 'CloudflareApiError';
  readonly status: number | undefined;

  constructor(what: string, cause: unknown) {
    const status = isApiError(cause) ? cause.status : undefined;
    super(`Cloudflare API: ${what} failed: ${describeApiError(cause)}`, { cause });
    this.status = status;
  }
}

export class RequestGate {
  readonly #options: RequestGateOptions;
  readonly #log: Logger;
  /** Start times of the requests in the current window, oldest first. */
  readonly #sent: number[] = [];
  /** Requests made so far (tests, logs). */
  requests = 0;

  constructor(options: RequestGateOptions) {
    this.#options = options;
    this.#log = options.log ?? silentLogger;
  }

  /** `conflictIsFinal`: a 409 is an answer (e.g. a Custom Domain taken), not a transient state to retry. */
  async call<T>(what: string, request: () => Promise<T>, options: { readonly conflictIsFinal?: boolean } = {}): Promise<T> {
    const backoff = new Backoff({ initialMs: API_RETRY.initialMs, maxMs: API_RETRY.maxMs, ...(this.#options.random ? { random: this.#options.random } : {}) });
    const attempts = this.#options.attempts ?? API_RETRY.attempts;
    for (let attempt = 1; ; attempt++) {
      await this.#admit();
      try {
        return await request();
      } catch (error) {
        const final = options.conflictIsFinal === true && isApiError(error) && error.status === 409;
        const delay = retryable(error) && !final ? Math.max(backoff.next(), retryAfterMs(error) ?? 0) : undefined;
        if (delay === undefined || attempt >= attempts) throw new CloudflareApiError(what, error);
        this.#log.warn('cloudflare-api-retry', { what, attempt, error: describeApiError(error), retryInMs: delay });
        await this.#options.clock.sleep(delay);
      }
    }
  }

  async #admit(): Promise<void> {
    const { requests, windowMs } = this.#options.budget ?? CLOUDFLARE_LIMITS.requestBudget;
    const clock = this.#options.clock;
    for (;;) {
      const now = clock.now();
      while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - windowMs) this.#sent.shift();
      if (this.#sent.length < requests) break;
      const wait = (this.#sent[0] ?? now) + windowMs - now;
      this.#log.warn('cloudflare-api-budget', { message: `${requests} requests in ${windowMs / 1000}s spent; waiting`, waitMs: wait });
      await clock.sleep(wait);
    }
    this.#sent.push(clock.now());
    this.requests++;
  }
}

/**
 * The client's `APIError` (and its subclasses, `APIConnectionError` among
 * them), recognised by shape so that merely loading this module does not load
 * the client (every `edgress` command would pay for it at start).
 */
export function isApiError(error: unknown): error is APIError {
  return error instanceof Error && 'status' in error && 'headers' in error && 'errors' in error;
}

function retryable(error: unknown): boolean {
  if (!isApiError(error)) return false;
  const status = error.status;
  // No status: the connection failed or timed out.
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

function retryAfterMs(error: unknown): number | undefined {
  const header = isApiError(error) ? error.headers?.get('retry-after') : undefined;
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), API_RETRY.maxRetryAfterMs) : undefined;
}

/** `HTTP 429: <Cloudflare's first error message>`, or the error's own message. */
export function describeApiError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!isApiError(error)) return error.message;
  const first = (error.errors as { message?: unknown }[] | undefined)?.[0]?.message;
  const detail = typeof first === 'string' ? first : error.message;
  return error.status !== undefined ? `HTTP ${error.status}: ${detail}` : detail;
}
