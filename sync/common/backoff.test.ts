import { describe, expect, it } from 'vitest';
import { Backoff, BACKOFF_FACTOR, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } from './backoff.ts';

describe('Backoff', () => {
  it('grows by the factor up to the maximum, with jitter on top, and resets', () => {
    const backoff = new Backoff({ random: () => 0 });
    expect([backoff.next(), backoff.next()]).toEqual([BACKOFF_INITIAL_MS, BACKOFF_INITIAL_MS * BACKOFF_FACTOR]);
    for (let i = 0; i < 20; i++) backoff.next();
    expect(backoff.next()).toBe(BACKOFF_MAX_MS);
    backoff.reset();
    expect(new Backoff({ random: () => 1 }).next()).toBe(BACKOFF_INITIAL_MS * 1.2);
    expect(backoff.next()).toBe(BACKOFF_INITIAL_MS);
  });
});

