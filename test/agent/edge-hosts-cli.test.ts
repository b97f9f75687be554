/**
 * `edgress sync --once --edge-hosts custom-domains --worker-name W --owner-id O`
 * through the real CLI, against the test Kubernetes API server and the
 * Cloudflare API stand-in: attaches every host it can, leaves conflicting
 * and foreign hosts untouched with Warning Events, gives a wildcard a route
 * and a proxied record and reports that no certificate covers it, writes
 * nothing with --dry-run, and detaches a host whose Ingress was deleted.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dump } from 'js-yaml';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../e2e/harness/edgress.ts';
import type { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { ACCOUNT, startStandIn, TOKEN } from '../cloudflare/helpers.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const credentials = { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT };

describe('edgress sync --edge-hosts custom-domains', { timeout: 120_000 }, () => {
  let api: TestApiServer;
  let cloudflare: CloudflareApiStandIn;
  let out: string;
  const sync = (...extra: string[]) =>
    runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out, '--cloudflare-api-url', cloudflare.baseUrl, '--edge-hosts', 'custom-domains', '--worker-name', 'W', '--owner-id', 'O', ...extra], { env: credentials });
  const writes = () => cloudflare.requests.filter((request) => request.method !== 'GET').length;
  const warnings = (name: string) => api.objects('Event', 'default').filter((event) => (event['involvedObject'] as { name?: string }).name === name).map((event) => `${String(event['reason'])}: ${String(event['message'])}`);

  beforeAll(async () => {
    api = await TestApiServer.start();
    cloudflare = await startStandIn();
    out = join(await tempDir({}), 'table.json');
    api.apply(service('web'));
    api.apply(endpointSlice('web', ['10.0.0.1']));
    for (const [name, host] of [['shop', 'shop.example.com'], ['www', 'www.example.com'], ['api', 'api.example.com'], ['apps', '*.apps.example.com'], ['elsewhere', 'shop.example.org']]) api.apply(ingress(name!, { host: host! }));
    cloudflare.edge.addZone('example.com');
    cloudflare.edge.addRecord('example.com', { name: 'www.example.com', type: 'CNAME', content: 'lb.example.net', proxied: true });
    cloudflare.edge.addDomain('api.example.com', 'other-worker');
  });
  afterAll(async () => {
    await cloudflare.close();
    await api.close();
  });

  it('attaches what it can; conflicts, foreign and uncovered hosts get Warning Events', async () => {
    const result = await sync();
    expect(result.status, result.stderr).toBe(0);
    expect(cloudflare.edge.domainOf('shop.example.com')).toMatchObject({ service: 'W', zone_name: 'example.com' });
    expect(cloudflare.edge.recordsNamed('_edgress.shop.example.com')[0]?.content).toContain('owner=O');
    // Untouched: the CNAME someone else wrote, the other Worker's Custom Domain.
    expect(cloudflare.edge.recordsNamed('www.example.com')).toMatchObject([{ type: 'CNAME', content: 'lb.example.net' }]);
    expect(cloudflare.edge.domainOf('www.example.com')).toBeUndefined();
    expect(cloudflare.edge.domainOf('api.example.com')?.service).toBe('other-worker');
    // The wildcard: a route and a proxied AAAA 100::, which Universal SSL (*.example.com) does not cover.
    expect(cloudflare.edge.routeFor('*.apps.example.com/*')?.script).toBe('W');
    expect(cloudflare.edge.recordsNamed('*.apps.example.com')).toMatchObject([{ type: 'AAAA', content: '100::', proxied: true }]);
    expect(warnings('www')).toEqual([expect.stringMatching(/^EdgeHostConflict: www\.example\.com has a CNAME record \(lb\.example\.net\) edgress did not write/)]);
    expect(warnings('api')).toEqual([expect.stringMatching(/^EdgeHostConflict: api\.example\.com is a Custom Domain of Worker "other-worker"/)]);
    expect(warnings('apps')).toEqual([expect.stringMatching(/^EdgeTLSNotCovered: no active edge certificate covers \*\.apps\.example\.com.*Advanced Certificate Manager/)]);
    expect(warnings('elsewhere')).toEqual([expect.stringMatching(/^EdgeHostNoZone: shop\.example\.org is in no zone/)]);
    expect(warnings('shop')).toEqual([]);
    expect(cloudflare.requests.some((request) => request.path.includes('example.org'))).toBe(false);
  });

  it('edgress explain --edge-hosts shows a host\'s state at the edge: the conflict, and the TLS coverage of a wildcard', async () => {
    const manifests = join(await tempDir({}), 'site.yaml');
    const objects = [service('web'), ...(['www', 'apps', 'shop'] as const).map((name) => api.object('Ingress', 'default', name)!)];
    await writeFile(manifests, objects.map((object) => dump(object)).join('---\n'));
    const explain = (url: string) => runCli(['explain', url, '-f', manifests, '--edge-hosts', 'custom-domains', '--worker-name', 'W', '--owner-id', 'O', '--cloudflare-api-url', cloudflare.baseUrl], { env: credentials });
    const before = writes();
    const www = await explain('https://www.example.com/');
    expect(www.status, www.stderr).toBe(0);
    expect(www.stdout).toContain('edge host:   www.example.com (zone example.com): conflict via custom-domain');
    expect(www.stdout).toContain('has a CNAME record (lb.example.net) edgress did not write');
    const apps = await explain('https://x.apps.example.com/');
    expect(apps.stdout).toMatch(/edge host: {3}\*\.apps\.example\.com \(zone example\.com\): (served|attaching) via route/);
    expect(apps.stdout).toMatch(/tls: no active edge certificate covers \*\.apps\.example\.com/);
    expect(writes()).toBe(before);
  });

  it('--dry-run prints the changes (edge and table) and writes nothing', async () => {
    api.apply(ingress('fresh', { host: 'fresh.example.com' }));
    const before = writes();
    const table = await readFile(out, 'utf8');
    const events = api.objects('Event', 'default').length;
    const result = await sync('--dry-run');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('dry-run: domain attach fresh.example.com to Worker W (zone example.com)');
    expect(result.stdout).toContain('dry-run: dns create TXT _edgress.fresh.example.com');
    expect(result.stdout).toMatch(/dry-run: write .*table\.json: table with 6 routes/);
    expect(result.stdout).toMatch(/dry-run: conflict www\.example\.com/);
    expect(writes()).toBe(before);
    expect(await readFile(out, 'utf8')).toBe(table);
    expect(api.objects('Event', 'default')).toHaveLength(events);
    expect(cloudflare.edge.domainOf('fresh.example.com')).toBeUndefined();
    api.remove('Ingress', 'default', 'fresh');
  });

  it('detaches a host whose Ingress was deleted, once the table without it is in force', async () => {
    api.remove('Ingress', 'default', 'shop');
    const result = await sync();
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(await readFile(out, 'utf8')) as { routers: { host: string }[] }).routers.map((router) => router.host)).not.toContain('shop.example.com');
    expect(cloudflare.edge.domainOf('shop.example.com')).toBeUndefined();
    expect(cloudflare.edge.recordsNamed('_edgress.shop.example.com')).toEqual([]);
    expect(cloudflare.edge.routeFor('*.apps.example.com/*')).toBeDefined();
    expect(cloudflare.edge.recordsNamed('www.example.com')).toHaveLength(1);
  });

  it('refuses bad combinations with exit status 2', async () => {
    const dryWatch = await runCli(['sync', '--kubeconfig', api.kubeconfig, '--out', out, '--dry-run'], { env: credentials });
    expect(dryWatch.status).toBe(2);
    expect(dryWatch.stderr).toContain('--dry-run needs --once');
    const badOwner = await sync('--owner-id', 'has spaces');
    expect(badOwner.status).toBe(2);
    const noCredentials = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', out, '--edge-hosts', 'routes'], { env: { CLOUDFLARE_API_TOKEN: undefined, CLOUDFLARE_ACCOUNT_ID: undefined } });
    expect(noCredentials.status).toBe(2);
    expect(noCredentials.stderr).toContain('CLOUDFLARE_API_TOKEN');
  });
});
