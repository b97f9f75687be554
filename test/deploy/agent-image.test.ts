/**
 * What the agent's image runs: `sync/build/agent-bundle.ts` bundles the
 * command line into one file (stage 1 of deploy/Dockerfile). Run here without
 * node_modules next to it, the bundle answers --help as `edgress` does, has no
 * `dev`, and publishes a cluster to Workers KV (test API server and Cloudflare
 * API stand-in).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAgent } from '../../sync/build/agent-bundle.ts';
import { ACCOUNT, expectComplete, NAMESPACE, startStandIn, TOKEN } from '../cloudflare/helpers.ts';
import type { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { runCli, runProgram, type CliResult } from '../e2e/harness/edgress.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { endpointSlice, ingress, service } from '../agent/objects.ts';

let dir: string;
let bundle: string;

/** Runs the bundle as the image does (`node --max-semi-space-size=8 /app/edgress.mjs …`), from a directory without node_modules. */
function runBundle(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return runProgram(process.execPath, ['--max-semi-space-size=8', bundle, ...args], { cwd: dir, env });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edgress-image-'));
  bundle = join(dir, 'edgress.mjs');
  await bundleAgent(bundle);
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the agent image bundle', () => {
  it('is one file of a few megabytes', async () => {
    expect((await stat(bundle)).size).toBeLessThan(8 * 1024 * 1024);
  });

  it('has every command but dev, with the same --help as edgress', { timeout: 120_000 }, async () => {
    const help = await runBundle(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).not.toMatch(/^\s+dev /m);
    for (const command of ['sync', 'rollback', 'tunnel-config', 'compile']) {
      const [fromBundle, fromRepo] = await Promise.all([runBundle([command, '--help']), runCli([command, '--help'])]);
      expect(fromBundle.stdout, command).toBe(fromRepo.stdout);
    }
  });

  describe('publishing', () => {
    let api: TestApiServer;
    let cloudflare: CloudflareApiStandIn;
    beforeAll(async () => {
      api = await TestApiServer.start();
      api.apply(service('web'));
      api.apply(endpointSlice('web', ['10.0.0.1']));
      api.apply(ingress('site'));
      cloudflare = await startStandIn();
    });
    afterAll(async () => {
      await cloudflare.close();
      await api.close();
    });

    it('runs sync --once against a cluster and writes a complete table to Workers KV', async () => {
      const args = ['sync', '--once', '--kubeconfig', api.kubeconfig, '--kv-namespace-id', NAMESPACE, '--cloudflare-api-url', cloudflare.baseUrl];
      const result = await runBundle(args, { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT });
      expect(result.status, result.stderr).toBe(0);
      await expectComplete(cloudflare.values(NAMESPACE));
    });
  });
});
