/**
 * `wrangler.toml` is complete for a real deploy: `npx wrangler deploy
 * --dry-run --outdir <dir>` bundles the worker with every binding the code
 * reads (KV table, VPC network, Durable Object with its SQLite migration).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { REPO, runProgram } from '../e2e/harness/edgress.ts';

interface WranglerToml {
  main: string;
  compatibility_date: string;
  kv_namespaces: { binding: string; id: string }[];
  vpc_networks: { binding: string; tunnel_id: string; remote: boolean }[];
  durable_objects: { bindings: { name: string; class_name: string }[] };
  migrations: { tag: string; new_sqlite_classes?: string[] }[];
  vars: Record<string, string>;
  analytics_engine_datasets: { binding: string; dataset: string }[];
}

describe('wrangler.toml', () => {
  it('declares every binding the worker reads in production', async () => {
    const config = parse(await readFile(join(REPO, 'wrangler.toml'), 'utf8')) as unknown as WranglerToml;
    expect(config.compatibility_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(config.kv_namespaces.map((namespace) => namespace.binding)).toEqual(['TABLE']);
    expect(config.vpc_networks).toEqual([{ binding: 'VPC', tunnel_id: expect.stringMatching(/^[0-9a-f-]{36}$/), remote: true }]);
    expect(config.vars['TRANSPORT']).toBe('vpc');
    expect(config.durable_objects.bindings).toEqual([{ name: 'RATE_LIMITER', class_name: 'RateLimiter' }]);
    expect(config.analytics_engine_datasets).toEqual([{ binding: 'STATS', dataset: 'edgress_requests' }]);
    expect(config.migrations.flatMap((migration) => migration.new_sqlite_classes ?? [])).toEqual(['RateLimiter']);
  });

  it('npx wrangler deploy --dry-run --outdir <dir> bundles the worker', { timeout: 180_000 }, async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'edgress-dry-run-'));
    try {
      const env = { WRANGLER_SEND_METRICS: 'false', CI: '1', CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined };
      const run = await runProgram(join(REPO, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir], { env });
      const result = { status: run.status, output: run.stdout + run.stderr };
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain('--dry-run: exiting now.');
      for (const binding of ['env.TABLE', 'env.VPC', 'env.STATS', 'env.RATE_LIMITER (RateLimiter)', 'env.TRANSPORT ("vpc")']) expect(result.output).toContain(binding);
      const bundle = await readFile(join(outdir, 'index.js'), 'utf8');
      expect(bundle).toMatch(/export\s*\{[^}]*RateLimiter/);
      expect(bundle).not.toMatch(/from\s*["']node:/);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
