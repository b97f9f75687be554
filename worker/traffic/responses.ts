/**
 * The responses of traffic management, with Traefik 1.7's texts: the rate
 * limit's 429 (`Retry-After`, `X-Retry-In`), max-conn's 429 and buffering's
 * 413. Fixed text plus numbers from the table or the clock, never client input.
 */
import { goDuration, retryAfterSeconds } from './token-bucket.ts';

const PLAIN = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } as const;

/** oxy's `RateErrHandler`: 429 `max rate reached: retry-in <Go duration>`. */
export function rateLimitedResponse(waitMs: number): Response {
  const retryIn = goDuration(waitMs);
  return new Response(`max rate reached: retry-in ${retryIn}`, {
    status: 429,
    headers: { ...PLAIN, 'retry-after': retryAfterSeconds(waitMs), 'x-retry-in': retryIn },
  });
}

/** oxy's connection limiter: 429 `max connections reached: <amount>`. */
export function tooManyConnectionsResponse(amount: number): Response {
  return new Response(`max connections reached: ${amount}`, { status: 429, headers: PLAIN });
}

/** A request body over `maxrequestbodybytes`. */
export function tooLargeResponse(): Response {
  return new Response('Request Entity Too Large\n', { status: 413, headers: PLAIN });
}
