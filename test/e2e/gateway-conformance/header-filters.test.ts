/**
 * Gateway API conformance, HTTP profile: RequestHeaderModifier (Core), its
 * backendRef-level form and ResponseHeaderModifier (Extended). Each block
 * transcribes one test of kubernetes-sigs/gateway-api `conformance/tests/`,
 * with that test's manifests (test/fixtures/gateway-api/) on top of the
 * suite's base, served by one `edgress dev` per file. Header values are
 * compared as lists: `a,b` equals two header lines `a` and `b`, as the suite
 * reads them.
 */
import { describe, expect, it } from 'vitest';
import { backendOf, gatewayWorldPerFile, INFRA_NS, itSends, type Case } from '../harness/gateway.ts';

const { world: w, using } = gatewayWorldPerFile('httproute-request-header-modifier');
const v1 = { backend: 'infra-backend-v1', namespace: INFRA_NS };
/** The `/multiple` rules' input and outcome, the same for request and response headers in the suite. */
const multipleOriginal = { 'X-Header-Set-2': 'set-val-2', 'X-Header-Add-2': 'add-val-2', 'X-Header-Remove-2': 'remove-val-2', 'Another-Header': 'another-header-val' };
const multipleModified = {
  'X-Header-Set-1': 'header-set-1',
  'X-Header-Set-2': 'header-set-2',
  'X-Header-Add-1': 'header-add-1',
  'X-Header-Add-2': 'add-val-2,header-add-2',
  'X-Header-Add-3': 'header-add-3',
  'Another-Header': 'another-header-val',
};

/** conformance/tests/httproute-request-header-modifier.go: the cases both the route- and the backend-level test run. */
const requestHeaderCases: Case[] = [
  {
    request: { path: '/set', headers: { 'Some-Other-Header': 'val' } },
    expected: { ...v1, request: { path: '/set', headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } } },
  },
  {
    request: { path: '/set', headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' } },
    expected: { ...v1, request: { path: '/set', headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } } },
  },
  {
    request: { path: '/add', headers: { 'Some-Other-Header': 'val' } },
    expected: { ...v1, request: { path: '/add', headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'add-appends-values' } } },
  },
  {
    request: { path: '/add', headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' } },
    expected: { ...v1, request: { path: '/add', headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value,add-appends-values' } } },
  },
  {
    request: { path: '/remove', headers: { 'X-Header-Remove': 'val' } },
    expected: { ...v1, request: { path: '/remove', absentHeaders: ['X-Header-Remove'] } },
  },
  {
    request: {
      path: '/multiple',
      headers: multipleOriginal,
    },
    expected: {
      ...v1,
      request: {
        path: '/multiple',
        headers: multipleModified,
        absentHeaders: ['X-Header-Remove-1', 'X-Header-Remove-2'],
      },
    },
  },
  {
    request: {
      path: '/case-insensitivity',
      headers: { 'x-header-set': 'original-val-set', 'x-header-add': 'original-val-add', 'x-header-remove': 'original-val-remove', 'Another-Header': 'another-header-val' },
    },
    expected: {
      ...v1,
      request: {
        path: '/case-insensitivity',
        headers: { 'X-Header-Set': 'header-set', 'X-Header-Add': 'original-val-add,header-add', 'Another-Header': 'another-header-val' },
        absentHeaders: ['x-header-remove', 'X-Header-Remove'],
      },
    },
  },
];

// conformance/tests/httproute-request-header-modifier.go (HTTPRouteRequestHeaderModifier)
describe('HTTPRouteRequestHeaderModifier', () => {
  using('httproute-request-header-modifier');
  itSends(w, requestHeaderCases);
});

// conformance/tests/httproute-request-header-modifier.go (HTTPRouteBackendRequestHeaderModifier, Extended:
// the same cases with the filters on the backendRefs, httproute-request-header-modifier-backend.yaml)
describe('HTTPRouteBackendRequestHeaderModifier', () => {
  using('httproute-request-header-modifier-backend');
  itSends(w, requestHeaderCases);
});

// conformance/tests/httproute-request-header-modifier-backend-weights.go (Extended)
describe('HTTPRouteRequestHeaderModifierBackendWeights', () => {
  using('httproute-request-header-modifier-backend-weights');
  it('each of 100 requests carries the Backend header of the backendRef that got it', async () => {
    const got = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const { reply, echo } = await w().send({ path: '/' });
      expect(reply.status).toBe(200);
      if (!echo) throw new Error('no echo pod answered');
      expect(backendOf(echo).namespace).toBe(INFRA_NS);
      // One header line, naming the Service whose pod answered.
      expect(echo.headers.backend).toBe(backendOf(echo).name);
      got.add(backendOf(echo).name);
    }
    // Weights 10/10: 100 requests all landing on one side has odds of 2^-99.
    expect([...got].sort()).toEqual(['infra-backend-v1', 'infra-backend-v2']);
  });
});

// conformance/tests/httproute-response-header-modifier.go (Extended: HTTPRouteResponseHeaderModification)
describe('HTTPRouteResponseHeaderModifier', () => {
  using('httproute-response-header-modifier');
  itSends(w, [
    {
      request: { path: '/set', backendSetResponseHeaders: { 'Some-Other-Header': 'val' } },
      expected: { ...v1, response: { headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } } },
    },
    {
      request: { path: '/set', backendSetResponseHeaders: { 'Some-Other-Header': 'val', 'X-Header-Set': 'some-other-value' } },
      expected: { ...v1, response: { headers: { 'Some-Other-Header': 'val', 'X-Header-Set': 'set-overwrites-values' } } },
    },
    {
      request: { path: '/add', backendSetResponseHeaders: { 'Some-Other-Header': 'val' } },
      expected: { ...v1, response: { headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'add-appends-values' } } },
    },
    {
      request: { path: '/add', backendSetResponseHeaders: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value' } },
      expected: { ...v1, response: { headers: { 'Some-Other-Header': 'val', 'X-Header-Add': 'some-other-value,add-appends-values' } } },
    },
    {
      request: { path: '/remove', backendSetResponseHeaders: { 'X-Header-Remove': 'val' } },
      expected: { ...v1, response: { absentHeaders: ['X-Header-Remove'] } },
    },
    {
      request: {
        path: '/multiple',
        backendSetResponseHeaders: { ...multipleOriginal, 'X-Header-Remove-1': 'val' },
      },
      expected: {
        ...v1,
        response: {
          headers: multipleModified,
          absentHeaders: ['X-Header-Remove-1', 'X-Header-Remove-2'],
        },
      },
    },
    {
      request: {
        path: '/case-insensitivity',
        backendSetResponseHeaders: {
          'x-header-set': 'original-val-set',
          'x-header-add': 'original-val-add',
          'x-header-remove': 'original-val-remove',
          'Another-Header': 'another-header-val',
        },
      },
      expected: {
        ...v1,
        response: {
          headers: {
            'X-Header-Set': 'header-set',
            'X-Header-Add': 'original-val-add,header-add',
            'X-Lowercase-Add': 'lowercase-add',
            'X-Mixedcase-Add-1': 'mixedcase-add-1',
            'X-Mixedcase-Add-2': 'mixedcase-add-2',
            'X-Uppercase-Add': 'uppercase-add',
            'Another-Header': 'another-header-val',
          },
          absentHeaders: ['x-header-remove', 'X-Header-Remove'],
        },
      },
    },
    {
      request: {
        path: '/response-and-request-header-modifiers',
        headers: { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1', 'X-Header-Echo': 'echo' },
        backendSetResponseHeaders: {
          'X-Header-Set-2': 'set-val-2',
          'X-Header-Add-2': 'add-val-2',
          'X-Header-Remove-2': 'remove-val-2',
          'Another-Header': 'another-header-val',
          'X-Header-Remove-1': 'remove-val-1',
          'X-Header-Echo': 'echo',
        },
      },
      expected: {
        ...v1,
        request: {
          path: '/response-and-request-header-modifiers',
          headers: {
            'X-Header-Add': 'header-val-1',
            'X-Header-Set': 'set-overwrites-values',
            'X-Header-Add-Append': 'append-val-1,header-val-2',
            'X-Header-Echo': 'echo',
          },
          absentHeaders: ['X-Header-Remove'],
        },
        response: {
          headers: {
            'X-Header-Set-1': 'header-set-1',
            'X-Header-Set-2': 'header-set-2',
            'X-Header-Add-1': 'header-add-1',
            'X-Header-Add-2': 'add-val-2,header-add-2',
            'Another-Header': 'another-header-val',
            'X-Header-Echo': 'echo',
          },
          absentHeaders: ['X-Header-Remove-1', 'X-Header-Remove-2'],
        },
      },
    },
  ]);
});
