/**
 * Gateway API conformance, HTTP profile: hostnames, listeners and
 * attachment, cross-namespace references, invalid and missing backends,
 * weights and Service types (Core). Each block transcribes the traffic of
 * one test of kubernetes-sigs/gateway-api `conformance/tests/`, with that
 * test's manifests (test/fixtures/gateway-api/) on top of the suite's base,
 * served by one `edgress dev` per file. Route and Gateway status the suite
 * also checks is the agent's job and tested against the test API server.
 */
import { loadAll } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APP_BACKEND_NS,
  backendOf,
  endpointSliceFor,
  fixture,
  gatewayWorldPerFile,
  INFRA_NS,
  itSends,
  WEB_BACKEND_NS,
} from '../harness/gateway.ts';
import { toYaml } from '../harness/manifests.ts';

const { world: w, using } = gatewayWorldPerFile('httproute-hostname-intersection');
const v1 = { backend: 'infra-backend-v1', namespace: INFRA_NS };
const v2 = { backend: 'infra-backend-v2', namespace: INFRA_NS };
const v3 = { backend: 'infra-backend-v3', namespace: INFRA_NS };
const notFound = { status: 404 };
const serverError = { status: 500 };

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly addressType?: string;
  readonly spec?: { readonly ports?: readonly { readonly name?: string; readonly port: number }[] };
}

async function manifestsOf(name: string): Promise<Manifest[]> {
  return (loadAll(await fixture(name)) as (Manifest | null)[]).filter((object): object is Manifest => object !== null);
}

// conformance/tests/httproute-hostname-intersection.go
describe('HTTPRouteHostnameIntersection', () => {
  using('httproute-hostname-intersection');
  describe('HTTPRoutes that do intersect with listener hostnames', () => {
    itSends(w, [
      { request: { host: 'very.specific.com', path: '/s1' }, expected: v1 },
      { request: { host: 'very.specific.com:1234', path: '/s1' }, expected: v1 },
      { request: { host: 'non.matching.com', path: '/s1' }, expected: notFound },
      { request: { host: 'foo.nonmatchingwildcard.io', path: '/s1' }, expected: notFound },
      { request: { host: 'foo.wildcard.io', path: '/s1' }, expected: notFound },
      { request: { host: 'very.specific.com', path: '/non-matching-prefix' }, expected: notFound },
      { request: { host: 'foo.wildcard.io', path: '/s2' }, expected: v2 },
      { request: { host: 'bar.wildcard.io', path: '/s2' }, expected: v2 },
      { request: { host: 'foo.bar.wildcard.io', path: '/s2' }, expected: v2 },
      { request: { host: 'non.matching.com', path: '/s2' }, expected: notFound },
      { request: { host: 'wildcard.io', path: '/s2' }, expected: notFound },
      { request: { host: 'very.specific.com', path: '/s2' }, expected: notFound },
      { request: { host: 'foo.wildcard.io', path: '/non-matching-prefix' }, expected: notFound },
      { request: { host: 'very.specific.com', path: '/s3' }, expected: v3 },
      { request: { host: 'non.matching.com', path: '/s3' }, expected: notFound },
      { request: { host: 'foo.specific.com', path: '/s3' }, expected: notFound },
      { request: { host: 'foo.wildcard.io', path: '/s3' }, expected: notFound },
      { request: { host: 'very.specific.com', path: '/non-matching-prefix' }, expected: notFound },
      { request: { host: 'foo.anotherwildcard.io', path: '/s4' }, expected: v1 },
      { request: { host: 'bar.anotherwildcard.io', path: '/s4' }, expected: v1 },
      { request: { host: 'foo.bar.anotherwildcard.io', path: '/s4' }, expected: v1 },
      { request: { host: 'anotherwildcard.io', path: '/s4' }, expected: notFound },
      { request: { host: 'foo.wildcard.io', path: '/s4' }, expected: notFound },
      { request: { host: 'very.specific.com', path: '/s4' }, expected: notFound },
      { request: { host: 'foo.anotherwildcard.io', path: '/non-matching-prefix' }, expected: notFound },
    ]);
  });
  describe('HTTPRoutes that do not intersect with listener hostnames', () => {
    itSends(w, [
      { request: { host: 'specific.but.wrong.com', path: '/s5' }, expected: notFound },
      { request: { host: 'wildcard.io', path: '/s5' }, expected: notFound },
    ]);
  });
  describe('HTTPRoutes intersects with an unspecified hostname listener', () => {
    itSends(w, [
      { request: { host: 'first.com', path: '/' }, expected: v2 },
      { request: { host: 'sub.first.com', path: '/' }, expected: v2 },
      { request: { host: 'second.com', path: '/' }, expected: v2 },
      { request: { host: 'sub.second.com', path: '/' }, expected: v2 },
      { request: { host: 'third.com', path: '/' }, expected: notFound },
      { request: { host: 'sub.third.com', path: '/' }, expected: notFound },
    ]);
  });
});

// conformance/tests/httproute-listener-hostname-matching.go
describe('HTTPRouteListenerHostnameMatching', () => {
  using('httproute-listener-hostname-matching');
  itSends(w, [
    { request: { host: 'bar.com', path: '/' }, expected: v1 },
    { request: { host: 'foo.bar.com', path: '/' }, expected: v2 },
    { request: { host: 'baz.bar.com', path: '/' }, expected: v3 },
    { request: { host: 'boo.bar.com', path: '/' }, expected: v3 },
    { request: { host: 'multiple.prefixes.bar.com', path: '/' }, expected: v3 },
    { request: { host: 'multiple.prefixes.foo.com', path: '/' }, expected: v3 },
    { request: { host: 'foo.com', path: '/' }, expected: notFound },
    { request: { host: 'no.matching.host', path: '/' }, expected: notFound },
  ]);
});

// conformance/tests/gateway-http-listener-isolation.go (Extended: GatewayHTTPListenerIsolation).
// The suite applies both Gateways at once, each at its own address; at the edge they would
// share one, so each is served on its own here.
const isolationCases = [
  { request: { host: 'bar.com', path: '/empty-hostname' }, expected: v1 },
  { request: { host: 'bar.com', path: '/wildcard-example-com' }, expected: notFound },
  { request: { host: 'bar.com', path: '/wildcard-foo-example-com' }, expected: notFound },
  { request: { host: 'bar.com', path: '/abc-foo-example-com' }, expected: notFound },
  { request: { host: 'bar.example.com', path: '/empty-hostname' }, expected: notFound },
  { request: { host: 'bar.example.com', path: '/wildcard-example-com' }, expected: v1 },
  { request: { host: 'bar.example.com', path: '/wildcard-foo-example-com' }, expected: notFound },
  { request: { host: 'bar.example.com', path: '/abc-foo-example-com' }, expected: notFound },
  { request: { host: 'bar.foo.example.com', path: '/empty-hostname' }, expected: notFound },
  { request: { host: 'bar.foo.example.com', path: '/wildcard-example-com' }, expected: notFound },
  { request: { host: 'bar.foo.example.com', path: '/wildcard-foo-example-com' }, expected: v1 },
  { request: { host: 'bar.foo.example.com', path: '/abc-foo-example-com' }, expected: notFound },
  { request: { host: 'abc.foo.example.com', path: '/empty-hostname' }, expected: notFound },
  { request: { host: 'abc.foo.example.com', path: '/wildcard-example-com' }, expected: notFound },
  { request: { host: 'abc.foo.example.com', path: '/wildcard-foo-example-com' }, expected: notFound },
  { request: { host: 'abc.foo.example.com', path: '/abc-foo-example-com' }, expected: v1 },
];
describe('GatewayHTTPListenerIsolation: hostnames are configured only in listeners', () => {
  using('gateway-http-listener-isolation');
  itSends(w, isolationCases);
});
describe('GatewayHTTPListenerIsolation: intersecting hostnames are configured in listeners and HTTPRoutes', () => {
  using('gateway-http-listener-isolation-with-hostname-intersection');
  itSends(w, isolationCases);
});

// conformance/tests/httproute-https-listener.go: the suite dials TLS with SNI; TLS ends at the
// edge, so HTTPS arrives here as X-Forwarded-Proto: https with the Host the client named.
describe('HTTPRouteHTTPSListener', () => {
  using('httproute-https-listener');
  itSends(w, [
    { request: { host: 'example.org', path: '/', scheme: 'https' }, expected: v1 },
    { request: { host: 'unknown-example.org', path: '/', scheme: 'https' }, expected: notFound },
    { request: { host: 'second-example.org', path: '/', scheme: 'https' }, expected: v2 },
  ]);
});

// conformance/tests/httproute-listener-port-matching.go (Extended: HTTPRouteParentRefPort).
// The suite dials each listener's port; at the edge the port shows in the request URL, and in
// `edgress dev` the port in the Host header stands for it: routes attached to some of the
// Gateway's ports answer only there
// (docs/design/decisions.md#decision-21-gateway-listeners-at-the-edge).
describe('HTTPRouteListenerPortMatching', () => {
  using('httproute-listener-port-matching');
  itSends(w, [
    { request: { host: 'foo.com', path: '/' }, expected: v1 },
    { request: { host: 'foo.com:8080', path: '/' }, expected: v2 },
    { request: { host: 'bar.com:8080', path: '/' }, expected: v2 },
    { request: { host: 'foo.com:8090', path: '/' }, expected: v3 },
    { request: { host: 'bar.com:8090', path: '/' }, expected: notFound },
  ]);
});

// conformance/tests/httproute-multiple-gateways.go: the route both Gateways share. (The suite's
// other two cases send `/` to each Gateway's address and expect different backends; the edge
// has one address for both, so those cannot be told apart here.)
describe('HTTPRouteMultipleGateways', () => {
  using('httproute-multiple-gateways');
  itSends(w, [{ request: { path: '/shared' }, expected: v1 }]);
});

// conformance/tests/httproute-cross-namespace.go
describe('HTTPRouteCrossNamespace', () => {
  using('httproute-cross-namespace');
  itSends(w, [{ request: { path: '/' }, expected: { backend: 'web-backend', namespace: WEB_BACKEND_NS } }]);
});

// conformance/tests/httproute-reference-grant.go
describe('HTTPRouteReferenceGrant', () => {
  using('httproute-reference-grant');
  itSends(w, [{ request: { path: '/' }, expected: { backend: 'web-backend', namespace: WEB_BACKEND_NS } }]);
  describe('after deleting the ReferenceGrant', () => {
    beforeAll(async () => {
      const remaining = (await manifestsOf('httproute-reference-grant')).filter((object) => object.kind !== 'ReferenceGrant');
      await w().use(toYaml(remaining));
    }, 30_000);
    itSends(w, [{ request: { path: '/' }, expected: serverError }]);
  });
});

// conformance/tests/httproute-invalid-cross-namespace-backend-ref.go
describe('HTTPRouteInvalidCrossNamespaceBackendRef', () => {
  using('httproute-invalid-cross-namespace-backend-ref');
  itSends(w, [{ request: { path: '/' }, expected: serverError }]);
});

// conformance/tests/httproute-invalid-nonexistent-backendref.go
describe('HTTPRouteInvalidNonExistentBackendRef', () => {
  using('httproute-invalid-nonexistent-backendref');
  itSends(w, [{ request: { path: '/' }, expected: serverError }]);
});

// conformance/tests/httproute-invalid-backendref-unknown-kind.go
describe('HTTPRouteInvalidBackendRefUnknownKind', () => {
  using('httproute-invalid-backendref-unknown-kind');
  itSends(w, [{ request: { path: '/v2' }, expected: serverError }]);
});

// conformance/tests/httproute-invalid-reference-grant.go
describe('HTTPRouteInvalidReferenceGrant', () => {
  using('httproute-invalid-reference-grant');
  itSends(w, [{ request: { path: '/' }, expected: serverError }]);
});

// conformance/tests/httproute-partially-invalid-via-invalid-reference-grant.go
describe('HTTPRoutePartiallyInvalidViaInvalidReferenceGrant', () => {
  using('httproute-partially-invalid-via-invalid-reference-grant');
  itSends(w, [
    { request: { path: '/v2' }, expected: serverError },
    { request: { path: '/' }, expected: { backend: 'app-backend-v1', namespace: APP_BACKEND_NS } },
  ]);
});

// conformance/tests/httproute-omitted-backendrefs.go
describe('HTTPRouteOmittedBackendRefs', () => {
  using('httproute-omitted-backendrefs');
  itSends(w, [
    { request: { path: '/forward' }, expected: v1 },
    { request: { path: '/omitted-no-forward' }, expected: serverError },
    { request: { path: '/empty-no-forward' }, expected: serverError },
  ]);
});

// conformance/tests/httproute-weight.go: weights 70/30/0. The suite sends 500 requests and
// allows 5% per backend; 400 here with the same tolerance (about 4.4 standard deviations at 30%).
describe('HTTPRouteWeight', () => {
  using('httproute-weight');
  it('spreads 400 requests about 70/30/0 over infra-backend-v1/v2/v3', async () => {
    const counts: Record<string, number> = { 'infra-backend-v1': 0, 'infra-backend-v2': 0, 'infra-backend-v3': 0 };
    const total = 400;
    for (let i = 0; i < total; i++) {
      const { reply, echo } = await w().send({ path: `/?entropy=${i}` });
      expect(reply.status).toBe(200);
      if (!echo) throw new Error('no echo pod answered');
      expect(backendOf(echo).namespace).toBe(INFRA_NS);
      counts[backendOf(echo).name] = (counts[backendOf(echo).name] ?? 0) + 1;
    }
    expect(counts['infra-backend-v3']).toBe(0);
    expect(Math.abs((counts['infra-backend-v1'] ?? 0) / total - 0.7)).toBeLessThanOrEqual(0.05);
    expect(Math.abs((counts['infra-backend-v2'] ?? 0) / total - 0.3)).toBeLessThanOrEqual(0.05);
  }, 60_000);
});

// conformance/tests/httproute-service-types.go: a Service with hand-written EndpointSlices, a
// headless one (its slice written here as the EndpointSlice controller would) and a headless
// one with hand-written slices, all pointing at infra-backend-v1's pods.
describe('HTTPRouteServiceTypes', () => {
  beforeAll(async () => {
    const pods = w().pods;
    const objects = (await manifestsOf('httproute-service-types')).map((object) =>
      // As the suite patches them: the IPv4 slices list infra-backend-v1's pods.
      object.kind === 'EndpointSlice' && object.addressType === 'IPv4'
        ? endpointSliceFor(INFRA_NS, object.metadata.name.replace(/-ip4$/, ''), [{ name: 'first-port', port: 8080 }], pods, 'infra-backend-v1')
        : object,
    );
    objects.push(endpointSliceFor(INFRA_NS, 'headless', [{ name: 'first-port', port: 8080 }], pods, 'infra-backend-v1'));
    await w().use(toYaml(objects));
  }, 30_000);
  itSends(w, [
    { request: { path: '/manual-endpointslices' }, expected: v1 },
    { request: { path: '/headless-manual-endpointslices' }, expected: v1 },
    { request: { path: '/headless' }, expected: v1 },
  ]);
});


// Not from the suite: an Ingress and an HTTPRoute on one host share the host index; the more
// specific match wins, and an equal one is the Ingress's
// (docs/design/decisions.md#decision-20-an-ingress-route-wins-an-equal-httproute-match).
describe('edgress: an Ingress and an HTTPRoute claiming one host', () => {
  using('edgress-ingress-and-httproute');
  itSends(w, [
    { request: { host: 'shared.example', path: '/' }, expected: v1 },
    { request: { host: 'shared.example', path: '/', headers: { 'X-Canary': 'yes' } }, expected: v3 },
    { request: { host: 'shared.example', path: '/api/orders' }, expected: v2 },
  ]);
});
