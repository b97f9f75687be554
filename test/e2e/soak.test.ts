/**
 * A short soak (the long one is `npm run soak`): a few seconds of the mixed
 * workload through `edgress dev --kubeconfig` while Ingresses and endpoints
 * change on the test API server; every reply must come from the right
 * backend for the table in force.
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from '../soak/soak.ts';

describe('soak, short', () => {
  it('serves a mixed workload through Ingress changes without one unexpected reply', async () => {
    const report = await runSoak({ durationMs: 8_000, maxRequests: 4_000, concurrency: 4, changeEveryMs: 2_000, seed: 3 });
    expect(report.examples).toEqual([]);
    expect(report.unexpected).toBe(0);
    expect(report.requests).toBeGreaterThan(100);
    expect(report.source).toBe('cluster');
    expect(report.generations).toBeGreaterThan(1);
  }, 120_000);
});
