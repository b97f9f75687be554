/**
 * When the forwarder sends a request again, to another endpoint. Without
 * `buffering.retryexpression` (the default policy): only after a failed
 * connection (nothing reached the pod) and only for idempotent requests
 * whose body can be sent again. With it: whenever the expression holds for
 * the attempt just made (`IsNetworkError()`: the answer was 502 or 504, the
 * edge's own included; `Attempts()`: attempts so far; `ResponseCode()`), up
 * to {@link MAX_ATTEMPTS}, as oxy's buffer did.
 *
 * @example
 * ```ts
 * const policy = expressionRetry(config.retry.predicate);
 * policy({ attempts: 1, status: 502, connectFailure: true }); // true for `IsNetworkError() && Attempts() <= 2`
 * ```
 */
import type { Predicate } from '../../src/table/traffic.ts';
import { evaluate } from './predicate.ts';

export const MAX_ATTEMPTS = 10;

/** Methods RFC 9110 calls idempotent: safe to send again after a failed connection. */
export const RETRYABLE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export interface Attempt {
  /** Attempts made so far, this one included. */
  readonly attempts: number;
  /** The pod's status, or the edge's 502/504 when the exchange failed. */
  readonly status: number;
  /** True when no connection could be made (nothing reached the pod). */
  readonly connectFailure: boolean;
}

export type RetryPolicy = (attempt: Attempt) => boolean;

/** The default: a failed connection of an idempotent request whose body can be re-sent. */
export function defaultRetry(method: string, body: ReadableStream | Uint8Array | null): RetryPolicy {
  const retryable = RETRYABLE_METHODS.has(method) && !(body instanceof ReadableStream);
  return (attempt) => retryable && attempt.connectFailure;
}

/** `buffering.retryexpression`: retry while it holds, at most {@link MAX_ATTEMPTS} attempts. */
export function expressionRetry(predicate: Predicate): RetryPolicy {
  return (attempt) =>
    attempt.attempts < MAX_ATTEMPTS &&
    evaluate(predicate, {
      IsNetworkError: () => attempt.status === 502 || attempt.status === 504,
      Attempts: () => attempt.attempts,
      ResponseCode: () => attempt.status,
    });
}
