/**
 * `edgress dev --dashboard-port`: the dashboard's JSON API over the real
 * CLI, worker and dev recorder. Traefik 1.7's `/api/providers` and `/health`
 * shapes, the per-route statistics of the requests dev served, diagnostics,
 * publications, and the server's guards (read-only, Host check, CSP).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, type Reply } from './harness/edgress.ts';
import { eventually, SCRIPT_ANNOTATION, startDashboardCluster, type DashboardCluster } from './harness/dashboard-cluster.ts';

let cluster: DashboardCluster;

beforeAll(async () => {
  cluster = await startDashboardCluster();
});
afterAll(() => cluster?.stop());

function api(path: string, options: { method?: string; host?: string } = {}): Promise<Reply> {
  return request(cluster.dashboard, path, { host: options.host ?? cluster.dashboard.host, ...(options.method ? { method: options.method } : {}) });
}

async function json<T>(path: string): Promise<T> {
  const reply = await api(path);
  expect(reply.status, reply.body).toBe(200);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  return reply.json<T>();
}

interface Health {
  total_count: number;
  count: number;
  status_code_count: Record<string, number>;
  total_status_code_count: Record<string, number>;
  average_response_time: string;
  average_response_time_sec: number;
  recent_errors: { status_code: number; status: string; method: string; host: string; path: string; time: string }[];
}

describe('edgress dev --dashboard-port', () => {
  it('lists every host of the compiled table in Traefik 1.7 provider shapes', async () => {
    const providers = await json<{ kubernetes: { frontends: Record<string, any>; backends: Record<string, any> } }>('/api/providers');
    const frontends = providers.kubernetes.frontends;
    expect(Object.keys(frontends).sort()).toEqual(['notes.example.com/', 'shop.example.com/', 'shop.example.com/api']);
    expect(frontends['shop.example.com/api']).toMatchObject({
      backend: 'shop.example.com/api',
      routes: { '/api': { rule: 'PathPrefix:/api' }, 'shop.example.com': { rule: 'Host:shop.example.com' } },
      passHostHeader: true,
      priority: 0,
    });
    const backend = providers.kubernetes.backends['shop.example.com/'];
    expect(Object.keys(backend.servers).sort()).toEqual(['web-0', 'web-1']);
    expect(backend.servers['web-0']).toEqual({ url: `http://${cluster.pods.pods.find((p) => p.name === 'web-0')!.ip}:${cluster.pods.port}`, weight: 1 });
    // The narrower Traefik paths answer parts of the same.
    expect(await json('/api/providers/kubernetes')).toEqual(providers.kubernetes);
    expect(await json('/api/providers/kubernetes/frontends')).toEqual(frontends);
    expect(await json('/api/providers/kubernetes/backends')).toEqual(providers.kubernetes.backends);
    expect(await json('/api/providers/kubernetes/frontends/shop.example.com/api/routes')).toEqual(frontends['shop.example.com/api'].routes);
    expect((await api('/api/providers/kubernetes/frontends/nope.example.com/')).status).toBe(404);
  });

  it('counts the requests dev served in /health and per route', async () => {
    const before = await json<Health>('/health');
    const shop = cluster.dev.url;
    for (let i = 0; i < 3; i++) expect((await request(shop, '/api/orders', { host: 'shop.example.com' })).status).toBe(200);
    expect((await request(shop, '/', { host: 'shop.example.com', headers: { 'x-echo-status': '503' } })).status).toBe(503);
    expect((await request(shop, '/', { host: 'unknown.example.org' })).status).toBe(404);
    const health = await eventually(async () => {
      const now = await json<Health>('/health');
      expect(now.total_count).toBe(before.total_count + 5);
      return now;
    });
    expect(health.total_status_code_count['200']).toBe((before.total_status_code_count['200'] ?? 0) + 3);
    expect(health.status_code_count['503']).toBeGreaterThanOrEqual(1);
    expect(health.average_response_time).toMatch(/^\d+(\.\d+)?(ns|µs|ms|s)$|^0s$/);
    expect(health.recent_errors[0]).toMatchObject({ status_code: 404, status: 'Not Found', method: 'GET', host: 'unknown.example.org' });
    expect(health.recent_errors[1]).toMatchObject({ status_code: 503, status: 'Service Unavailable', host: 'shop.example.com', path: 'Prefix /' });

    const hosts = await json<{ host: string; routes: { id: string; rule: string; statistics: { requests: number; status5xx: number; p95Ms: number; series: unknown[] } | null }[] }[]>('/api/edgress/routes');
    const api0 = hosts.find((h) => h.host === 'shop.example.com')!.routes.find((r) => r.rule === 'Prefix /api')!;
    expect(api0.statistics).toMatchObject({ requests: 3, status5xx: 0 });
    expect(api0.statistics!.series).toHaveLength(1);
    const root = hosts.find((h) => h.host === 'shop.example.com')!.routes.find((r) => r.rule === 'Prefix /')!;
    expect(root.statistics).toMatchObject({ requests: 1, status5xx: 1 });
    const statistics = await json<{ source: string; sampled: boolean }>('/api/edgress/statistics');
    expect(statistics).toMatchObject({ source: 'dev', sampled: false });
  });

  it('shows diagnostics with their object and annotation, and what was published', async () => {
    const diagnostics = await json<{ severity: string; code: string; object: string; field: string; message: string }[]>('/api/edgress/diagnostics');
    expect(diagnostics).toContainEqual(expect.objectContaining({
      severity: 'error', code: 'InvalidAnnotation', object: 'Ingress default/evil', field: 'traefik.ingress.kubernetes.io/rule-type',
      message: expect.stringContaining(SCRIPT_ANNOTATION.slice(0, 30)),
    }));
    const publications = await json<{ version: string; routes: number; inForce: boolean }[]>('/api/edgress/publications');
    expect(publications[0]).toMatchObject({ routes: 3, inForce: true });
    const edgeHosts = await json<{ enabled: boolean; hosts: unknown[] }>('/api/edgress/edge-hosts');
    expect(edgeHosts).toMatchObject({ enabled: false, hosts: [] });
  });

  it('serves the page with a Content-Security-Policy, read-only, and only to localhost names and addresses', async () => {
    const root = await api('/');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/dashboard/');
    const page = await api('/dashboard/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/);
    expect((await api('/api/providers', { method: 'POST' })).status).toBe(405);
    expect((await api('/api/providers', { method: 'DELETE' })).status).toBe(405);
    expect((await api('/api/providers', { host: `localhost:${cluster.dashboard.port}` })).status).toBe(200);
    // A DNS name rebound to 127.0.0.1 by some web page is refused.
    expect((await api('/api/providers', { host: `attacker.example:${cluster.dashboard.port}` })).status).toBe(421);
  });

  it('listens on 127.0.0.1 only', async () => {
    expect(cluster.dashboard.hostname).toBe('127.0.0.1');
    const other = await new Promise<string>((resolve) => {
      const req = http.get({ host: '127.0.0.2', port: cluster.dashboard.port, path: '/health', timeout: 2_000 }, (res) => resolve(`answered ${res.statusCode}`));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(other).toBe('ECONNREFUSED');
  });
});

describe('edgress dev --kubeconfig --dashboard-port', () => {
  it('shows the live cluster: an Ingress added to it appears, with its diagnostics and a new publication', async () => {
    const { TestApiServer } = await import('../kube/api-server.ts');
    const { serviceObjects } = await import('./harness/manifests.ts');
    const { startDev } = await import('./harness/edgress.ts');
    const { freePort } = await import('./harness/free-port.ts');
    const kube = await TestApiServer.start();
    const port = await freePort();
    let dev: Awaited<ReturnType<typeof startDev>> | undefined;
    try {
      for (const object of serviceObjects('web', cluster.pods.pods)) kube.apply(object as never);
      const ingress = (name: string, host: string, annotations: Record<string, string> = {}) => ({
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'default', annotations },
        spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }] },
      });
      kube.apply(ingress('first', 'first.example.com') as never);
      dev = await startDev(['--kubeconfig', kube.kubeconfig, '--dashboard-port', String(port)]);
      await dev.waitFor(/dashboard on http:\/\/\S+/);
      const base = new URL(`http://127.0.0.1:${port}`);
      const frontends = async () => Object.keys(((await (await fetch(new URL('/api/providers/kubernetes/frontends', base))).json()) as Record<string, unknown>)).sort();
      expect(await frontends()).toEqual(['first.example.com/']);
      kube.apply(ingress('second', 'second.example.com', { 'traefik.ingress.kubernetes.io/rule-type': 'Nope' }) as never);
      kube.apply(ingress('third', 'third.example.com') as never);
      await expect.poll(frontends, { timeout: 10_000 }).toEqual(['first.example.com/', 'third.example.com/']);
      const diagnostics = (await (await fetch(new URL('/api/edgress/diagnostics', base))).json()) as { object: string; field: string }[];
      expect(diagnostics).toContainEqual(expect.objectContaining({ object: 'Ingress default/second', field: 'traefik.ingress.kubernetes.io/rule-type' }));
      // The compiled table shows at once; its publication follows.
      const publications = async () => (await (await fetch(new URL('/api/edgress/publications', base))).json()) as { routes: number; inForce: boolean }[];
      await expect.poll(async () => (await publications())[0], { timeout: 10_000 }).toMatchObject({ routes: 2, inForce: true });
      expect((await publications()).map((publication) => publication.routes)).toEqual([2, 1]);
    } finally {
      await dev?.stop();
      await kube.close();
    }
  });
});
