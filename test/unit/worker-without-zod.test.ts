// The worker's bundle carries no zod: zod was three quarters of it and most of
// a cold isolate's start-up CPU (docs/measurements/performance.md). Stored
// middleware entries are checked by src/table/middleware-check.ts instead;
// constants the worker reads live in modules without zod.
import { describe, expect, it } from 'vitest';
import { bundle } from '../../bench/worker-bundle.ts';

describe('the worker bundle', () => {
  it('holds the worker and no zod', async () => {
    const code = await bundle(new URL('../../worker/index.ts', import.meta.url).pathname, 'workerd');
    expect(code).toContain('RateLimiter');
    expect(code).toContain('middleware-check.ts');
    expect(code).not.toMatch(/\$ZodType|node_modules\/zod\//);
  }, 60_000);
});
