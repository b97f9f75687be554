import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readWranglerConfig } from './wrangler-config.ts';

describe('readWranglerConfig', () => {
  it("reads the repository's wrangler.toml: the table namespace and the SQLite-backed rate limiter", async () => {
    const config = await readWranglerConfig(join(import.meta.dirname, '../../wrangler.toml'));
    expect(config.kvBindings).toEqual(['TABLE']);
    expect(config.durableObjects).toEqual({ RATE_LIMITER: 'RateLimiter' });
    expect(config.sqliteClasses).toEqual(['RateLimiter']);
  });

  it('applies [env.dev.vars] over the top-level vars', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgress-wrangler-'));
    try {
      const file = join(dir, 'wrangler.toml');
      await writeFile(file, 'main = "w.ts"\ncompatibility_date = "2026-01-01"\n[vars]\nA = "1"\nB = "1"\n[env.dev.vars]\nB = "2"\n');
      const config = await readWranglerConfig(file);
      expect(config.vars).toEqual({ A: '1', B: '2' });
      expect(config.sqliteClasses).toEqual([]);
      expect(config.main).toBe(join(dir, 'w.ts'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
