/**
 * The agent's watch → compile → publish loop against the test API server.
 */
import { describe, expect, it } from 'vitest';
import { hosts, makeAgent, servers, testCluster } from './harness.ts';
import { endpoints, endpointSlice, ingress, ingressClass, secret, service } from './objects.ts';

const cluster = testCluster();
const started = (settings: Parameters<typeof makeAgent>[1] = {}) => cluster.started(settings);

function seed(names: readonly string[]): void {
  cluster.api.apply(service('web'));
  cluster.api.apply(endpointSlice('web', ['10.0.0.1']));
  for (const name of names) cluster.api.apply(ingress(name));
}

describe('SyncAgent', () => {
  it('publishes nothing before every informer has synced', async () => {
    seed(['a']);
    const forbid = cluster.api.fail({ kind: 'Secret', verb: 'list', status: 403 });
    const { agent, publisher, logs } = await cluster.started({}, { waitForPublish: false });
    await expect.poll(() => logs.some((line) => line['event'] === 'list-failed' && String(line['informer']).startsWith('Secret'))).toBe(true);
    await cluster.api.nextRequest((request) => request.kind === 'Secret' && request.verb === 'list');
    expect(publisher.tables).toHaveLength(0);
    expect(agent.ready).toBe(false);
    forbid();
    await expect.poll(() => publisher.tables.length).toBe(1);
    expect(hosts(publisher.last)).toEqual(['a.example.com']);
    expect(agent.ready).toBe(true);
  });

  it('republishes on add, change and delete of each watched kind', async () => {
    seed(['a']);
    const { publisher } = await started();
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com']);
    cluster.api.apply(ingress('b'));
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com', 'b.example.com']);
    cluster.api.apply(ingress('b', { host: 'b2.example.com' }));
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com', 'b2.example.com']);
    cluster.api.remove('Ingress', 'default', 'b');
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com']);
    cluster.api.apply(endpointSlice('web', ['10.0.0.1', '10.0.0.2']));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
    cluster.api.apply(service('web', { port: 81 }));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual([]);
    cluster.api.apply(service('web'));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toHaveLength(2);
    cluster.api.remove('Service', 'default', 'web');
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual([]);
  });

  it('recompiles when an IngressClass or a Secret changes', async () => {
    cluster.api.apply(service('web'));
    cluster.api.apply(endpointSlice('web', ['10.0.0.1']));
    cluster.api.apply(ingress('classy', { ingressClassName: 'edge' }));
    cluster.api.apply({ ...ingress('secure'), spec: { ...ingress('secure')['spec'] as object, tls: [{ hosts: ['secure.example.com'], secretName: 'secure-tls' }] } });
    const { agent, publisher } = await started();
    await expect.poll(() => publisher.tables.length).toBe(1);
    expect(hosts(publisher.last)).toEqual(['secure.example.com']);
    cluster.api.apply(ingressClass('edge', 'edgress.dev/ingress-controller'));
    await expect.poll(() => hosts(publisher.last)).toContain('classy.example.com');
    const warnings = async () => (await agent.metrics.diagnostics.get()).values.find((value) => value.labels['severity'] === 'warning')?.value;
    await expect.poll(warnings).toBe(1);
    cluster.api.apply({ ...secret('secure-tls', { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') }), type: 'kubernetes.io/tls' });
    await expect.poll(warnings).toBe(0);
    cluster.api.remove('Secret', 'default', 'secure-tls');
    await expect.poll(warnings).toBe(1);
    cluster.api.remove('IngressClass', undefined, 'edge');
    await expect.poll(() => hosts(publisher.last)).toEqual(['secure.example.com']);
  });

  it('coalesces a burst of changes into one publish, and does not republish an unchanged table', async () => {
    seed(['a']);
    const { publisher } = await started({ quietMs: 100, maxDelayMs: 2_000 });
    await expect.poll(() => publisher.tables.length).toBe(1);
    for (let i = 0; i < 10; i++) cluster.api.apply(ingress(`burst-${i}`));
    await expect.poll(() => hosts(publisher.last).length).toBe(11);
    expect(publisher.tables).toHaveLength(2);
    // A change that does not change the table: a label on a Service.
    cluster.api.apply({ ...service('web'), metadata: { name: 'web', namespace: 'default', labels: { touched: 'yes' } } });
    await cluster.api.nextRequest(() => true, 300).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publisher.tables).toHaveLength(2);
  });

  it('bounds the coalescing delay while changes keep coming', async () => {
    seed([]);
    const { publisher } = await started({ quietMs: 200, maxDelayMs: 400 });
    await expect.poll(() => publisher.tables.length).toBe(1);
    const start = Date.now();
    let i = 0;
    const timer = setInterval(() => cluster.api.apply(ingress(`steady-${i++}`)), 50);
    try {
      await expect.poll(() => publisher.tables.length, { timeout: 3_000 }).toBe(2);
      expect(Date.now() - start).toBeLessThan(1_500);
    } finally {
      clearInterval(timer);
    }
  });

  it('uses Endpoints where the API server has no EndpointSlices', async () => {
    await cluster.replaceApi({ endpointSlices: false });
    cluster.api.apply(service('web'));
    cluster.api.apply(endpoints('web', ['10.0.0.9']));
    cluster.api.apply(ingress('a'));
    const { publisher } = await started();
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual(['10.0.0.9:8080']);
    cluster.api.apply(endpoints('web', ['10.0.0.9', '10.0.0.10']));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual(['10.0.0.10:8080', '10.0.0.9:8080']);
  });

  it('watches only the given namespaces and applies the label selector to Ingresses only', async () => {
    cluster.api.apply(service('web', { namespace: 'shop' }));
    cluster.api.apply(endpointSlice('web', ['10.0.0.1'], { namespace: 'shop' }));
    cluster.api.apply(ingress('in-shop', { namespace: 'shop', labels: { edge: 'yes' } }));
    cluster.api.apply(ingress('unlabelled', { namespace: 'shop' }));
    cluster.api.apply(ingress('elsewhere', { namespace: 'other', labels: { edge: 'yes' } }));
    const { publisher } = await started({ provider: { namespaces: ['shop'], labelSelector: 'edge=yes' } });
    await expect.poll(() => hosts(publisher.last)).toEqual(['in-shop.example.com']);
    expect(servers(publisher.last)['in-shop.example.com']).toEqual(['10.0.0.1:8080']);
    const paths = cluster.api.requests.filter((request) => request.verb === 'list').map((request) => `${request.path}?${request.query.get('labelSelector') ?? ''}`);
    expect(paths).toContain('/apis/networking.k8s.io/v1/namespaces/shop/ingresses?edge=yes');
    expect(paths).toContain('/api/v1/namespaces/shop/services?');
    expect(paths.some((path) => path.includes('/namespaces/other/'))).toBe(false);
  });
});

function pem(label: string): string {
  return `-----BEGIN ${label}-----\nTUlJQnRlc3Q=\n-----END ${label}-----\n`;
}
