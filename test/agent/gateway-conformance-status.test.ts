/**
 * Status-only tests of the Gateway API conformance suite, transcribed
 * (kubernetes-sigs/gateway-api, conformance/tests/*.go, each cited), run
 * against the agent and the test API server with the suite's names: the
 * `same-namespace` Gateway of conformance/base/manifests.yaml (one HTTP
 * listener, routes from its own namespace) in gateway-conformance-infra,
 * backends in gateway-conformance-app-backend and -web-backend. The request
 * halves of these tests (the 500s) are in the e2e conformance tests.
 */
import { describe, expect, it } from 'vitest';
import type { Table } from '../../src/table/schema.ts';
import { gateway, gatewayClass, httpRoute, parentsOf, reasons, referenceGrant } from './gateway-objects.ts';
import { testCluster } from './harness.ts';
import { endpointSlice, service } from './objects.ts';

const INFRA = 'gateway-conformance-infra';
const APP = 'gateway-conformance-app-backend';
const WEB = 'gateway-conformance-web-backend';

const cluster = testCluster((api) => {
  api.installGatewayApi();
  api.apply(gatewayClass('gateway-conformance'));
  api.apply(gateway('same-namespace', [{ name: 'http', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }], { namespace: INFRA, className: 'gateway-conformance' }));
  for (const [name, namespace] of [['infra-backend-v1', INFRA], ['app-backend-v1', APP], ['app-backend-v2', APP], ['web-backend', WEB]] as const) {
    api.apply(service(name, { namespace, port: 8080 }));
    api.apply(endpointSlice(name, ['10.0.0.1'], { namespace }));
  }
});

const PARENT = [{ name: 'same-namespace', namespace: INFRA }];
const ourParents = (name: string, namespace = INFRA) => parentsOf(cluster.api.object('HTTPRoute', namespace, name));
const conditions = (name: string, namespace = INFRA) => reasons(ourParents(name, namespace)[0]?.['conditions']);
const attached = () => ((cluster.api.object('Gateway', INFRA, 'same-namespace')?.['status'] as { listeners?: { attachedRoutes: number }[] } | undefined)?.listeners ?? [])[0]?.attachedRoutes;
/** The kind of service each path prefix of a route is sent to. */
function serviceKinds(table: Table | undefined, source: string): Record<string, string | undefined> {
  const routers = (table?.routers ?? []).filter((router) => router.source === source);
  return Object.fromEntries(routers.map((router) => ['path' in router.match ? router.match.path : '*', table?.services[router.service]?.kind]));
}

describe('Gateway API conformance: status', () => {
  // conformance/tests/httproute-invalid-cross-namespace-parent-ref.go
  it('HTTPRouteInvalidCrossNamespaceParentRef: Accepted False NotAllowedByListeners, ResolvedRefs True, no accepted parent, 0 routes attached', async () => {
    cluster.api.apply(httpRoute('invalid-cross-namespace-parent-ref', { namespace: WEB, parentRefs: PARENT, hostnames: [], backendRefs: [{ name: 'web-backend', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => conditions('invalid-cross-namespace-parent-ref', WEB)).toEqual({ Accepted: 'False/NotAllowedByListeners', ResolvedRefs: 'True/ResolvedRefs' });
    // "Route should not have Parents accepted in status".
    expect(ourParents('invalid-cross-namespace-parent-ref', WEB).filter((parent) => reasons(parent['conditions'])['Accepted']?.startsWith('True'))).toEqual([]);
    await expect.poll(attached).toBe(0);
  });

  // conformance/tests/httproute-invalid-parentref-not-matching-listener-port.go
  it('HTTPRouteInvalidParentRefNotMatchingListenerPort: port 81 matches no listener, Accepted False NoMatchingParent, 0 routes attached', async () => {
    cluster.api.apply(httpRoute('httproute-listener-not-matching-route-port', { namespace: INFRA, parentRefs: [{ ...PARENT[0], port: 81 }], hostnames: [], backendRefs: [{ name: 'infra-backend-v1', kind: 'Service', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => conditions('httproute-listener-not-matching-route-port')['Accepted']).toBe('False/NoMatchingParent');
    await expect.poll(attached).toBe(0);
  });

  // conformance/tests/httproute-invalid-reference-grant.go
  it('HTTPRouteInvalidReferenceGrant: none of the near-miss ReferenceGrants permits the Service; Accepted, ResolvedRefs False RefNotPermitted', async () => {
    const from = { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: INFRA };
    const to = { group: '', kind: 'Service', name: 'web-backend' };
    const grant = (name: string, namespace: string, fromPatch: object, toPatch: object) => ({
      ...referenceGrant(name, namespace, { namespace: INFRA }),
      spec: { from: [{ ...from, ...fromPatch }], to: [{ ...to, ...toPatch }] },
    });
    cluster.api.apply(grant('reference-grant-wrong-namespace', INFRA, {}, {}));
    cluster.api.apply(grant('reference-grant-wrong-from-group', WEB, { group: 'not-the-group-youre-looking-for' }, {}));
    cluster.api.apply(grant('reference-grant-wrong-from-kind', WEB, { kind: 'Gateway' }, {}));
    cluster.api.apply(grant('reference-grant-wrong-from-namespace', WEB, { namespace: 'not-the-namespace-youre-looking-for' }, {}));
    cluster.api.apply(grant('reference-grant-wrong-to-group', WEB, {}, { group: 'not-the-group-youre-looking-for' }));
    cluster.api.apply(grant('reference-grant-wrong-to-kind', WEB, {}, { kind: 'Secret' }));
    cluster.api.apply(grant('reference-grant-wrong-to-name', WEB, {}, { kind: 'Secret', name: 'not-the-service-youre-looking-for' }));
    cluster.api.apply(httpRoute('reference-grant', { namespace: INFRA, parentRefs: [{ name: 'same-namespace' }], hostnames: [], backendRefs: [{ name: 'web-backend', namespace: WEB, port: 8080 }] }));
    const running = await cluster.started();
    await expect.poll(() => conditions('reference-grant')).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted' });
    // "Simple HTTP request not should reach web-backend": the route's only backend answers 500 at the edge.
    expect(serviceKinds(running.publisher.last, `${INFRA}/reference-grant`)).toEqual({ '/': 'status' });
  });

  // conformance/tests/httproute-partially-invalid-via-invalid-reference-grant.go
  it('HTTPRoutePartiallyInvalidViaInvalidReferenceGrant: /v2 to an ungranted Service is RefNotPermitted (500), the granted sibling rule is served', async () => {
    cluster.api.apply({ ...referenceGrant('invalid-reference-grant', APP, { namespace: INFRA }, { name: 'app-backend-v1' }) });
    const route = httpRoute('invalid-reference-grant', { namespace: INFRA, parentRefs: [{ name: 'same-namespace' }], hostnames: [] });
    route['spec'] = {
      parentRefs: [{ name: 'same-namespace' }],
      rules: [
        { matches: [{ path: { type: 'PathPrefix', value: '/v2' } }], backendRefs: [{ name: 'app-backend-v2', namespace: APP, port: 8080 }] },
        { backendRefs: [{ name: 'app-backend-v1', namespace: APP, port: 8080 }] },
      ],
    };
    cluster.api.apply(route);
    const running = await cluster.started();
    await expect.poll(() => conditions('invalid-reference-grant')).toMatchObject({ Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted' });
    expect(serviceKinds(running.publisher.last, `${INFRA}/invalid-reference-grant`)).toEqual({ '/v2': 'status', '/': 'servers' });
    await expect.poll(attached).toBe(1);
  });

  // conformance/tests/gateway-with-attached-routes.go (GatewayWithAttachedRoutes)
  it('GatewayWithAttachedRoutes: 1 and 2 routes attached, a route outside the listener hostname not accepted, attachedRoutes counted on a listener with unresolved refs', async () => {
    const selector = { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': INFRA } } }, kinds: [{ kind: 'HTTPRoute' }] };
    const options = { namespace: INFRA, className: 'gateway-conformance' };
    cluster.api.apply(gateway('gateway-with-one-attached-route', [{ name: 'http', allowedRoutes: selector }], options));
    cluster.api.apply(gateway('gateway-with-two-attached-routes', [{ name: 'http', hostname: 'foo.example.com', allowedRoutes: selector }], options));
    const unresolved = gateway('unresolved-gateway-with-one-attached-unresolved-route', [{ name: 'tls', protocol: 'HTTPS', port: 443, allowedRoutes: selector }], options);
    (unresolved['spec'] as { listeners: Record<string, unknown>[] }).listeners[0]!['tls'] = { certificateRefs: [{ group: '', kind: 'Secret', name: 'does-not-exist' }], mode: 'Terminate' };
    cluster.api.apply(unresolved);
    const to = (name: string, extra: object = {}) => [{ kind: 'Gateway', name, namespace: INFRA, ...extra }];
    const backend = [{ name: 'infra-backend-v1', port: 8080 }];
    cluster.api.apply(httpRoute('http-route-1', { namespace: INFRA, parentRefs: to('gateway-with-one-attached-route'), hostnames: [], backendRefs: backend }));
    cluster.api.apply(httpRoute('http-route-2', { namespace: INFRA, parentRefs: to('gateway-with-two-attached-routes'), hostnames: [], backendRefs: backend }));
    cluster.api.apply(httpRoute('http-route-3', { namespace: INFRA, parentRefs: to('gateway-with-two-attached-routes'), hostnames: [], backendRefs: backend }));
    cluster.api.apply(httpRoute('http-route-not-accepted', { namespace: INFRA, parentRefs: to('gateway-with-two-attached-routes'), hostnames: ['not-accepted.test.com'], backendRefs: backend }));
    cluster.api.apply(httpRoute('http-route-4', { namespace: INFRA, parentRefs: to('unresolved-gateway-with-one-attached-unresolved-route', { sectionName: 'tls' }), hostnames: [], backendRefs: [{ name: 'does-not-exist', port: 8080 }] }));
    await cluster.started();
    const listenerOf = (name: string) => ((cluster.api.object('Gateway', INFRA, name)?.['status'] as { listeners?: Record<string, unknown>[] } | undefined)?.listeners ?? [])[0];
    const httpRouteKind = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }];
    await expect.poll(() => listenerOf('gateway-with-one-attached-route')).toMatchObject({ name: 'http', supportedKinds: httpRouteKind, attachedRoutes: 1 });
    expect(reasons(listenerOf('gateway-with-one-attached-route')?.['conditions'])).toMatchObject({ Accepted: expect.stringMatching(/^True\//), ResolvedRefs: expect.stringMatching(/^True\//) });
    await expect.poll(() => listenerOf('gateway-with-two-attached-routes')).toMatchObject({ name: 'http', supportedKinds: httpRouteKind, attachedRoutes: 2 });
    expect(reasons(listenerOf('gateway-with-two-attached-routes')?.['conditions'])).toMatchObject({ Accepted: expect.stringMatching(/^True\//), ResolvedRefs: expect.stringMatching(/^True\//) });
    await expect.poll(() => conditions('http-route-not-accepted')['Accepted']).toBe('False/NoMatchingListenerHostname');
    await expect.poll(() => listenerOf('unresolved-gateway-with-one-attached-unresolved-route')).toMatchObject({ name: 'tls', supportedKinds: httpRouteKind, attachedRoutes: 1 });
    expect(reasons(listenerOf('unresolved-gateway-with-one-attached-unresolved-route')?.['conditions'])).toMatchObject({ Programmed: expect.stringMatching(/^False\//), ResolvedRefs: expect.stringMatching(/^False\//) });
    await expect.poll(() => conditions('http-route-4')['ResolvedRefs']).toMatch(/^False\//);
  });

  // conformance/tests/gateway-invalid-listeners-unsupported-protocol.go
  it('GatewayInvalidListenersUnsupportedProtocol: no valid listener, Accepted False ListenersNotValid; one valid, Accepted True ListenersNotValid; the invalid listener UnsupportedProtocol', async () => {
    const options = { namespace: INFRA, className: 'gateway-conformance' };
    cluster.api.apply(gateway('gateway-only-unsupported-protocols', [{ name: 'invalid', port: 1111, protocol: 'INVALID' }], options));
    cluster.api.apply(gateway('gateway-supported-and-unsupported-protocols', [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'invalid', port: 1111, protocol: 'INVALID' }], options));
    await cluster.started();
    const statusOf = (name: string) => cluster.api.object('Gateway', INFRA, name)?.['status'] as { conditions?: unknown; listeners?: Record<string, unknown>[] } | undefined;
    await expect.poll(() => reasons(statusOf('gateway-only-unsupported-protocols')?.conditions)['Accepted']).toBe('False/ListenersNotValid');
    expect(statusOf('gateway-only-unsupported-protocols')?.listeners).toEqual([expect.objectContaining({ name: 'invalid', supportedKinds: [], attachedRoutes: 0 })]);
    expect(reasons(statusOf('gateway-only-unsupported-protocols')?.listeners?.[0]?.['conditions'])['Accepted']).toBe('False/UnsupportedProtocol');
    await expect.poll(() => reasons(statusOf('gateway-supported-and-unsupported-protocols')?.conditions)['Accepted']).toBe('True/ListenersNotValid');
    const [http, invalid] = statusOf('gateway-supported-and-unsupported-protocols')?.listeners ?? [];
    expect(http).toMatchObject({ name: 'http', supportedKinds: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }], attachedRoutes: 0 });
    expect(reasons(http?.['conditions'])['Accepted']).toBe('True/Accepted');
    expect(invalid).toMatchObject({ name: 'invalid', attachedRoutes: 0 });
    expect(reasons(invalid?.['conditions'])['Accepted']).toBe('False/UnsupportedProtocol');
  });
});
