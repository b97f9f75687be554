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
import type { StoredObject } from '../kube/store.ts';
import { gateway, gatewayClass, httpRoute, type ListenerSpec, parentsOf, reasons, referenceGrant } from './gateway-objects.ts';
import { testCluster } from './harness.ts';
import { endpointSlice, service } from './objects.ts';

const INFRA = 'gateway-conformance-infra';
const APP = 'gateway-conformance-app-backend';
const WEB = 'gateway-conformance-web-backend';

const cluster = testCluster((api) => {
  api.installGatewayApi();
  api.apply(gatewayClass('gateway-conformance'));
  api.apply(gateway('same-namespace', [{ name: 'http', port: 80, allowedRoutes: { namespaces: { from: 'Same' } } }], { namespace: INFRA, className: 'gateway-conformance' }));
  for (const [name, namespace] of [['infra-backend-v1', INFRA], ['infra-backend-v2', INFRA], ['app-backend-v1', APP], ['app-backend-v2', APP], ['web-backend', WEB]] as const) {
    api.apply(service(name, { namespace, port: 8080 }));
    api.apply(endpointSlice(name, ['10.0.0.1'], { namespace }));
  }
  // The suite creates these two self-signed certificate Secrets before its tests (conformance/utils/suite).
  api.apply(tlsSecret('tls-validity-checks-certificate', INFRA));
  api.apply(tlsSecret('certificate', WEB));
});

/** A `kubernetes.io/tls` Secret holding a PEM certificate and key (edgress checks their shape; TLS ends at the edge). */
function tlsSecret(name: string, namespace: string): StoredObject {
  const pem = (label: string) => Buffer.from(`-----BEGIN ${label}-----\nTUlJQnRlc3Q=\n-----END ${label}-----\n`).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', data: { 'tls.crt': pem('CERTIFICATE'), 'tls.key': pem('PRIVATE KEY') } };
}

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
    const tls = { certificateRefs: [{ group: '', kind: 'Secret', name: 'does-not-exist' }], mode: 'Terminate' };
    cluster.api.apply(gateway('unresolved-gateway-with-one-attached-unresolved-route', [{ name: 'tls', protocol: 'HTTPS', port: 443, allowedRoutes: selector, tls }], options));
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
  it('GatewayListenerUnsupportedProtocol: no valid listener, Accepted False ListenersNotValid; one valid, Accepted True ListenersNotValid; the invalid listener UnsupportedProtocol', async () => {
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

const OURS = { namespace: INFRA, className: 'gateway-conformance' };
const HTTP_ROUTE_KINDS = [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }];
/** A condition the suite expects True with "any reason". */
const TRUE = expect.stringMatching(/^True\//);
const gatewayStatus = (name: string) => cluster.api.object('Gateway', INFRA, name)?.['status'] as { conditions?: unknown; listeners?: Record<string, unknown>[] } | undefined;
/** A Gateway's listeners as the suite's GatewayStatusMustHaveListeners compares them (conditions as type → status/reason). */
const listenersOf = (name: string) =>
  (gatewayStatus(name)?.listeners ?? []).map((listener) => ({
    name: listener['name'],
    supportedKinds: listener['supportedKinds'],
    attachedRoutes: listener['attachedRoutes'],
    conditions: reasons(listener['conditions']),
  }));
/** The suite's GatewayMustHaveZeroRoutes: no listener counts an attached route. */
const zeroRoutes = (name: string) => (gatewayStatus(name)?.listeners ?? []).every((listener) => listener['attachedRoutes'] === 0);
/** Every condition observed the object's current generation (the suite's *MustHaveLatestConditions). */
function latest(object: StoredObject | undefined, conditions: unknown): boolean {
  const list = Array.isArray(conditions) ? (conditions as { observedGeneration?: number }[]) : [];
  return list.length > 0 && list.every((condition) => condition.observedGeneration === object?.metadata['generation']);
}
const gatewayLatest = (name: string) => latest(cluster.api.object('Gateway', INFRA, name), gatewayStatus(name)?.conditions);
function routeLatest(name: string): boolean {
  const object = cluster.api.object('HTTPRoute', INFRA, name);
  const parents = parentsOf(object);
  return parents.length > 0 && parents.every((parent) => latest(object, parent['conditions']));
}
const generation = (kind: string, name: string) => cluster.api.object(kind, INFRA, name)?.metadata['generation'];
/** The suite's HTTPRouteMustHaveNoAcceptedParents: no parent at all, or one, not accepted, with conditions of the latest generation. */
function noAcceptedParents(name: string): boolean {
  const object = cluster.api.object('HTTPRoute', INFRA, name);
  const parents = ((object?.['status'] as { parents?: Record<string, unknown>[] } | undefined)?.parents ?? []);
  if (parents.length === 0) return true;
  return parents.length === 1 && latest(object, parents[0]?.['conditions']) && (reasons(parents[0]?.['conditions'])['Accepted'] ?? '').startsWith('False/');
}
const secretRef = (name: string, extra: object = {}) => ({ group: '', kind: 'Secret', name, ...extra });
const httpsListener = (certificateRef: object, extra: Partial<ListenerSpec> = {}): ListenerSpec => ({
  name: 'https', port: 443, protocol: 'HTTPS', allowedRoutes: { namespaces: { from: 'All' } }, tls: { certificateRefs: [certificateRef] }, ...extra,
});
const httpFromAll = (name: string, port: number, hostname?: string): ListenerSpec => ({ name, port, protocol: 'HTTP', ...(hostname ? { hostname } : {}), allowedRoutes: { kinds: [{ kind: 'HTTPRoute' }], namespaces: { from: 'All' } } });
function grant(name: string, namespace: string, from: object, to: object): StoredObject {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'ReferenceGrant', metadata: { name, namespace }, spec: { from: [from], to: [to] } };
}
const fromGateway = { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: INFRA };
const https443 = (conditions: Record<string, unknown>, attachedRoutes = 0) => ({ name: 'https', supportedKinds: HTTP_ROUTE_KINDS, attachedRoutes, conditions });

describe('Gateway API conformance: status (listeners, certificates, generations)', () => {
  // conformance/tests/httproute-invalid-parentref-section-name-not-matching-port.go (+ .yaml)
  it('HTTPRouteInvalidParentRefSectionNameNotMatchingPort: sectionName http with port 81, Accepted False NoMatchingParent, no accepted parent, 0 routes attached', async () => {
    const gw = 'gateway-with-one-not-matching-port-and-section-name-route';
    cluster.api.apply(gateway(gw, [httpFromAll('http', 80)], OURS));
    const parentRefs = [{ name: gw, namespace: INFRA, sectionName: 'http', port: 81 }];
    cluster.api.apply(httpRoute('httproute-listener-section-name-not-matching-port', { namespace: INFRA, parentRefs, hostnames: [], backendRefs: [{ name: 'infra-backend-v1', kind: 'Service', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => conditions('httproute-listener-section-name-not-matching-port')['Accepted']).toBe('False/NoMatchingParent');
    expect(noAcceptedParents('httproute-listener-section-name-not-matching-port')).toBe(true);
    await expect.poll(() => listenersOf(gw)).toMatchObject([{ name: 'http' }]);
    expect(zeroRoutes(gw)).toBe(true);
  });

  // conformance/tests/httproute-disallowed-kind.go (+ .yaml)
  it('HTTPRouteDisallowedKind: a Gateway whose only listener takes TLSRoutes; ResolvedRefs True, Accepted False NotAllowedByListeners, 0 routes attached', async () => {
    const tls: ListenerSpec = { name: 'tls', port: 443, protocol: 'TLS', tls: { mode: 'Passthrough' }, allowedRoutes: { namespaces: { from: 'Same' }, kinds: [{ kind: 'TLSRoute' }] } };
    cluster.api.apply(gateway('tlsroutes-only', [tls], OURS));
    cluster.api.apply(httpRoute('disallowed-kind', { namespace: INFRA, parentRefs: [{ name: 'tlsroutes-only', namespace: INFRA }], hostnames: [], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => conditions('disallowed-kind')).toEqual({ Accepted: 'False/NotAllowedByListeners', ResolvedRefs: 'True/ResolvedRefs' });
    expect(noAcceptedParents('disallowed-kind')).toBe(true);
    await expect.poll(() => listenersOf('tlsroutes-only')).toMatchObject([{ name: 'tls', attachedRoutes: 0 }]);
    expect(zeroRoutes('tlsroutes-only')).toBe(true);
  });

  // conformance/tests/httproute-observed-generation-bump.go (+ .yaml)
  it('HTTPRouteObservedGenerationBump: after the backend changes, Accepted and ResolvedRefs True and every condition observes the new generation', async () => {
    cluster.api.apply(httpRoute('observed-generation-bump', { namespace: INFRA, parentRefs: [{ name: 'same-namespace' }], hostnames: [], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => routeLatest('observed-generation-bump')).toBe(true);
    const before = generation('HTTPRoute', 'observed-generation-bump');
    cluster.api.apply(httpRoute('observed-generation-bump', { namespace: INFRA, parentRefs: [{ name: 'same-namespace' }], hostnames: [], backendRefs: [{ name: 'infra-backend-v2', port: 8080 }] }));
    expect(generation('HTTPRoute', 'observed-generation-bump')).not.toBe(before);
    await expect.poll(() => routeLatest('observed-generation-bump')).toBe(true);
    expect(conditions('observed-generation-bump')).toEqual({ Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' });
  });

  // conformance/tests/gateway-observed-generation-bump.go (+ .yaml)
  it('GatewayObservedGenerationBump: adding the listener "alternate" bumps the generation, and every Gateway condition observes it', async () => {
    const gw = 'gateway-observed-generation-bump';
    cluster.api.apply(gateway(gw, [httpFromAll('http', 80, 'bar.com')], OURS));
    await cluster.started();
    await expect.poll(() => gatewayLatest(gw)).toBe(true);
    const before = generation('Gateway', gw);
    cluster.api.apply(gateway(gw, [httpFromAll('http', 80, 'bar.com'), httpFromAll('alternate', 80, 'foo.com')], OURS));
    expect(generation('Gateway', gw)).not.toBe(before);
    await expect.poll(() => gatewayLatest(gw)).toBe(true);
  });

  // conformance/tests/gateway-invalid-tls-configuration.go (+ .yaml)
  it('GatewayInvalidTLSConfiguration: a missing Secret, a wrong group, a wrong kind, a malformed Secret: ResolvedRefs False InvalidCertificateRef, 0 routes', async () => {
    const cases = {
      'gateway-certificate-nonexistent-secret': secretRef('nonexistent-certificate'),
      'gateway-certificate-unsupported-group': { group: 'wrong.group.company.io', kind: 'Secret', name: 'tls-validity-checks-certificate' },
      'gateway-certificate-unsupported-kind': { group: '', kind: 'WrongKind', name: 'tls-validity-checks-certificate' },
      'gateway-certificate-malformed-secret': secretRef('malformed-certificate'),
    };
    for (const [name, ref] of Object.entries(cases)) cluster.api.apply(gateway(name, [httpsListener(ref)], OURS));
    // "an invalid pem (base64 of "Hello world"), and the certificate and the key are identical"
    cluster.api.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'malformed-certificate', namespace: INFRA }, type: 'kubernetes.io/tls', data: { 'tls.crt': 'SGVsbG8gd29ybGQK', 'tls.key': 'SGVsbG8gd29ybGQK' } });
    await cluster.started();
    for (const name of Object.keys(cases)) {
      await expect.poll(() => listenersOf(name), { message: name }).toMatchObject([https443({ ResolvedRefs: 'False/InvalidCertificateRef' })]);
    }
  });

  // conformance/tests/gateway-invalid-parameters-ref.go (+ .yaml)
  it('GatewayInvalidParametersRef: spec.infrastructure.parametersRef to an unknown kind, Accepted False InvalidParameters, conditions of the latest generation', async () => {
    const object = gateway('gateway-invalid-parameters-ref', [{ name: 'http', port: 80, protocol: 'HTTP' }], OURS);
    (object['spec'] as Record<string, unknown>)['infrastructure'] = { parametersRef: { group: 'invalid.io', kind: 'InvalidParameters', name: 'invalid' } };
    cluster.api.apply(object);
    await cluster.started();
    await expect.poll(() => gatewayLatest('gateway-invalid-parameters-ref')).toBe(true);
    expect(reasons(gatewayStatus('gateway-invalid-parameters-ref')?.conditions)['Accepted']).toBe('False/InvalidParameters');
  });

  // conformance/tests/gateway-secret-invalid-reference-grant.go (+ .yaml)
  it('GatewaySecretInvalidReferenceGrant: none of the near-miss ReferenceGrants permits the Secret; ResolvedRefs False RefNotPermitted', async () => {
    const gw = 'gateway-secret-invalid-reference-grant';
    cluster.api.apply(gateway(gw, [httpsListener(secretRef('certificate', { namespace: WEB }))], OURS));
    const to = { group: '', kind: 'Secret', name: 'certificate' };
    cluster.api.apply(grant('reference-grant-wrong-namespace', APP, fromGateway, to));
    cluster.api.apply(grant('reference-grant-wrong-from-group', WEB, { ...fromGateway, group: 'not-the-group-youre-looking-for' }, to));
    cluster.api.apply(grant('reference-grant-wrong-from-kind', WEB, { ...fromGateway, kind: 'HTTPRoute' }, to));
    cluster.api.apply(grant('reference-grant-wrong-from-namespace', WEB, { ...fromGateway, namespace: 'not-the-namespace-youre-looking-for' }, to));
    cluster.api.apply(grant('reference-grant-wrong-to-group', WEB, fromGateway, { group: 'not-the-group-youre-looking-for', kind: 'Secret', name: 'not-the-certificate-youre-looking-for' }));
    cluster.api.apply(grant('reference-grant-wrong-to-kind', WEB, fromGateway, { ...to, kind: 'Service' }));
    cluster.api.apply(grant('reference-grant-wrong-to-name', WEB, fromGateway, { ...to, name: 'not-the-certificate-youre-looking-for' }));
    await cluster.started();
    await expect.poll(() => listenersOf(gw)).toMatchObject([https443({ ResolvedRefs: 'False/RefNotPermitted' })]);
  });

  // conformance/tests/gateway-secret-missing-reference-grant.go (+ .yaml)
  it('GatewaySecretMissingReferenceGrant: a Secret in another namespace without a ReferenceGrant, ResolvedRefs False RefNotPermitted', async () => {
    const gw = 'gateway-secret-missing-reference-grant';
    cluster.api.apply(gateway(gw, [httpsListener(secretRef('certificate', { namespace: WEB }))], OURS));
    await cluster.started();
    await expect.poll(() => listenersOf(gw)).toMatchObject([https443({ ResolvedRefs: 'False/RefNotPermitted' })]);
  });

  // conformance/tests/gateway-secret-reference-grant-all-in-namespace.go (+ .yaml), gateway-secret-reference-grant-specific.go (+ .yaml)
  it.each([
    ['GatewaySecretReferenceGrantAllInNamespace', 'gateway-secret-reference-grant-all-in-namespace', 'reference-grant-all-in-namespace', { group: '', kind: 'Secret' }],
    ['GatewaySecretReferenceGrantSpecific', 'gateway-secret-reference-grant-specific', 'reference-grant-specific', { group: '', kind: 'Secret', name: 'certificate' }],
  ])('%s: the ReferenceGrant permits the Secret; Programmed True Programmed, ResolvedRefs True', async (_test, gw, grantName, to) => {
    cluster.api.apply(gateway(gw, [httpsListener(secretRef('certificate', { namespace: WEB }))], OURS));
    cluster.api.apply(grant(grantName, WEB, fromGateway, to));
    await cluster.started();
    await expect.poll(() => listenersOf(gw)).toMatchObject([https443({ Programmed: 'True/Programmed', ResolvedRefs: TRUE })]);
  });

  // conformance/tests/gateway-with-attached-routes.go (GatewayWithAttachedRoutesWithPort8080), gateway-with-attached-routes-with-port-8080.yaml
  it('GatewayWithAttachedRoutesWithPort8080: the route names listener http by sectionName; http has 1 route, http-unattached (8080) 0, both accepted', async () => {
    const gw = 'gateway-with-two-listeners-and-one-attached-route';
    cluster.api.apply(gateway(gw, [httpFromAll('http-unattached', 8080), httpFromAll('http', 80)], OURS));
    cluster.api.apply(httpRoute('http-route-4-port-8080', { namespace: INFRA, parentRefs: [{ kind: 'Gateway', name: gw, namespace: INFRA, sectionName: 'http' }], hostnames: [], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }));
    await cluster.started();
    const listener = (name: string, attachedRoutes: number) => ({ name, supportedKinds: HTTP_ROUTE_KINDS, attachedRoutes, conditions: { Accepted: TRUE, ResolvedRefs: TRUE } });
    await expect.poll(() => listenersOf(gw)).toMatchObject([listener('http-unattached', 0), listener('http', 1)]);
  });

  // conformance/tests/gateway-modify-listeners.go (+ .yaml): "should be able to add a listener"
  it('GatewayModifyListeners (add): a listener added to the Gateway gets the route too; both listeners 1 route, Accepted and ResolvedRefs True', async () => {
    const gw = 'gateway-add-listener';
    const secure = httpsListener(secretRef('tls-validity-checks-certificate', { namespace: INFRA }), { hostname: 'secure.test.com' });
    cluster.api.apply(gateway(gw, [secure], OURS));
    cluster.api.apply(httpRoute('http-route-1', { namespace: INFRA, parentRefs: [{ kind: 'Gateway', name: gw, namespace: INFRA }], hostnames: [], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => gatewayLatest(gw)).toBe(true);
    const before = generation('Gateway', gw);
    cluster.api.apply(gateway(gw, [secure, { name: 'http', port: 80, protocol: 'HTTP', hostname: 'data.test.com', allowedRoutes: { namespaces: { from: 'All' } } }], OURS));
    const ok = { Accepted: TRUE, ResolvedRefs: TRUE };
    await expect.poll(() => listenersOf(gw)).toMatchObject([https443(ok, 1), { name: 'http', supportedKinds: HTTP_ROUTE_KINDS, attachedRoutes: 1, conditions: ok }]);
    await expect.poll(() => gatewayLatest(gw)).toBe(true);
    expect(generation('Gateway', gw)).not.toBe(before);
  });

  // conformance/tests/gateway-modify-listeners.go (+ .yaml): "should be able to remove listeners"
  it('GatewayModifyListeners (remove): removing the https listener leaves http alone in the status, with its 1 route', async () => {
    const gw = 'gateway-remove-listener';
    const secure = httpsListener(secretRef('tls-validity-checks-certificate', { namespace: INFRA }), { hostname: 'secure.test.com' });
    const http: ListenerSpec = { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } };
    cluster.api.apply(gateway(gw, [secure, http], OURS));
    cluster.api.apply(httpRoute('http-route-2', { namespace: INFRA, parentRefs: [{ kind: 'Gateway', name: gw, namespace: INFRA }], hostnames: [], backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }));
    await cluster.started();
    await expect.poll(() => gatewayLatest(gw)).toBe(true);
    await expect.poll(() => listenersOf(gw).map((listener) => listener.attachedRoutes)).toEqual([1, 1]);
    const before = generation('Gateway', gw);
    cluster.api.apply(gateway(gw, [http], OURS));
    await expect.poll(() => listenersOf(gw)).toMatchObject([{ name: 'http', supportedKinds: HTTP_ROUTE_KINDS, attachedRoutes: 1, conditions: { Accepted: TRUE, ResolvedRefs: TRUE } }]);
    await expect.poll(() => gatewayLatest(gw)).toBe(true);
    expect(generation('Gateway', gw)).not.toBe(before);
  });

  // conformance/tests/httproute-hostname-intersection.go (+ .yaml): the status half; its requests are in the e2e conformance tests
  it('HTTPRouteHostnameIntersection (status): no-intersecting-hosts Accepted False NoMatchingListenerHostname; listeners count only accepted routes (2, 1, 1)', async () => {
    const gw = 'httproute-hostname-intersection';
    const same = { namespaces: { from: 'Same' } };
    const hosts = { 'listener-1': 'very.specific.com', 'listener-2': '*.wildcard.io', 'listener-3': '*.anotherwildcard.io' };
    cluster.api.apply(gateway(gw, Object.entries(hosts).map(([name, hostname]) => ({ name, port: 80, protocol: 'HTTP', hostname, allowedRoutes: same })), OURS));
    const routes: Record<string, string[]> = {
      'specific-host-matches-listener-specific-host': ['non.matching.com', '*.nonmatchingwildcard.io', 'very.specific.com'],
      'specific-host-matches-listener-wildcard-host': ['non.matching.com', 'wildcard.io', 'foo.wildcard.io', 'bar.wildcard.io', 'foo.bar.wildcard.io'],
      'wildcard-host-matches-listener-specific-host': ['non.matching.com', '*.specific.com'],
      'wildcard-host-matches-listener-wildcard-host': ['*.anotherwildcard.io'],
      'no-intersecting-hosts': ['specific.but.wrong.com', 'wildcard.io'],
    };
    for (const [name, hostnames] of Object.entries(routes)) {
      cluster.api.apply(httpRoute(name, { namespace: INFRA, parentRefs: [{ name: gw, namespace: INFRA }], hostnames, backendRefs: [{ name: 'infra-backend-v1', port: 8080 }] }));
    }
    await cluster.started();
    await expect.poll(() => ourParents('no-intersecting-hosts')).toMatchObject([{ parentRef: { name: gw, namespace: INFRA }, controllerName: 'edgress.dev/gateway-controller' }]);
    expect(conditions('no-intersecting-hosts')['Accepted']).toBe('False/NoMatchingListenerHostname');
    const listener = (name: string, attachedRoutes: number) => ({ name, supportedKinds: HTTP_ROUTE_KINDS, attachedRoutes, conditions: { Accepted: TRUE, ResolvedRefs: TRUE } });
    await expect.poll(() => listenersOf(gw)).toMatchObject([listener('listener-1', 2), listener('listener-2', 1), listener('listener-3', 1)]);
  });

  // conformance/tests/gateway-name-maximum-length.go (+ .yaml): only that the Gateway is reconciled
  it('GatewayNameMaximumLength: a Gateway with a 253-character name gets conditions of its latest generation', async () => {
    const prefix = 'gateway-name-maximum-length-';
    const name = prefix + 'a'.repeat(253 - prefix.length);
    cluster.api.apply(gateway(name, [{ name: 'http', port: 80, protocol: 'HTTP' }], OURS));
    await cluster.started();
    await expect.poll(() => gatewayLatest(name)).toBe(true);
  });
});
