/**
 * What the agent tells people: Ingress status, Events for diagnostics,
 * health and metrics endpoints, structured logs.
 */
import { describe, expect, it } from 'vitest';
import { startHealthServer } from '../../sync/agent/health-server.ts';
import { makeAgent, testCluster } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
});
const started = (settings: Parameters<typeof makeAgent>[1] = {}) => cluster.started(settings);

const statusOf = (name: string, namespace = 'default') => cluster.api.object('Ingress', namespace, name)?.['status'];
const statusWrites = () => cluster.api.requests.filter((request) => request.subresource === 'status' && request.verb === 'patch');

describe('Ingress status', () => {
  it('writes the configured hostname and ip to served Ingresses only, and only when it changes', async () => {
    cluster.api.apply(ingress('ours'));
    cluster.api.apply(ingress('theirs', { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }));
    const { publisher } = await started({ ingressEndpoint: { hostname: 'edge.example.com', ip: '203.0.113.7' } });
    await expect.poll(() => statusOf('ours')).toEqual({ loadBalancer: { ingress: [{ ip: '203.0.113.7', hostname: 'edge.example.com' }] } });
    expect(statusOf('theirs')).toBeUndefined();
    expect(statusWrites()).toHaveLength(1);
    // More changes and compiles, status already right: no more writes.
    cluster.api.apply(ingress('ours', { path: '/v2' }));
    cluster.api.apply(ingress('other'));
    await expect.poll(() => statusOf('other')).toBeDefined();
    await expect.poll(() => publisher.tables.length).toBe(2);
    expect(statusWrites().map((request) => request.path)).toEqual([
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses/ours/status',
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses/other/status',
    ]);
  });

  it('with --ingress-nginx, writes status to class nginx Ingresses too and follows their custom-headers ConfigMap', async () => {
    cluster.api.apply(ingress('ours'));
    cluster.api.apply(ingress('theirs', { annotations: { 'kubernetes.io/ingress.class': 'nginx', 'nginx.ingress.kubernetes.io/custom-headers': 'headers' } }));
    const { publisher } = await started({ provider: { ingressNginx: true }, ingressEndpoint: { hostname: 'edge.example.com' } });
    await expect.poll(() => statusOf('theirs')).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.com' }] } });
    expect(statusOf('ours')).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.com' }] } });
    // The ConfigMap is watched: creating it recompiles the Ingress that names it.
    cluster.api.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'headers', namespace: 'default' }, data: { 'X-Edge': 'yes' } });
    await expect.poll(() => Object.values(publisher.last?.middlewares ?? {}).some((middleware) => middleware.kind === 'custom-headers')).toBe(true);
  });

  it('copies the published Service load balancer, following its changes, from another namespace', async () => {
    cluster.api.apply(service('edge', { namespace: 'infra', loadBalancer: [{ hostname: 'lb-1.example.net' }] }));
    cluster.api.apply(ingress('ours'));
    await started({ provider: { namespaces: ['default'] }, ingressEndpoint: { publishedService: 'infra/edge' } });
    await expect.poll(() => statusOf('ours')).toEqual({ loadBalancer: { ingress: [{ hostname: 'lb-1.example.net' }] } });
    cluster.api.apply(service('edge', { namespace: 'infra', loadBalancer: [{ ip: '198.51.100.1' }, { ip: '198.51.100.2' }] }));
    await expect.poll(() => statusOf('ours')).toEqual({ loadBalancer: { ingress: [{ ip: '198.51.100.1' }, { ip: '198.51.100.2' }] } });
  });

  it('writes no status without an ingress endpoint', async () => {
    cluster.api.apply(ingress('ours'));
    await started();
    expect(statusWrites()).toHaveLength(0);
  });
});

describe('diagnostics as Events', () => {
  const events = () => cluster.api.objects('Event', 'default');
  // ImplementationSpecific path with an invalid Traefik rule type: a diagnostic on the Ingress.
  const broken = () => ingress('broken', { annotations: { 'traefik.ingress.kubernetes.io/rule-type': 'Bogus' } });

  it('creates a Warning Event per diagnostic on the object, once, and counts recurrences', async () => {
    cluster.api.apply(broken());
    const { publisher } = await started();
    await expect.poll(() => events().length).toBeGreaterThan(0);
    const [event] = events();
    expect(event).toMatchObject({ type: 'Warning', involvedObject: { kind: 'Ingress', namespace: 'default', name: 'broken' }, count: 1, source: { component: 'edgress-sync' } });
    expect(event?.['involvedObject']).toHaveProperty('uid', cluster.api.object('Ingress', 'default', 'broken')?.metadata.uid);
    const reason = event?.['reason'];
    // Unrelated changes recompile with the same diagnostic: no new Event, no count update.
    cluster.api.apply(ingress('fine'));
    await expect.poll(() => publisher.tables.length).toBe(2);
    expect(events()).toHaveLength(1);
    expect(cluster.api.requests.filter((request) => request.kind === 'Event' && request.verb !== 'get')).toHaveLength(1);
    // Fixed, then broken again: the same Event's count goes up.
    cluster.api.apply(ingress('broken'));
    await expect.poll(() => publisher.tables.length).toBe(3);
    cluster.api.apply(broken());
    await expect.poll(() => events()[0]?.['count']).toBe(2);
    expect(events()).toHaveLength(1);
    expect(events()[0]?.['reason']).toBe(reason);
  });

  it('updates the existing Event instead of duplicating it after a restart', async () => {
    cluster.api.apply(broken());
    cluster.running = makeAgent(cluster.api);
    await cluster.running.agent.runOnce();
    cluster.running = makeAgent(cluster.api);
    await cluster.running.agent.runOnce();
    cluster.running = undefined;
    expect(events()).toHaveLength(1);
    expect(events()[0]?.['count']).toBe(2);
  });
});

describe('health and metrics', () => {
  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    cluster.api.apply(ingress('a'));
    const forbid = cluster.api.fail({ kind: 'Service', verb: 'list', status: 403 });
    cluster.running = makeAgent(cluster.api);
    const server = await startHealthServer({ port: 0, host: '127.0.0.1' }, cluster.running.agent);
    try {
      cluster.running.agent.start();
      const base = `http://127.0.0.1:${server.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      const logs = cluster.running.logs;
      await expect.poll(() => logs.some((line) => line['event'] === 'list-failed')).toBe(true);
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
      forbid();
      await expect.poll(async () => (await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      for (const name of ['edgress_sync_duration_seconds_count', 'edgress_last_publish_success_timestamp_seconds', 'edgress_routes 1', 'edgress_diagnostics', 'edgress_publish_errors_total 0', 'edgress_watch_restarts_total', 'edgress_list_errors_total{kind="Service"}']) {
        expect(metrics).toContain(name);
      }
    } finally {
      await server.close();
    }
  });

  it('logs one JSON object per event', async () => {
    cluster.api.apply(ingress('a'));
    const { logs } = await started();
    expect(logs.map((line) => line['event'])).toEqual(expect.arrayContaining(['connected', 'synced', 'published']));
    for (const line of logs) expect(line).toMatchObject({ time: expect.any(String), level: expect.any(String), event: expect.any(String) });
  });
});
