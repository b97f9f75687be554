import { APIConnectionError, APIError } from 'cloudflare';
import { describe, expect, it } from 'vitest';
import { InstantClock } from '../../../test/cloudflare/helpers.ts';
import { API_RETRY } from './limits.ts';
import { CloudflareApiError, RequestGate } from './request-gate.ts';

const apiError = (status: number, headers: Record<string, string> = {}) =>
  new APIError(status, { errors: [{ code: 1, message: `status ${status}` }] }, undefined, new Headers(headers));

/** A request that fails with each of `errors` in turn, then answers 'ok'. */
function failing(...errors: Error[]) {
  let calls = 0;
  const request = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return 'ok';
  };
  return { request, calls: () => calls };
}

describe('RequestGate', () => {
  it('never sends more than the budget within any window', async () => {
    const clock = new InstantClock();
    const gate = new RequestGate({ clock, budget: { requests: 3, windowMs: 1_000 } });
    const times: number[] = [];
    for (let i = 0; i < 10; i++) await gate.call('x', async () => times.push(clock.now()));
    for (const time of times) expect(times.filter((other) => other >= time && other < time + 1_000).length).toBeLessThanOrEqual(3);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(3_000);
  });

  it('retries 429 after Retry-After, 5xx and lost connections with growing backoff, then succeeds', async () => {
    const clock = new InstantClock();
    const { request, calls } = failing(apiError(429, { 'retry-after': '30' }), apiError(502), new APIConnectionError({ message: 'socket hang up' }));
    expect(await new RequestGate({ clock, random: () => 0 }).call('x', request)).toBe('ok');
    expect(calls()).toBe(4);
    expect(clock.sleeps).toEqual([30_000, 2_000, 4_000]);
  });

  it('fails at once on a 4xx other than 408, 409 and 429, naming the call and the reason', async () => {
    const { request, calls } = failing(apiError(403));
    const error = await new RequestGate({ clock: new InstantClock() }).call('write 3 KV values', request).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).message).toBe('Cloudflare API: write 3 KV values failed: HTTP 403: status 403');
    expect(calls()).toBe(1);
  });

  it(`gives up after ${API_RETRY.attempts} attempts, never waiting longer than the cap`, async () => {
    const clock = new InstantClock();
    const { request, calls } = failing(...Array.from({ length: 10 }, () => apiError(429, { 'retry-after': '86400' })));
    await expect(new RequestGate({ clock }).call('x', request)).rejects.toThrow(/HTTP 429/);
    expect(calls()).toBe(API_RETRY.attempts);
    expect(Math.max(...clock.sleeps)).toBe(API_RETRY.maxRetryAfterMs);
  });
});
