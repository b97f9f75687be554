import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goDuration, idleExpiryMs, retryAfterSeconds, takeToken, type BucketState } from './token-bucket.ts';

describe('takeToken', () => {
  it('starts full at the burst, then refills average tokens per period', () => {
    const state: BucketState = {};
    const rates = [{ periodMs: 1000, average: 2, burst: 3 }];
    expect([0, 0, 0].map(() => takeToken(state, rates, 0))).toEqual([0, 0, 0]);
    expect(takeToken(state, rates, 0)).toBe(500);
    expect(takeToken(state, rates, 250)).toBe(250);
    expect(takeToken(state, rates, 500)).toBe(0);
    expect(takeToken(state, rates, 500)).toBe(500);
  });

  it('takes from every bucket or from none, and waits for the slowest', () => {
    const state: BucketState = {};
    const rates = [
      { periodMs: 1000, average: 10, burst: 1 },
      { periodMs: 60_000, average: 1, burst: 2 },
    ];
    expect(takeToken(state, rates, 0)).toBe(0);
    expect(takeToken(state, rates, 0)).toBe(100);
    expect(takeToken(state, rates, 100)).toBe(0);
    expect(takeToken(state, rates, 200)).toBeCloseTo(60_000 - 200, 6);
    // Nothing was taken from the short bucket by the refused request.
    expect(state[1000]?.tokens).toBe(1);
  });

  it('forgets keys after ten of the longest periods', () => {
    expect(idleExpiryMs([{ periodMs: 1000, average: 1, burst: 1 }, { periodMs: 5000, average: 1, burst: 1 }])).toBe(50_000);
  });

  it('property: never lets more than burst + elapsed × average / period through', () => {
    const rate = fc.record({ periodMs: fc.integer({ min: 1, max: 60_000 }), average: fc.integer({ min: 1, max: 100 }), burst: fc.integer({ min: 1, max: 50 }) });
    fc.assert(
      fc.property(rate, fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }), (r, gaps) => {
        const state: BucketState = {};
        let now = 0;
        let allowed = 0;
        for (const gap of gaps) {
          now += gap;
          if (takeToken(state, [r], now) === 0) allowed += 1;
        }
        return allowed <= r.burst + Math.floor((now * r.average) / r.periodMs) + 1e-9;
      }),
    );
  });

  it('property: waiting the answered delay always gets a token', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 10 }), (periodMs, average, burst) => {
        const state: BucketState = {};
        const rates = [{ periodMs, average, burst }];
        let wait = 0;
        for (let i = 0; i <= burst; i++) wait = takeToken(state, rates, 0);
        return wait > 0 && takeToken(state, rates, wait + 1e-6) === 0;
      }),
    );
  });
});

describe('Go formatting', () => {
  it.each([
    [0, '0s'],
    [0.0005, '500ns'],
    [0.25, '250µs'],
    [99.99, '99.99ms'],
    [100, '100ms'],
    [1500, '1.5s'],
    [60_000, '1m0s'],
    [90_500, '1m30.5s'],
    [3_600_000, '1h0m0s'],
  ])('goDuration(%d) = %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });

  it.each([
    [99, '0'],
    [500, '0'],
    [1500, '2'],
    [2500, '2'],
    [2501, '3'],
    [59_999, '60'],
  ])('Retry-After of %d ms is %s', (ms, text) => {
    expect(retryAfterSeconds(ms)).toBe(text);
  });
});
