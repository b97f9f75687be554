import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DrrPicker } from './drr.ts';
import type { Endpoint } from './picker.ts';
import { SmoothWeightedRoundRobin } from './swrr.ts';

const endpoint = (address: string): Endpoint => ({ address, protocol: 'http' });

describe('DrrPicker', () => {
  const setup = () => {
    let now = 0;
    const a = endpoint('10.0.0.1:80');
    const b = endpoint('10.0.0.2:80');
    const picker = new DrrPicker([{ item: a, weight: 1 }, { item: b, weight: 1 }], { adjustMs: 1000, clock: () => now });
    return { a, b, picker, advance: (ms: number) => (now += ms) };
  };

  it('moves traffic away from an endpoint that answers errors, then back when it recovers', () => {
    const { a, b, picker, advance } = setup();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 10; i++) {
        const chosen = picker.pick(new Set()) as Endpoint;
        picker.observe(chosen, { status: chosen === b ? 503 : 200, latencyMs: 5 });
      }
      advance(1000);
    }
    picker.observe(a, { status: 200, latencyMs: 5 });
    expect(picker.weights.get(a)).toBeGreaterThanOrEqual(16);
    expect(picker.weights.get(b)).toBe(1);
    advance(20_000);
    for (let round = 0; round < 6; round++) {
      picker.observe(a, { status: 200, latencyMs: 5 });
      picker.observe(b, { status: 200, latencyMs: 5 });
      advance(1000);
    }
    picker.observe(a, { status: 200, latencyMs: 5 });
    expect(picker.weights.get(a)).toBe(1);
  });

  it('moves traffic away from a slow endpoint', () => {
    const { a, b, picker, advance } = setup();
    for (let i = 0; i < 5; i++) {
      picker.observe(a, { status: 200, latencyMs: 10 });
      picker.observe(b, { status: 200, latencyMs: 400 });
    }
    advance(1000);
    picker.observe(a, { status: 200, latencyMs: 10 });
    expect(picker.weights.get(a)).toBe(4);
    expect(picker.weights.get(b)).toBe(1);
  });

  it('keeps plain round robin with one endpoint', () => {
    const only = endpoint('10.0.0.1:80');
    const picker = new DrrPicker([{ item: only, weight: 3 }], { adjustMs: 1 });
    picker.observe(only, { status: 500, latencyMs: 1 });
    expect(picker.pick(new Set())).toBe(only);
    expect(picker.pick(new Set([only]))).toBeUndefined();
  });
});

describe('smooth weighted round robin shares (property)', () => {
  it("long-run shares match the weights within 1 %", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 8 }), (weights) => {
        const rotation = new SmoothWeightedRoundRobin(weights.map((weight, item) => ({ item, weight })));
        const counts = weights.map(() => 0);
        const total = weights.reduce((a, b) => a + b, 0);
        const picks = 20_000;
        for (let i = 0; i < picks; i++) counts[rotation.next() as number]! += 1;
        return counts.every((count, i) => Math.abs(count / picks - (weights[i] ?? 0) / total) <= 0.01);
      }),
      { numRuns: 60 },
    );
  });
});
