import { describe, expect, it } from 'vitest';
import { SmoothWeightedRoundRobin } from './swrr.ts';

const sequence = (rotation: SmoothWeightedRoundRobin<string>, count: number) =>
  Array.from({ length: count }, () => rotation.next());

describe('SmoothWeightedRoundRobin', () => {
  it('spreads weights 5/1/1 as nginx does', () => {
    const rotation = new SmoothWeightedRoundRobin([
      { item: 'a', weight: 5 },
      { item: 'b', weight: 1 },
      { item: 'c', weight: 1 },
    ]);
    expect(sequence(rotation, 14).join(' ')).toBe('a a b a c a a a a b a c a a');
  });

  it('alternates equal weights in table order and never picks weight 0', () => {
    const rotation = new SmoothWeightedRoundRobin([
      { item: 'a', weight: 1 },
      { item: 'z', weight: 0 },
      { item: 'b', weight: 1 },
    ]);
    expect(rotation.size).toBe(2);
    expect(sequence(rotation, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('gives exact shares over a cycle', () => {
    const rotation = new SmoothWeightedRoundRobin([
      { item: 'a', weight: 3 },
      { item: 'b', weight: 2 },
    ]);
    expect(sequence(rotation, 5)).toEqual(['a', 'b', 'a', 'b', 'a']);
    const counts = { a: 0, b: 0 };
    for (const item of sequence(rotation, 500)) counts[item as 'a' | 'b'] += 1;
    expect(counts).toEqual({ a: 300, b: 200 });
  });

  it('lets only eligible items take part, and answers undefined when none is', () => {
    const rotation = new SmoothWeightedRoundRobin([
      { item: 'a', weight: 1 },
      { item: 'b', weight: 1 },
    ]);
    expect(rotation.next((item) => item !== 'a')).toBe('b');
    expect(rotation.next(() => false)).toBeUndefined();
    expect(new SmoothWeightedRoundRobin<string>([]).next()).toBeUndefined();
  });
});
