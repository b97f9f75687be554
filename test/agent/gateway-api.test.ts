/**
 * The agent and the Gateway API CRDs, against the test API server through
 * client-node: without them it serves Ingresses and says so once; when they
 * are installed while it runs it starts watching their kinds at the next
 * discovery check; when they are deleted it stops, without an error loop.
 */
import { describe, expect, it } from 'vitest';
import { hosts, testCluster, type TestAgent } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  api.apply(ingress('a'));
});

/** Re-checks discovery often enough for a test. */
const DISCOVERY_MS = 50;
const GATEWAY_KINDS = ['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant'];

const complaints = (running: TestAgent) => running.logs.filter((line) => line['level'] === 'warn' || line['level'] === 'error');
const gatewayRequests = () => cluster.api.requests.filter((request) => request.path.includes('gateway.networking.k8s.io'));

describe('Gateway API CRDs and the agent', () => {
  it('without the CRDs: serves the Ingresses, asks discovery only, and complains about nothing', async () => {
    const running = await cluster.started({ gatewayDiscoveryMs: DISCOVERY_MS });
    expect(hosts(running.publisher.last)).toEqual(['a.example.com']);
    // A few discovery rounds: each one a GET of the group's versions, answered 404, and nothing logged about it.
    await expect.poll(() => gatewayRequests().length).toBeGreaterThanOrEqual(6);
    expect(gatewayRequests().every((request) => request.method === 'GET' && request.verb === undefined && request.status === 404)).toBe(true);
    for (const kind of [...GATEWAY_KINDS, 'Namespace']) expect(cluster.api.activeWatches(kind)).toBe(0);
    expect(complaints(running)).toEqual([]);
    expect(running.logs.find((line) => line['event'] === 'connected')).toMatchObject({ gatewayApi: false });
    expect(running.agent.ready).toBe(true);
  });

  it('CRDs installed while running: their four kinds are listed and watched at the next discovery check', async () => {
    const running = await cluster.started({ gatewayDiscoveryMs: DISCOVERY_MS });
    cluster.api.installGatewayApi();
    // Namespaces too: their labels decide which routes a listener's namespace selector admits.
    for (const kind of [...GATEWAY_KINDS, 'Namespace']) await cluster.api.waitForWatches(kind);
    // A check racing the installation can see one version before the other; the next check settles it.
    const installed = () => running.logs.findLast((line) => line['event'] === 'gateway-api');
    await expect.poll(() => installed()?.['kinds']).toEqual(['GatewayClass gateway.networking.k8s.io/v1', 'Gateway gateway.networking.k8s.io/v1', 'HTTPRoute gateway.networking.k8s.io/v1', 'ReferenceGrant gateway.networking.k8s.io/v1']);
    // Still serving, and a later Ingress change still reaches the edge.
    cluster.api.apply(ingress('b'));
    await expect.poll(() => hosts(running.publisher.last)).toEqual(['a.example.com', 'b.example.com']);
    expect(complaints(running)).toEqual([]);
  });

  it('CRDs deleted while running: the informers leave at once (a 404 triggers the check), Ingresses stay served, no error loop', async () => {
    cluster.api.installGatewayApi();
    // A discovery interval far longer than the test: only the 404 can make the agent notice.
    const running = await cluster.started({ gatewayDiscoveryMs: 60_000 });
    await cluster.api.waitForWatches('HTTPRoute');
    cluster.api.uninstallGatewayApi();
    await expect.poll(() => running.logs.find((line) => line['event'] === 'gateway-api')).toMatchObject({ installed: false });
    for (const kind of [...GATEWAY_KINDS, 'Namespace']) await expect.poll(() => cluster.api.activeWatches(kind)).toBe(0);
    const failedSoFar = complaints(running).length;
    cluster.api.apply(ingress('b'));
    await expect.poll(() => hosts(running.publisher.last)).toEqual(['a.example.com', 'b.example.com']);
    expect(running.agent.ready).toBe(true);
    // Only the Gateway API informers' ended watches and 404s before the check removed them, and nothing since.
    expect(complaints(running).length).toBe(failedSoFar);
    expect(complaints(running).filter((line) => !GATEWAY_KINDS.includes(String(line['informer']).split(' ')[0] ?? ''))).toEqual([]);
  });

  it('CRDs installed before the agent starts: watched from the first sync, no discovery change logged', async () => {
    cluster.api.installGatewayApi();
    const running = await cluster.started({ gatewayDiscoveryMs: DISCOVERY_MS });
    for (const kind of GATEWAY_KINDS) await cluster.api.waitForWatches(kind);
    expect(running.logs.find((line) => line['event'] === 'connected')).toMatchObject({ gatewayApi: true });
    await expect.poll(() => gatewayRequests().filter((request) => request.verb === undefined).length).toBeGreaterThanOrEqual(8);
    expect(running.logs.filter((line) => line['event'] === 'gateway-api')).toEqual([]);
    expect(complaints(running)).toEqual([]);
  });
});
