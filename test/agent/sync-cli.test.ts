/**
 * `edgress sync` through the real CLI against the test API server: exit
 * statuses, --config with a Traefik file and flags overriding it, status
 * from the command line, SIGTERM.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, runCli, tempDir } from '../e2e/harness/edgress.ts';
import { freePort } from '../e2e/harness/free-port.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { endpointSlice, ingress, service } from './objects.ts';

let api: TestApiServer;
let dir: string;

beforeEach(async () => {
  api = await TestApiServer.start();
  dir = await tempDir({});
  for (const namespace of ['default', 'shop']) {
    api.apply(service('web', { namespace }));
    api.apply(endpointSlice('web', ['10.0.0.1'], { namespace }));
    api.apply(ingress(`${namespace}-site`, { namespace }));
  }
});
afterEach(() => api.close());

const hostsIn = async (file: string) => ((JSON.parse(await readFile(file, 'utf8')) as { routers: { host: string }[] }).routers.map((router) => router.host)).sort();
const listedNamespaces = () => [...new Set(api.requests.filter((request) => request.verb === 'list' && request.kind === 'Ingress').map((request) => request.path.split('/')[5] ?? 'all'))];

// Each case spawns the CLI up to three times; under a loaded CI machine that takes seconds each.
describe('edgress sync', { timeout: 60_000 }, () => {
  it('--once lists, compiles, publishes to --out, writes status and exits 0', async () => {
    const out = join(dir, 'table.json');
    const result = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out, '--ingress-endpoint-ip', '203.0.113.7']);
    expect(result.status, result.stderr).toBe(0);
    expect(await hostsIn(out)).toEqual(['default-site.example.com', 'shop-site.example.com']);
    expect(api.object('Ingress', 'shop', 'shop-site')?.['status']).toEqual({ loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } });
    const events = result.stderr.trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event);
    expect(events).toEqual(expect.arrayContaining(['starting', 'connected', 'published', 'done']));
  });

  it('exits 2 without a publish target, and for an unknown [kubernetes] key', async () => {
    const none = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no publish target');
    const config = join(dir, 'edgress.toml');
    await writeFile(config, '[kubernetes]\nnamespace = ["shop"]\n');
    const unknown = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', join(dir, 't.json'), '--config', config]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown key "namespace" in [kubernetes]');
  });

  it('exits 1 and leaves the table in force when a list is forbidden', async () => {
    const out = join(dir, 'table.json');
    await writeFile(out, '{"previous": true}\n');
    api.fail({ kind: 'Secret', verb: 'list', status: 403 });
    const result = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('"event":"list-failed"');
    expect(await readFile(out, 'utf8')).toBe('{"previous": true}\n');
  });

  it('exits 3 when the table would remove too many routes of the one in --out, 0 with --allow-mass-removal', async () => {
    const out = join(dir, 'table.json');
    expect((await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out])).status).toBe(0);
    api.remove('Ingress', 'default', 'default-site');
    api.remove('Ingress', 'shop', 'shop-site');
    const held = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out]);
    expect(held.status).toBe(3);
    expect(await hostsIn(out)).toHaveLength(2);
    expect((await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out, '--allow-mass-removal'])).status).toBe(0);
    expect(await hostsIn(out)).toEqual([]);
  });

  it("reads a Traefik user's file, ignoring its other sections, and lets flags override it", async () => {
    const config = join(dir, 'traefik.toml');
    await writeFile(config, '[entryPoints]\n  [entryPoints.http]\n  address = ":80"\n\n[kubernetes]\nnamespaces = ["shop"]\n[kubernetes.ingressEndpoint]\nhostname = "edge.example.com"\n');
    const out = join(dir, 'table.json');
    const fromFile = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out, '--config', config]);
    expect(fromFile.status, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toContain('ignoring [entryPoints]');
    expect(await hostsIn(out)).toEqual(['shop-site.example.com']);
    expect(listedNamespaces()).toEqual(['shop']);
    expect(api.object('Ingress', 'shop', 'shop-site')?.['status']).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.com' }] } });
    api.requests.length = 0;
    const overridden = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out, '--config', config, '-n', 'default', '--ingress-endpoint-hostname', 'other.example.com', '--allow-mass-removal']);
    expect(overridden.status, overridden.stderr).toBe(0);
    expect(listedNamespaces()).toEqual(['default']);
    expect(api.object('Ingress', 'default', 'default-site')?.['status']).toEqual({ loadBalancer: { ingress: [{ hostname: 'other.example.com' }] } });
  });

  it('connects with --endpoint and --token as Traefik does', async () => {
    await api.close();
    api = await TestApiServer.start({ token: 'sesame' });
    api.apply(ingress('a'));
    const out = join(dir, 'table.json');
    const result = await runCli(['sync', '--once', '--endpoint', api.url, '--token', 'sesame', '--out', out]);
    expect(result.status, result.stderr).toBe(0);
    expect(await hostsIn(out)).toEqual(['a.example.com']);
    expect((await runCli(['sync', '--once', '--endpoint', api.url, '--token', 'wrong', '--out', out])).status).toBe(1);
  });

  it('runs until SIGTERM, serving health and metrics meanwhile, then exits 0', async () => {
    const out = join(dir, 'table.json');
    const port = await freePort();
    const args = ['sync', '--kubeconfig', api.kubeconfig, '--out', out, '--no-leader-elect', '--metrics-port', String(port), '--metrics-address', '127.0.0.1'];
    const child = spawn(process.execPath, [join(REPO, 'bin/edgress.mjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const published = new Promise<void>((resolve) => child.stderr.on('data', (chunk: Buffer) => (stderr += chunk) && stderr.includes('"published"') && resolve()));
    await published;
    api.apply(ingress('later'));
    await expect.poll(() => hostsIn(out), { timeout: 5_000 }).toContain('later.example.com');
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('edgress_routes 3');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('"event":"stopping"');
  });
});

