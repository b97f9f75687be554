import { describe, expect, it } from 'vitest';
import { LocalStatsRecorder, quantile } from './local-recorder.ts';

const point = (route: string, status: number, totalMs: number, host = 'shop.example.com') => ({
  indexes: [route],
  blobs: [host, 'shop/web', 'Prefix /', 'shop/web:80', 'GET', `${Math.floor(status / 100)}xx`, 'DEV', status >= 500 ? 'connect' : ''],
  doubles: [status, totalMs, totalMs / 2, 0, 10, 0],
});

describe('LocalStatsRecorder', () => {
  it('sums per route over the 5-minute window, totals since start, and series per minute', () => {
    let now = Date.parse('2026-12-07T19:00:30Z');
    const recorder = new LocalStatsRecorder(() => now);
    for (const ms of [10, 20, 30, 40]) recorder.record(point('shop/web#0.0', 200, ms));
    recorder.record(point('shop/web#0.0', 502, 100));
    now += 6 * 60_000;
    recorder.record(point('shop/web#0.0', 404, 5));
    const snapshot = recorder.snapshot();
    expect(snapshot).toMatchObject({ source: 'dev', sampled: false, windowSeconds: 300 });
    const route = snapshot.routes[0]!;
    // Only the 404 is in the window now; the series still has both minutes.
    expect(route).toMatchObject({ requests: 1, status4xx: 1, status5xx: 0, p95Ms: 5 });
    expect(route.series.map((p) => [p.requests, p.errors])).toEqual([[5, 1], [1, 0]]);
    expect(snapshot.window).toEqual({ count: 1, responseMs: 5, statusCodes: { '404': 1 } });
    expect(snapshot.totals).toEqual({ count: 6, responseMs: 205, statusCodes: { '200': 4, '502': 1, '404': 1 } });
    expect(snapshot.recentErrors.map((e) => e.status)).toEqual([404, 502]);
  });

  it('forgets points older than an hour, but not the totals', () => {
    let now = 0;
    const recorder = new LocalStatsRecorder(() => now);
    recorder.record(point('a#0', 200, 1));
    now = 61 * 60_000;
    expect(recorder.snapshot().routes).toEqual([]);
    expect(recorder.snapshot().totals.count).toBe(1);
  });

  it('keeps unmatched hosts apart and ignores what is not a data point', () => {
    const recorder = new LocalStatsRecorder();
    recorder.record(point('(unmatched)', 404, 1, 'a.example.org'));
    recorder.record(point('(unmatched)', 404, 1, 'b.example.org'));
    expect(recorder.record({ indexes: ['x'], blobs: ['too few'], doubles: [] })).toBe(false);
    expect(recorder.record({ indexes: ['x'], blobs: Array(8).fill(''), doubles: [NaN, 0, 0, 0, 0, 0] })).toBe(false);
    expect(recorder.snapshot().routes.map((r) => r.host).sort()).toEqual(['a.example.org', 'b.example.org']);
  });

  it('takes nearest-rank quantiles', () => {
    expect(quantile([], 0.5)).toBe(0);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.95)).toBe(4);
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBe(95);
  });
});
