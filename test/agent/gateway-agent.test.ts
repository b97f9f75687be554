/**
 * The agent serving HTTPRoutes and writing Gateway API status, against the
 * test API server through client-node, with the real compiler: what a user
 * sees in the table and in `kubectl get -o yaml`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Table } from '../../src/table/schema.ts';
import type { StoredObject } from '../kube/store.ts';
import { GATEWAY_CONTROLLER, gateway, gatewayClass, httpRoute, parentsOf, reasons, referenceGrant } from './gateway-objects.ts';
import { hosts, makeAgent, RecordingPublisher, testCluster, type TestAgent } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  api.apply(ingress('a'));
});

function installGateway(listeners: Parameters<typeof gateway>[1] = [{}]): void {
  cluster.api.installGatewayApi();
  cluster.api.apply(gatewayClass('edgress'));
  cluster.api.apply(gateway('edge', listeners));
}

const route = (name: string, namespace = 'default') => cluster.api.object('HTTPRoute', namespace, name);
const ourParent = (name: string, namespace = 'default') => parentsOf(route(name, namespace))[0];
const routeReasons = (name: string, namespace = 'default') => reasons(ourParent(name, namespace)?.['conditions']);
const listeners = () => ((cluster.api.object('Gateway', 'default', 'edge')?.['status'] as { listeners?: Record<string, unknown>[] } | undefined)?.listeners ?? []);
const generationOf = (object: StoredObject | undefined) => object?.metadata['generation'];
/** Every condition's observedGeneration, as one list. */
const observed = (conditions: unknown) => (Array.isArray(conditions) ? conditions.map((condition: { observedGeneration?: number }) => condition.observedGeneration) : []);

function routersOf(table: Table | undefined, source: string) {
  return (table?.routers ?? []).filter((router) => router.source === source && router.origin === 'httproute');
}

describe('agent with HTTPRoutes', () => {
  it('serves HTTPRoutes beside the Ingresses in one table once the CRDs appear, and writes the status', async () => {
    const running = await cluster.started({ gatewayDiscoveryMs: 50 });
    expect(hosts(running.publisher.last)).toEqual(['a.example.com']);
    installGateway();
    cluster.api.apply(httpRoute('shop'));
    await expect.poll(() => hosts(running.publisher.last)).toEqual(['a.example.com', 'shop.example.com']);
    expect(routersOf(running.publisher.last, 'default/shop').map((router) => router.host)).toEqual(['shop.example.com']);
    await expect.poll(() => routeReasons('shop')).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });
    expect(ourParent('shop')?.['parentRef']).toEqual({ name: 'edge', namespace: 'default' });
    expect(reasons((cluster.api.object('GatewayClass', undefined, 'edgress')?.['status'] as { conditions?: unknown }).conditions)).toMatchObject({ Accepted: 'True/Accepted' });
    const gatewayStatus = cluster.api.object('Gateway', 'default', 'edge')?.['status'] as { conditions?: unknown };
    expect(reasons(gatewayStatus.conditions)).toMatchObject({ Accepted: 'True/Accepted', Programmed: 'True/Programmed' });
    await expect.poll(() => listeners()[0]).toMatchObject({ name: 'http', attachedRoutes: 1, supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }] });
    expect(running.logs.filter((line) => line['level'] === 'error')).toEqual([]);
  });

  it('writes status once: an unchanged cluster causes no further status writes (no write loop)', async () => {
    installGateway();
    cluster.api.apply(httpRoute('shop'));
    const running = await cluster.started();
    await expect.poll(() => routeReasons('shop')['Accepted']).toBe('True/Accepted');
    await expect.poll(() => listeners()[0]?.['attachedRoutes']).toBe(1);
    const writes = () => cluster.api.requests.filter((request) => request.verb === 'patch' && request.subresource === 'status').length;
    const settled = writes();
    // Several more cycles (an Ingress change each): the status they compute is the one stored.
    for (const name of ['b', 'c']) {
      cluster.api.apply(ingress(name));
      await expect.poll(() => hosts(running.publisher.last)).toContain(`${name}.example.com`);
    }
    expect(writes()).toBe(settled);
  });

  it('a listener that allows routes from its own namespace only: Accepted False NotAllowedByListeners, 0 attached, not served', async () => {
    installGateway([{ allowedRoutes: { namespaces: { from: 'Same' } } }]);
    cluster.api.apply(service('web', { namespace: 'apps' }));
    cluster.api.apply(httpRoute('elsewhere', { namespace: 'apps' }));
    const running = await cluster.started();
    await expect.poll(() => routeReasons('elsewhere', 'apps')['Accepted']).toBe('False/NotAllowedByListeners');
    expect(routersOf(running.publisher.last, 'apps/elsewhere')).toEqual([]);
    await expect.poll(() => listeners()[0]?.['attachedRoutes']).toBe(0);
  });

  // conformance/tests/httproute-invalid-cross-namespace-backend-ref.go (status part; the 500 is in the e2e conformance tests)
  it('a cross-namespace backendRef without a ReferenceGrant: ResolvedRefs False RefNotPermitted, still Accepted; a ReferenceGrant resolves it', async () => {
    installGateway([{ allowedRoutes: { namespaces: { from: 'All' } } }]);
    cluster.api.apply(httpRoute('cross', { namespace: 'apps', backendRefs: [{ name: 'web', namespace: 'default', port: 80 }] }));
    const running = await cluster.started();
    await expect.poll(() => routeReasons('cross', 'apps')).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted' });
    const [router] = routersOf(running.publisher.last, 'apps/cross');
    expect(router && running.publisher.last?.services[router.service]?.kind).toBe('status');
    cluster.api.apply(referenceGrant('apps-to-web', 'default', { namespace: 'apps' }, { name: 'web' }));
    await expect.poll(() => routeReasons('cross', 'apps')['ResolvedRefs']).toBe('True/ResolvedRefs');
    await expect.poll(() => running.publisher.last?.services[routersOf(running.publisher.last, 'apps/cross')[0]?.service ?? '']?.kind).toBe('servers');
  });

  // conformance/tests/httproute-invalid-nonexistent-backendref.go, httproute-invalid-backendref-unknown-kind.go (status parts)
  it('a missing Service: ResolvedRefs False BackendNotFound; a backendRef of an unknown kind: InvalidKind', async () => {
    installGateway();
    cluster.api.apply(httpRoute('missing', { backendRefs: [{ name: 'nope', port: 80 }] }));
    cluster.api.apply(httpRoute('unknown-kind', { backendRefs: [{ name: 'web', port: 80, group: 'unknown.example.com', kind: 'NonExistent' }] }));
    await cluster.started();
    await expect.poll(() => routeReasons('missing')).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'False/BackendNotFound' });
    await expect.poll(() => routeReasons('unknown-kind')).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'False/InvalidKind' });
  });

  // conformance/tests/httproute-invalid-parentref-not-matching-section-name.go
  it('a parentRef naming no listener: Accepted False NoMatchingParent, and the Gateway has 0 routes attached', async () => {
    installGateway();
    cluster.api.apply(httpRoute('lost', { parentRefs: [{ name: 'edge', namespace: 'default', port: 80, sectionName: 'http1' }] }));
    await cluster.started();
    await expect.poll(() => routeReasons('lost')['Accepted']).toBe('False/NoMatchingParent');
    await expect.poll(() => listeners()[0]?.['attachedRoutes']).toBe(0);
  });

  // conformance/tests/gateway-invalid-route-kind.go
  it('listeners allowing only an unknown route kind, or it and HTTPRoute: ResolvedRefs False InvalidRouteKinds, supportedKinds without / with HTTPRoute', async () => {
    installGateway([{ allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'InvalidRoute' }] } }]);
    cluster.api.apply({ ...gateway('mixed', [{ allowedRoutes: { namespaces: { from: 'All' }, kinds: [{ kind: 'InvalidRoute' }, { kind: 'HTTPRoute' }] } }]) });
    await cluster.started();
    await expect.poll(() => listeners()[0]).toMatchObject({ name: 'http', supportedKinds: [], attachedRoutes: 0 });
    expect(reasons(listeners()[0]?.['conditions'])['ResolvedRefs']).toBe('False/InvalidRouteKinds');
    const mixed = () => ((cluster.api.object('Gateway', 'default', 'mixed')?.['status'] as { listeners?: Record<string, unknown>[] } | undefined)?.listeners ?? [])[0];
    await expect.poll(mixed).toMatchObject({ name: 'http', supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], attachedRoutes: 0 });
    expect(reasons(mixed()?.['conditions'])['ResolvedRefs']).toBe('False/InvalidRouteKinds');
  });

  // conformance/tests/gatewayclass-observed-generation-bump.go, gateway-observed-generation-bump.go, httproute-observed-generation-bump.go
  it('observedGeneration follows each object’s generation after a spec change', async () => {
    installGateway();
    cluster.api.apply(service('web-v2'));
    cluster.api.apply(httpRoute('shop'));
    await cluster.started();
    const latest = (kind: string, namespace: string | undefined, name: string, conditions: (object: StoredObject | undefined) => unknown) => {
      const object = cluster.api.object(kind, namespace, name);
      const generations = observed(conditions(object));
      return generations.length > 0 && generations.every((generation) => generation === generationOf(object));
    };
    const classConditions = (object: StoredObject | undefined) => (object?.['status'] as { conditions?: unknown } | undefined)?.conditions;
    const routeConditions = (object: StoredObject | undefined) => parentsOf(object)[0]?.['conditions'];
    await expect.poll(() => latest('GatewayClass', undefined, 'edgress', classConditions)).toBe(true);
    await expect.poll(() => latest('Gateway', 'default', 'edge', classConditions)).toBe(true);
    await expect.poll(() => latest('HTTPRoute', 'default', 'shop', routeConditions)).toBe(true);
    cluster.api.apply(gatewayClass('edgress', GATEWAY_CONTROLLER, 'new'));
    cluster.api.apply(gateway('edge', [{}, { name: 'alternate', hostname: 'foo.com', allowedRoutes: { namespaces: { from: 'All' } } }]));
    cluster.api.apply(httpRoute('shop', { backendRefs: [{ name: 'web-v2', port: 80 }] }));
    for (const [kind, namespace, name] of [['GatewayClass', undefined, 'edgress'], ['Gateway', 'default', 'edge'], ['HTTPRoute', 'default', 'shop']] as const) {
      expect(generationOf(cluster.api.object(kind, namespace, name))).toBe(2);
    }
    await expect.poll(() => latest('GatewayClass', undefined, 'edgress', classConditions)).toBe(true);
    await expect.poll(() => latest('Gateway', 'default', 'edge', classConditions)).toBe(true);
    await expect.poll(() => latest('HTTPRoute', 'default', 'shop', routeConditions)).toBe(true);
    expect(reasons(routeConditions(route('shop')))).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });
    await expect.poll(() => listeners().map((listener) => listener['name'])).toEqual(['http', 'alternate']);
  });

  it('keeps the parents other controllers wrote on a route', async () => {
    installGateway();
    const theirs = { parentRef: { name: 'other-gateway' }, controllerName: 'example.com/other', conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: '', lastTransitionTime: '2020-01-01T00:00:00Z' }] };
    cluster.api.apply(httpRoute('shared', { parentRefs: [{ name: 'edge', namespace: 'default' }, { name: 'other-gateway' }], status: { parents: [theirs] } }));
    await cluster.started();
    await expect.poll(() => routeReasons('shared')['Accepted']).toBe('True/Accepted');
    expect(parentsOf(route('shared'), 'example.com/other')).toEqual([theirs]);
  });

  it('a diagnostic about an HTTPRoute becomes a Warning Event on it (an Ingress already routes the same host and path)', async () => {
    installGateway();
    cluster.api.apply(httpRoute('a', { hostnames: ['a.example.com'] }));
    await cluster.started();
    const onRoute = () => cluster.api.objects('Event').filter((event) => (event['involvedObject'] as { kind?: string }).kind === 'HTTPRoute');
    await expect.poll(() => onRoute().map((event) => event['reason'])).toEqual(['ShadowedRoute']);
    expect(onRoute()[0]?.['involvedObject']).toMatchObject({ kind: 'HTTPRoute', namespace: 'default', name: 'a', apiVersion: 'gateway.networking.k8s.io/v1', uid: route('a')?.metadata.uid });
  });

  it('a listener admitting namespaces by label selector reads the Namespace labels, and follows a relabel', async () => {
    installGateway([{ allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'store' } } } } }]);
    cluster.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'store', labels: { team: 'store' } } });
    cluster.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blog', labels: { team: 'blog' } } });
    cluster.api.apply(httpRoute('shop', { namespace: 'store' }));
    cluster.api.apply(httpRoute('posts', { namespace: 'blog' }));
    const running = await cluster.started();
    await expect.poll(() => routeReasons('shop', 'store')['Accepted']).toBe('True/Accepted');
    await expect.poll(() => routeReasons('posts', 'blog')['Accepted']).toBe('False/NotAllowedByListeners');
    expect(hosts(running.publisher.last)).toEqual(['a.example.com', 'shop.example.com']);
    cluster.api.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'blog', labels: { team: 'store' } } });
    await expect.poll(() => hosts(running.publisher.last)).toEqual(['a.example.com', 'posts.example.com', 'shop.example.com']);
    await expect.poll(() => routeReasons('posts', 'blog')['Accepted']).toBe('True/Accepted');
  });

  it('only the leader writes status: the follower neither writes nor tries to', async () => {
    installGateway();
    cluster.api.apply(httpRoute('shop'));
    const election = { namespace: 'default', name: 'edgress-sync', leaseDurationMs: 800, renewDeadlineMs: 500, retryPeriodMs: 100 };
    const replica = async (identity: string) => {
      const agent = makeAgent(cluster.api, { leaderElection: { ...election, identity } }, new RecordingPublisher(), await cluster.api.kubeconfigFor(identity));
      replicas.push(agent);
      agent.agent.start();
      return agent;
    };
    const leader = await replica('a');
    await expect.poll(() => leader.agent.leading).toBe(true);
    // Were the follower to write, its writes would fail and say so in its log.
    cluster.api.fail({ token: 'b', verb: 'patch', status: 403 });
    const follower = await replica('b');
    await expect.poll(() => follower.agent.ready).toBe(true);
    await expect.poll(() => routeReasons('shop')['Accepted']).toBe('True/Accepted');
    cluster.api.apply(httpRoute('later'));
    await expect.poll(() => routeReasons('later')['Accepted']).toBe('True/Accepted');
    expect(follower.agent.leading).toBe(false);
    const statusLines = (agent: TestAgent) => agent.logs.filter((line) => String(line['event']).startsWith('gateway-status'));
    expect(statusLines(leader).length).toBeGreaterThan(0);
    expect(statusLines(follower)).toEqual([]);
  });

  it('CRDs installed but not readable (RBAC without the Gateway API rules): Ingresses stay served, one warning, routes served once readable', async () => {
    const running = await cluster.started({ gatewayDiscoveryMs: 50 });
    const forbid = cluster.api.fail({ kind: 'HTTPRoute', verb: 'list', status: 403 });
    installGateway();
    cluster.api.apply(httpRoute('shop'));
    await expect.poll(() => running.logs.filter((line) => line['event'] === 'gateway-api-list-failed').length).toBe(1);
    cluster.api.apply(ingress('b'));
    await expect.poll(() => hosts(running.publisher.last)).toEqual(['a.example.com', 'b.example.com']);
    expect(running.logs.filter((line) => line['event'] === 'publish-held')).toEqual([]);
    forbid();
    await expect.poll(() => hosts(running.publisher.last)).toEqual(['a.example.com', 'b.example.com', 'shop.example.com']);
    expect(running.logs.filter((line) => line['event'] === 'gateway-api-list-failed')).toHaveLength(1);
  });
});

const replicas: TestAgent[] = [];
afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.agent.stop()));
});
