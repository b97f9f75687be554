/**
 * Gateway API conformance, HTTP profile: request matching (Core, plus the
 * Extended query-parameter and method matches). Each block transcribes one
 * test of kubernetes-sigs/gateway-api `conformance/tests/`, named in its
 * describe, with that test's manifests (test/fixtures/gateway-api/) on top of
 * the suite's base, served by one `edgress dev` per file.
 */
import { describe } from 'vitest';
import { gatewayWorldPerFile, INFRA_NS, itSends } from '../harness/gateway.ts';

const { world: w, using } = gatewayWorldPerFile('httproute-simple-same-namespace');
const v1 = { backend: 'infra-backend-v1', namespace: INFRA_NS };
const v2 = { backend: 'infra-backend-v2', namespace: INFRA_NS };
const v3 = { backend: 'infra-backend-v3', namespace: INFRA_NS };
const notFound = { status: 404 };

// conformance/tests/httproute-simple-same-namespace.go
describe('HTTPRouteSimpleSameNamespace', () => {
  using('httproute-simple-same-namespace');
  itSends(w, [{ request: { path: '/' }, expected: v1 }]);
});

// conformance/tests/httproute-matching.go
describe('HTTPRouteMatching', () => {
  using('httproute-matching');
  itSends(w, [
    { request: { path: '/' }, expected: v1 },
    { request: { path: '/example' }, expected: v1 },
    { request: { path: '/', headers: { Version: 'one' } }, expected: v1 },
    { request: { path: '/v2' }, expected: v2 },
    { request: { path: '/v2/example' }, expected: v2 },
    { request: { path: '/', headers: { Version: 'two' } }, expected: v2 },
    { request: { path: '/v2/' }, expected: v2 },
    // Not a path-segment prefix of /v2.
    { request: { path: '/v2example' }, expected: v1 },
    { request: { path: '/foo/v2/example' }, expected: v1 },
  ]);
});

// conformance/tests/httproute-exact-path-matching.go
describe('HTTPRouteExactPathMatching', () => {
  using('httproute-exact-path-matching');
  itSends(w, [
    { request: { path: '/one' }, expected: v1 },
    { request: { path: '/two' }, expected: v2 },
    { request: { path: '/' }, expected: notFound },
    { request: { path: '/one/example' }, expected: notFound },
    { request: { path: '/two/' }, expected: notFound },
    { request: { path: '/Two' }, expected: notFound },
  ]);
});

// conformance/tests/httproute-header-matching.go
describe('HTTPRouteHeaderMatching', () => {
  using('httproute-header-matching');
  itSends(w, [
    { request: { path: '/', headers: { Version: 'one' } }, expected: v1 },
    { request: { path: '/', headers: { Version: 'two' } }, expected: v2 },
    { request: { path: '/', headers: { Version: 'two', Color: 'orange' } }, expected: v1 },
    { request: { path: '/', headers: { Version: 'two', Color: 'blue' } }, expected: v2 },
    { request: { path: '/', headers: { Color: 'orange' } }, expected: notFound },
    { request: { path: '/', headers: { 'Some-Other-Header': 'one' } }, expected: notFound },
    { request: { path: '/', headers: { Color: 'blue' } }, expected: v1 },
    { request: { path: '/', headers: { Color: 'green' } }, expected: v1 },
    { request: { path: '/', headers: { Color: 'red' } }, expected: v2 },
    { request: { path: '/', headers: { Color: 'yellow' } }, expected: v2 },
    { request: { path: '/', headers: { Color: 'purple' } }, expected: notFound },
  ]);
});

// conformance/tests/httproute-path-match-order.go
describe('HTTPRoutePathMatchOrder', () => {
  using('httproute-path-match-order');
  itSends(w, [
    { request: { path: '/match/exact/one' }, expected: v3 },
    { request: { path: '/match/exact' }, expected: v2 },
    { request: { path: '/match' }, expected: v1 },
    { request: { path: '/match/prefix/one/any' }, expected: v2 },
    { request: { path: '/match/prefix/any' }, expected: v1 },
    { request: { path: '/match/any' }, expected: v3 },
  ]);
});

// conformance/tests/httproute-matching-across-routes.go
describe('HTTPRouteMatchingAcrossRoutes', () => {
  using('httproute-matching-across-routes');
  itSends(w, [
    { request: { host: 'example.com', path: '/' }, expected: v1 },
    { request: { host: 'example.com', path: '/example' }, expected: v1 },
    { request: { host: 'example.net', path: '/example' }, expected: v1 },
    { request: { host: 'example.com', path: '/example', headers: { Version: 'one' } }, expected: v1 },
    { request: { host: 'example.com', path: '/v2' }, expected: v2 },
    { request: { host: 'example.net', path: '/v2' }, expected: v1 },
    { request: { host: 'example.com', path: '/v2/example' }, expected: v2 },
    { request: { host: 'example.com', path: '/', headers: { Version: 'two' } }, expected: v2 },
  ]);
});

// conformance/tests/httproute-query-param-matching.go (Extended: HTTPRouteQueryParamMatching)
describe('HTTPRouteQueryParamMatching', () => {
  using('httproute-query-param-matching');
  itSends(w, [
    { request: { path: '/?animal=whale' }, expected: v1 },
    { request: { path: '/?animal=dolphin' }, expected: v2 },
    { request: { path: '/?animal=dolphin&color=blue' }, expected: v3 },
    { request: { path: '/?ANIMAL=Whale' }, expected: v3 },
    { request: { path: '/?animal=whale&otherparam=irrelevant' }, expected: v1 },
    { request: { path: '/?animal=dolphin&color=yellow' }, expected: v2 },
    { request: { path: '/?color=blue' }, expected: notFound },
    { request: { path: '/?animal=dog' }, expected: notFound },
    { request: { path: '/?animal=whaledolphin' }, expected: notFound },
    { request: { path: '/' }, expected: notFound },
    // Combinations with core match types.
    { request: { path: '/path1?animal=whale' }, expected: v1 },
    { request: { path: '/?animal=whale', headers: { version: 'one' } }, expected: v2 },
    { request: { path: '/path2?animal=whale', headers: { version: 'two' } }, expected: v3 },
    // (cond1 AND cond2) OR (cond3 AND cond4 AND cond5).
    { request: { path: '/path3?animal=shark' }, expected: v1 },
    { request: { path: '/path4?animal=kraken', headers: { version: 'three' } }, expected: v1 },
    { request: { path: '/?animal=shark' }, expected: notFound },
    { request: { path: '/path4?animal=kraken' }, expected: notFound },
    // Precedence: path beats query, query beats header.
    { request: { path: '/path5?animal=hydra' }, expected: v1 },
    { request: { path: '/?animal=hydra', headers: { version: 'four' } }, expected: v3 },
  ]);
});

// conformance/tests/httproute-method-matching.go (Extended: HTTPRouteMethodMatching)
describe('HTTPRouteMethodMatching', () => {
  using('httproute-method-matching');
  itSends(w, [
    { request: { method: 'POST', path: '/' }, expected: v1 },
    { request: { method: 'GET', path: '/' }, expected: v2 },
    { request: { method: 'HEAD', path: '/' }, expected: notFound },
    // Combinations with core match types.
    { request: { method: 'GET', path: '/path1' }, expected: v1 },
    { request: { method: 'PUT', path: '/', headers: { version: 'one' } }, expected: v2 },
    { request: { method: 'POST', path: '/path2', headers: { version: 'two' } }, expected: v3 },
    // (cond1 AND cond2) OR (cond3 AND cond4 AND cond5).
    { request: { method: 'PATCH', path: '/path3' }, expected: v1 },
    { request: { method: 'DELETE', path: '/path4', headers: { version: 'three' } }, expected: v1 },
    { request: { method: 'PUT', path: '/' }, expected: notFound },
    { request: { method: 'DELETE', path: '/path4' }, expected: notFound },
    // Precedence: path beats method, method beats header.
    { request: { method: 'PATCH', path: '/path5' }, expected: v1 },
    { request: { method: 'PATCH', path: '/', headers: { version: 'four' } }, expected: v2 },
  ]);
});

// conformance/tests/httproute-named-rule.go (Extended, provisional: HTTPRouteNamedRouteRule)
describe('HTTPRouteNamedRule', () => {
  using('httproute-named-rule');
  itSends(w, [
    { request: { path: '/named' }, expected: v1 },
    { request: { path: '/unnamed' }, expected: v2 },
  ]);
});
