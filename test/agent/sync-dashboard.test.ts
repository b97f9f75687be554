/**
 * `edgress sync --dashboard-port` through the real CLI: the dashboard shows
 * the table the agent compiled and published, and the edge statistics it
 * reads from the Analytics Engine SQL API (the Cloudflare API stand-in),
 * which also become gauges on --metrics-port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { REPO, tempDir } from '../e2e/harness/edgress.ts';
import { freePort } from '../e2e/harness/free-port.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { endpointSlice, ingress, service } from './objects.ts';

let kube: TestApiServer;
let cloudflare: CloudflareApiStandIn;
let child: ChildProcess | undefined;

beforeEach(async () => {
  kube = await TestApiServer.start();
  kube.apply(service('web'));
  kube.apply(endpointSlice('web', ['10.0.0.1']));
  kube.apply(ingress('site'));
  cloudflare = await CloudflareApiStandIn.start({ token: 'stats-token', account: 'acc1' });
  cloudflare.answerSql((sql) =>
    sql.includes('AS average_ms')
      ? [{ route: 'default/site#0.0', host: 'site.example.com', ingress: 'default/site', rule: 'Prefix /', service: 'default/web:80', requests: '42', status_4xx: '1', status_5xx: '0', average_ms: 3, p50_ms: 2, p95_ms: 9 }]
      : [],
  );
});
afterEach(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await cloudflare.close();
  await kube.close();
});

describe('edgress sync --dashboard-port', { timeout: 60_000 }, () => {
  it('serves the compiled table, the publication and the edge statistics read with SQL', async () => {
    const dir = await tempDir({});
    const [dashboardPort, metricsPort] = [await freePort(), await freePort()];
    const args = [
      'sync', '--kubeconfig', kube.kubeconfig, '--out', join(dir, 'table.json'), '--no-leader-elect',
      '--dashboard-port', String(dashboardPort), '--metrics-port', String(metricsPort), '--metrics-address', '127.0.0.1',
      '--cloudflare-api-url', cloudflare.baseUrl,
    ];
    const env = { ...process.env, CLOUDFLARE_API_TOKEN: 'stats-token', CLOUDFLARE_ACCOUNT_ID: 'acc1' };
    child = spawn(process.execPath, [join(REPO, 'bin/edgress.mjs'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    await new Promise<void>((resolve) => child!.stderr!.on('data', (chunk: Buffer) => (stderr += chunk) && stderr.includes('"published"') && resolve()));
    const base = `http://127.0.0.1:${dashboardPort}`;
    const providers = (await (await fetch(`${base}/api/providers`)).json()) as { kubernetes: { frontends: Record<string, unknown> } };
    expect(Object.keys(providers.kubernetes.frontends)).toEqual(['site.example.com/']);
    const publications = (await (await fetch(`${base}/api/edgress/publications`)).json()) as { routes: number; inForce: boolean }[];
    expect(publications[0]).toMatchObject({ routes: 1, inForce: true });
    await expect.poll(async () => ((await (await fetch(`${base}/api/edgress/routes`)).json()) as { routes: { statistics: { requests: number } | null }[] }[])[0]?.routes[0]?.statistics?.requests, { timeout: 10_000 }).toBe(42);
    const statistics = (await (await fetch(`${base}/api/edgress/statistics`)).json()) as { source: string; sampled: boolean };
    expect(statistics).toMatchObject({ source: 'analytics-engine', sampled: true });
    expect(cloudflare.sqlQueries.some((sql) => sql.includes('FROM edgress_requests'))).toBe(true);
    expect(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).toContain('edgress_edge_requests{route="default/site#0.0",host="site.example.com",class="all"} 42');
    expect(stderr).toContain('"event":"dashboard"');
  });

  it('without Cloudflare credentials serves the dashboard and says the statistics are off', async () => {
    const dir = await tempDir({});
    const dashboardPort = await freePort();
    const env = { ...process.env, CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '' };
    child = spawn(process.execPath, [join(REPO, 'bin/edgress.mjs'), 'sync', '--kubeconfig', kube.kubeconfig, '--out', join(dir, 't.json'), '--no-leader-elect', '--dashboard-port', String(dashboardPort)], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    await new Promise<void>((resolve) => child!.stderr!.on('data', (chunk: Buffer) => (stderr += chunk) && stderr.includes('"published"') && resolve()));
    const health = (await (await fetch(`http://127.0.0.1:${dashboardPort}/health`)).json()) as { total_count: number; edgress: { source: string; problem: string } };
    expect(health.total_count).toBe(0);
    expect(health.edgress).toMatchObject({ source: 'none', problem: expect.stringContaining('no Cloudflare credentials') });
  });
});
