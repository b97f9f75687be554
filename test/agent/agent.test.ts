/**
 * The agent's watch → compile → publish loop against the test API server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestApiServer } from '../kube/api-server.ts';
import { hosts, makeAgent, servers, type TestAgent } from './harness.ts';
import { endpoints, endpointSlice, ingress, ingressClass, secret, service } from './objects.ts';

let api: TestApiServer;
let running: TestAgent | undefined;

beforeEach(async () => {
  api = await TestApiServer.start();
});
afterEach(async () => {
  await running?.agent.stop();
  running = undefined;
  await api.close();
});

function seed(names: readonly string[]): void {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  for (const name of names) api.apply(ingress(name));
}

async function started(settings: Parameters<typeof makeAgent>[1] = {}): Promise<TestAgent> {
  running = makeAgent(api, settings);
  await running.agent.start();
  return running;
}

describe('SyncAgent', () => {
  it('publishes nothing before every informer has synced', async () => {
    seed(['a']);
    const forbid = api.fail({ kind: 'Secret', verb: 'list', status: 403 });
    const { agent, publisher, logs } = await started();
    await expect.poll(() => logs.some((line) => line['event'] === 'list-failed' && String(line['informer']).startsWith('Secret'))).toBe(true);
    await api.nextRequest((request) => request.kind === 'Secret' && request.verb === 'list');
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
    api.apply(ingress('b'));
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com', 'b.example.com']);
    api.apply(ingress('b', { host: 'b2.example.com' }));
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com', 'b2.example.com']);
    api.remove('Ingress', 'default', 'b');
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com']);
    api.apply(endpointSlice('web', ['10.0.0.1', '10.0.0.2']));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
    api.apply(service('web', { port: 81 }));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual([]);
    api.apply(service('web'));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toHaveLength(2);
    api.remove('Service', 'default', 'web');
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual([]);
  });

  it('recompiles when an IngressClass or a Secret changes', async () => {
    api.apply(service('web'));
    api.apply(endpointSlice('web', ['10.0.0.1']));
    api.apply(ingress('classy', { ingressClassName: 'edge' }));
    api.apply({ ...ingress('secure'), spec: { ...ingress('secure')['spec'] as object, tls: [{ hosts: ['secure.example.com'], secretName: 'secure-tls' }] } });
    const { agent, publisher } = await started();
    await expect.poll(() => publisher.tables.length).toBe(1);
    expect(hosts(publisher.last)).toEqual(['secure.example.com']);
    api.apply(ingressClass('edge', 'edgress.dev/ingress-controller'));
    await expect.poll(() => hosts(publisher.last)).toContain('classy.example.com');
    const warnings = async () => (await agent.metrics.diagnostics.get()).values.find((value) => value.labels['severity'] === 'warning')?.value;
    await expect.poll(warnings).toBe(1);
    api.apply({ ...secret('secure-tls', { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') }), type: 'kubernetes.io/tls' });
    await expect.poll(warnings).toBe(0);
    api.remove('Secret', 'default', 'secure-tls');
    await expect.poll(warnings).toBe(1);
    api.remove('IngressClass', undefined, 'edge');
    await expect.poll(() => hosts(publisher.last)).toEqual(['secure.example.com']);
  });

  it('coalesces a burst of changes into one publish, and does not republish an unchanged table', async () => {
    seed(['a']);
    const { publisher } = await started({ quietMs: 100, maxDelayMs: 2_000 });
    await expect.poll(() => publisher.tables.length).toBe(1);
    for (let i = 0; i < 10; i++) api.apply(ingress(`burst-${i}`));
    await expect.poll(() => hosts(publisher.last).length).toBe(11);
    expect(publisher.tables).toHaveLength(2);
    // A change that does not change the table: a label on a Service.
    api.apply({ ...service('web'), metadata: { name: 'web', namespace: 'default', labels: { touched: 'yes' } } });
    await api.nextRequest(() => true, 300).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(publisher.tables).toHaveLength(2);
  });

  it('bounds the coalescing delay while changes keep coming', async () => {
    seed([]);
    const { publisher } = await started({ quietMs: 200, maxDelayMs: 400 });
    await expect.poll(() => publisher.tables.length).toBe(1);
    const start = Date.now();
    let i = 0;
    const timer = setInterval(() => api.apply(ingress(`steady-${i++}`)), 50);
    try {
      await expect.poll(() => publisher.tables.length, { timeout: 3_000 }).toBe(2);
      expect(Date.now() - start).toBeLessThan(1_500);
    } finally {
      clearInterval(timer);
    }
  });

  it('uses Endpoints where the API server has no EndpointSlices', async () => {
    await api.close();
    api = await TestApiServer.start({ endpointSlices: false });
    api.apply(service('web'));
    api.apply(endpoints('web', ['10.0.0.9']));
    api.apply(ingress('a'));
    const { publisher } = await started();
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual(['10.0.0.9:8080']);
    api.apply(endpoints('web', ['10.0.0.9', '10.0.0.10']));
    await expect.poll(() => servers(publisher.last)['a.example.com']).toEqual(['10.0.0.10:8080', '10.0.0.9:8080']);
  });

  it('watches only the given namespaces and applies the label selector to Ingresses only', async () => {
    api.apply(service('web', { namespace: 'shop' }));
    api.apply(endpointSlice('web', ['10.0.0.1'], { namespace: 'shop' }));
    api.apply(ingress('in-shop', { namespace: 'shop', labels: { edge: 'yes' } }));
    api.apply(ingress('unlabelled', { namespace: 'shop' }));
    api.apply(ingress('elsewhere', { namespace: 'other', labels: { edge: 'yes' } }));
    const { publisher } = await started({ provider: { namespaces: ['shop'], labelSelector: 'edge=yes' } });
    await expect.poll(() => hosts(publisher.last)).toEqual(['in-shop.example.com']);
    expect(servers(publisher.last)['in-shop.example.com']).toEqual(['10.0.0.1:8080']);
    const paths = api.requests.filter((request) => request.verb === 'list').map((request) => `${request.path}?${request.query.get('labelSelector') ?? ''}`);
    expect(paths).toContain('/apis/networking.k8s.io/v1/namespaces/shop/ingresses?edge=yes');
    expect(paths).toContain('/api/v1/namespaces/shop/services?');
    expect(paths.some((path) => path.includes('/namespaces/other/'))).toBe(false);
  });
});

function pem(label: string): string {
  return `-----BEGIN ${label}-----\nTUlJQnRlc3Q=\n-----END ${label}-----\n`;
}
