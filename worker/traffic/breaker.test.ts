import { describe, expect, it } from 'vitest';
import type { Predicate } from '../../src/table/traffic.ts';
import { Breaker, CHECK_MS } from './breaker.ts';
import { evaluate } from './predicate.ts';
import { ResponseWindow } from './window.ts';

const ratioAbove = (fn: 'NetworkErrorRatio', value: number): Predicate => ({
  type: 'compare', op: '>', left: { type: 'metric', fn, args: [] }, right: { type: 'number', value },
});

describe('ResponseWindow', () => {
  it('counts 502/504 as network errors over the last ten seconds', () => {
    const window = new ResponseWindow();
    window.record(502, 1, 0);
    window.record(200, 1, 500);
    window.record(504, 1, 1500);
    window.record(200, 1, 2500);
    expect(window.networkErrorRatio(2500)).toBe(0.5);
    // At 10 s the first second's bucket has left the window.
    expect(window.networkErrorRatio(10_000)).toBe(0.5);
    expect(window.networkErrorRatio(20_000)).toBe(0);
  });

  it('answers ResponseCodeRatio and latency quantiles', () => {
    const window = new ResponseWindow();
    [200, 200, 500, 503].forEach((status, i) => window.record(status, (i + 1) * 10, 0));
    expect(window.responseCodeRatio(0, [500, 600, 0, 600])).toBe(0.5);
    expect(window.responseCodeRatio(0, [500, 600, 300, 400])).toBe(0);
    expect(window.latencyAtQuantile(0, 50)).toBe(20);
    expect(window.latencyAtQuantile(0, 100)).toBe(40);
  });
});

describe('evaluate', () => {
  it('combines comparisons with && || !', () => {
    const facts = { NetworkErrorRatio: () => 0.6, LatencyAtQuantileMS: () => 10 };
    const high: Predicate = ratioAbove('NetworkErrorRatio', 0.5);
    const slow: Predicate = { type: 'compare', op: '>=', left: { type: 'metric', fn: 'LatencyAtQuantileMS', args: [50] }, right: { type: 'number', value: 100 } };
    expect(evaluate({ type: 'and', left: high, right: slow }, facts)).toBe(false);
    expect(evaluate({ type: 'or', left: high, right: slow }, facts)).toBe(true);
    expect(evaluate({ type: 'not', operand: high }, facts)).toBe(false);
    expect(evaluate({ type: 'flag', fn: 'IsNetworkError' }, { IsNetworkError: () => true })).toBe(true);
  });
});

describe('Breaker', () => {
  const timing = { fallbackMs: 10_000, recoveryMs: 10_000 };

  it('trips when the condition holds and answers 503 for the fallback duration', () => {
    const breaker = new Breaker(ratioAbove('NetworkErrorRatio', 0.5), timing);
    breaker.record(200, 1, 0);
    breaker.record(502, 1, CHECK_MS);
    expect(breaker.state).toBe('standby');
    breaker.record(502, 1, 2 * CHECK_MS);
    expect(breaker.state).toBe('tripped');
    expect(breaker.allow(5000)).toBe(false);
  });

  it('checks the condition at most every 100 ms', () => {
    const breaker = new Breaker(ratioAbove('NetworkErrorRatio', 0.5), timing);
    breaker.record(200, 1, 0);
    breaker.record(502, 1, 10);
    breaker.record(502, 1, 20);
    expect(breaker.state).toBe('standby');
    breaker.record(502, 1, CHECK_MS);
    expect(breaker.state).toBe('tripped');
  });

  it('recovers along a linear ramp, then stands by', () => {
    const breaker = new Breaker(ratioAbove('NetworkErrorRatio', 0.5), timing);
    breaker.record(502, 1, 0);
    const start = 10_000;
    let allowed = 0;
    for (let t = start; t < start + 10_000; t += 100) if (breaker.allow(t)) allowed += 1;
    expect(breaker.state).toBe('recovering');
    // The share let through so far tracks the elapsed share (oxy's ratio
    // controller): none at first, every request from half-way on, ¾ in all.
    expect(allowed).toBeGreaterThan(65);
    expect(allowed).toBeLessThan(85);
    expect(breaker.allow(start + 10_000)).toBe(true);
    expect(breaker.state).toBe('standby');
  });

  it('trips again when the condition holds while recovering', () => {
    const breaker = new Breaker(ratioAbove('NetworkErrorRatio', 0.5), timing);
    breaker.record(502, 1, 0);
    breaker.allow(10_000);
    expect(breaker.state).toBe('recovering');
    breaker.record(504, 1, 12_000);
    expect(breaker.state).toBe('tripped');
    expect(breaker.allow(13_000)).toBe(false);
  });
});
