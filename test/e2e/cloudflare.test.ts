/**
 * The production path through the real CLI: `edgress sync --once` reads the
 * test Kubernetes API server and publishes to Workers KV through the local
 * stand-in of the Cloudflare API (credentials from the environment, API base
 * from `--cloudflare-api-url`), through a 429 and a 500; the values it wrote,
 * loaded into the worker's KV on Miniflare, are a table the worker serves to
 * the echo pods. Then `edgress rollback` and `edgress tunnel-config --apply`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { bundleWorker } from '../../sync/dev/bundle.ts';
import { startWorkerRuntime, type WorkerRuntime } from '../../sync/dev/runtime.ts';
import { readWranglerConfig } from '../../sync/dev/wrangler-config.ts';
import { HISTORY_KEY, parseHistory } from '../../sync/publish/cloudflare/history.ts';
import type { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { ACCOUNT, expectComplete, NAMESPACE, startStandIn, TOKEN, TUNNEL } from '../cloudflare/helpers.ts';
import { TestApiServer } from '../kube/api-server.ts';
import type { StoredObject } from '../kube/store.ts';
import { REPO, request, runCli, tempDir } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type EchoReply, type PodSet } from './harness/pods.ts';

const credentials = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT };

function ingress(name: string, host: string, service: string): StoredObject {
  const backend = { service: { name: service, port: { number: 8080 } } };
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend }] } }] },
  };
}

// Each case runs the CLI several times; on a loaded machine each start takes seconds.
describe('edgress sync --once to Workers KV through the Cloudflare API', { timeout: 180_000 }, () => {
  let api: TestApiServer;
  let cloudflare: CloudflareApiStandIn;
  let pods: PodSet;
  let worker: WorkerRuntime | undefined;
  const kvFlags = () => ['--kv-namespace-id', NAMESPACE, '--cloudflare-api-url', cloudflare.baseUrl];
  const sync = () => runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, ...kvFlags()], { env: credentials });

  /** Copies what the stand-in holds into the worker's KV, as Workers KV would serve it, and asks the worker. */
  async function serve(host: string, path: string) {
    const config = await readWranglerConfig(`${REPO}/wrangler.toml`);
    worker ??= await startWorkerRuntime({ config, script: await bundleWorker(config.main), vars: { TRANSPORT: 'direct', TABLE_REFRESH_MS: '0' } });
    const kv = await worker.kv('TABLE');
    for (const [key, value] of cloudflare.values(NAMESPACE)) await kv.put(key, value);
    return request(worker.url, path, { host });
  }

  beforeAll(async () => {
    pods = await startPods({ alpha: 1, beta: 1 });
    api = await TestApiServer.start();
    for (const object of [...serviceObjects('alpha', pods.pods), ...serviceObjects('beta', pods.pods)]) api.apply(object as StoredObject);
    api.apply(ingress('site', 'site.example.com', 'alpha'));
    cloudflare = await startStandIn();
  });
  afterAll(async () => {
    await worker?.dispose();
    await cloudflare.close();
    await api.close();
    await pods.close();
  });

  it('exits 2 without credentials, naming what is missing', async () => {
    const result = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, ...kvFlags()], { env: { CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined } });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID');
  });

  it('publishes a complete table through a 429 and a 500, and the worker serves it', async () => {
    cloudflare.fail({ path: /\/bulk$/, status: 429, retryAfter: '1', times: 1 });
    cloudflare.fail({ key: POINTER_KEY, status: 500, times: 1 });
    const result = await sync();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('"event":"cloudflare-api-retry"');
    expect(result.stderr).toContain('"event":"published"');
    await expectComplete(cloudflare.values(NAMESPACE));
    const reply = await serve('site.example.com', '/hello?x=1');
    expect(reply.status, reply.body).toBe(200);
    expect(reply.json<EchoReply>()).toMatchObject({ service: 'alpha', url: '/hello?x=1' });
  });

  it('publishes a change, and edgress rollback lists the tables and puts the previous one back', async () => {
    api.apply(ingress('more', 'more.example.com', 'beta'));
    expect((await sync()).status).toBe(0);
    expect((await serve('more.example.com', '/')).json<EchoReply>().service).toBe('beta');
    const list = await runCli(['rollback', '--list', ...kvFlags()], { env: credentials });
    expect(list.status, list.stderr).toBe(0);
    const versions = parseHistory(cloudflare.values(NAMESPACE).get(HISTORY_KEY)).entries.map((entry) => entry.version);
    expect(versions).toHaveLength(2);
    expect(list.stdout).toContain(`* ${versions[0]}`);
    expect(list.stdout).toContain(`  ${versions[1]}`);
    const rollback = await runCli(['rollback', ...kvFlags()], { env: credentials });
    expect(rollback.status, rollback.stderr).toBe(0);
    expect(rollback.stdout).toContain(`-> ${versions[1]}`);
    expect((await expectComplete(cloudflare.values(NAMESPACE))).version).toBe(versions[1]);
    expect((await serve('more.example.com', '/')).status).toBe(404);
    expect((await serve('site.example.com', '/')).status).toBe(200);
    const unknown = await runCli(['rollback', '--to', 'ffff', ...kvFlags()], { env: credentials });
    expect(unknown.status).toBe(2);
  });

  it('exits 1 and writes no pointer when the API keeps failing', async () => {
    const before = cloudflare.values(NAMESPACE).get(POINTER_KEY);
    api.apply(ingress('third', 'third.example.com', 'beta'));
    cloudflare.fail({ path: /\/bulk$/, status: 503 });
    const result = await sync();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('"event":"publish-failed"');
    expect(cloudflare.values(NAMESPACE).get(POINTER_KEY)).toBe(before);
  });
});

describe('edgress tunnel-config', { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let cloudflare: CloudflareApiStandIn;

  beforeAll(async () => {
    api = await TestApiServer.start();
    for (const object of serviceObjects('alpha', [])) api.apply(object as StoredObject);
    api.apply(ingress('site', 'site.example.com', 'alpha'));
    cloudflare = await startStandIn();
  });
  afterAll(async () => {
    await cloudflare.close();
    await api.close();
  });

  it('prints the rules of the cluster, catch-all last, and applies them through the API', async () => {
    const args = ['tunnel-config', '--kubeconfig', api.kubeconfig, '--hostname-template', '{service}-{namespace}.tunnel.example.com'];
    const printed = await runCli(args);
    expect(printed.status, printed.stderr).toBe(0);
    expect(printed.stdout).toBe('ingress:\n  - hostname: alpha-default.tunnel.example.com\n    service: http://alpha.default.svc.cluster.local:8080\n  - service: http_status:404\n');
    const applied = await runCli([...args, '--apply', '--tunnel-id', TUNNEL, '--cloudflare-api-url', cloudflare.baseUrl], { env: credentials });
    expect(applied.status, applied.stderr).toBe(0);
    expect(cloudflare.tunnel(TUNNEL)?.config).toEqual({
      ingress: [{ hostname: 'alpha-default.tunnel.example.com', service: 'http://alpha.default.svc.cluster.local:8080' }, { service: 'http_status:404' }],
    });
  });

  it("takes the template from wrangler.toml's TUNNEL_HOSTNAME_TEMPLATE, and prints the API body with -o json", async () => {
    const dir = await tempDir({
      'wrangler.toml': 'name = "x"\nmain = "w.ts"\ncompatibility_date = "2026-07-01"\n[vars]\nTUNNEL_HOSTNAME_TEMPLATE = "{service}-{namespace}-{port}.t.example.com"\n',
      'cluster.yaml': toYaml([...serviceObjects('alpha', []), ingress('site', 'site.example.com', 'alpha')]),
    });
    try {
      const result = await runCli(['tunnel-config', '-f', join(dir, 'cluster.yaml'), '--wrangler-config', join(dir, 'wrangler.toml'), '-o', 'json']);
      expect(result.status, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({
        config: { ingress: [{ hostname: 'alpha-default-8080.t.example.com', service: 'http://alpha.default.svc.cluster.local:8080' }, { service: 'http_status:404' }] },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for --apply without --tunnel-id, and without a template', async () => {
    expect((await runCli(['tunnel-config', '--kubeconfig', api.kubeconfig, '--hostname-template', '{service}-{namespace}.t.example.com', '--apply'])).status).toBe(2);
    const noTemplate = await runCli(['tunnel-config', '--kubeconfig', api.kubeconfig, '--wrangler-config', '/nonexistent.toml']);
    expect(noTemplate.status).toBe(2);
    expect(noTemplate.stderr).toContain('--hostname-template');
  });
});
