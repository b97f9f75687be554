/**
 * Gateway API conformance, HTTP profile: URLRewrite (Extended host and path
 * rewrites) and RequestMirror (Extended: one mirror, several, a percentage).
 * Each block transcribes one test of kubernetes-sigs/gateway-api
 * `conformance/tests/`, with that test's manifests
 * (test/fixtures/gateway-api/) on top of the suite's base, served by one
 * `edgress dev` per file. Where the suite reads a mirror pod's log, these
 * tests read what the echo pod recorded, polling for a bounded time.
 */
import { describe, expect, it } from 'vitest';
import {
  expectExchange,
  expectMirrored,
  gatewayWorldPerFile,
  headerValues,
  INFRA_NS,
  itSends,
  withRequestId,
  type Case,
  type GatewayWorld,
} from '../harness/gateway.ts';

const { world: w, using } = gatewayWorldPerFile('httproute-rewrite-host');
const v1 = { backend: 'infra-backend-v1', namespace: INFRA_NS };
const v2 = { backend: 'infra-backend-v2', namespace: INFRA_NS };

/** The request-header edits the suite's "…-and-modify-headers" rules make, and what the backend must see. */
const modifyHeadersSent = { 'X-Header-Remove': 'remove-val', 'X-Header-Add-Append': 'append-val-1' };
const modifyHeadersSeen = {
  headers: { 'X-Header-Add': 'header-val-1', 'X-Header-Add-Append': 'append-val-1,header-val-2', 'X-Header-Set': 'set-overwrites-values' },
  absentHeaders: ['X-Header-Remove'],
};

// conformance/tests/httproute-rewrite-host.go (Extended: HTTPRouteHostRewrite)
describe('HTTPRouteRewriteHost', () => {
  using('httproute-rewrite-host');
  itSends(w, [
    { request: { path: '/one', host: 'rewrite.example' }, expected: { ...v1, request: { path: '/one', host: 'one.example.org' } } },
    { request: { path: '/two', host: 'rewrite.example' }, expected: { ...v2, request: { path: '/two', host: 'example.org' } } },
    {
      request: { path: '/rewrite-host-and-modify-headers', host: 'rewrite.example', headers: modifyHeadersSent },
      expected: { ...v2, request: { path: '/rewrite-host-and-modify-headers', host: 'test.example.org', ...modifyHeadersSeen } },
    },
  ]);
});

// conformance/tests/httproute-rewrite-path.go (Extended: HTTPRoutePathRewrite)
describe('HTTPRouteRewritePath', () => {
  using('httproute-rewrite-path');
  const sent = { ...modifyHeadersSent, 'X-Header-Set': 'set-val' };
  itSends(w, [
    { request: { path: '/prefix/one/two' }, expected: { ...v1, request: { path: '/one/two' } } },
    { request: { path: '/strip-prefix/three' }, expected: { ...v1, request: { path: '/three' } } },
    { request: { path: '/strip-prefix' }, expected: { ...v1, request: { path: '/' } } },
    { request: { path: '/full/one/two' }, expected: { ...v1, request: { path: '/one' } } },
    {
      request: { path: '/full/rewrite-path-and-modify-headers/test', headers: sent },
      expected: { ...v1, request: { path: '/test', ...modifyHeadersSeen } },
    },
    {
      request: { path: '/prefix/rewrite-path-and-modify-headers/one', headers: sent },
      expected: { ...v1, request: { path: '/prefix/one', ...modifyHeadersSeen } },
    },
  ]);
});

// conformance/tests/httproute-backend-url-rewrite.go (Extended: HTTPRouteBackendURLRewrite)
describe('HTTPRouteBackendURLRewrite', () => {
  using('httproute-backend-url-rewrite');
  itSends(w, [
    { request: { path: '/full/original' }, expected: { ...v1, request: { path: '/rewritten-full' } } },
    { request: { path: '/prefix/original' }, expected: { ...v1, request: { path: '/rewritten-prefix/original' } } },
  ]);
});

/** A mirror case: the primary exchange as `c` states, and a copy of the request at each of `mirrors`. */
function itMirrors(world: () => GatewayWorld, c: Case, mirrors: readonly string[]): void {
  it(`${c.request.path} reaches ${c.expected.backend} and is mirrored to ${mirrors.join(', ')}`, async () => {
    // A unique query, as the suite's AddRequestIDQueryParam, so the copy is this request's.
    const path = withRequestId(c.request.path);
    const expectedPath = withRequestIdLike(path, c.expected.request?.path ?? c.request.path);
    const exchange = await world().send({ ...c.request, path });
    expectExchange(exchange, { ...c.expected, request: { ...c.expected.request, path: expectedPath } });
    for (const mirror of mirrors) {
      const copy = await expectMirrored(world(), INFRA_NS, mirror, path);
      expect(copy.method).toBe(c.request.method ?? 'GET');
      // The mirror gets the request after the route's request filters, as the primary backend does.
      for (const [name, value] of Object.entries(c.expected.request?.headers ?? {})) {
        expect(headerValues(copy.headers[name.toLowerCase()]), `mirror ${mirror}: request header ${name}`).toEqual(headerValues(value));
      }
    }
  });
}

/** `expected` with the query of `sent` (the request id) appended. */
function withRequestIdLike(sent: string, expected: string): string {
  return `${expected}?${sent.split('?')[1] ?? ''}`;
}

// conformance/tests/httproute-request-mirror.go (Extended: HTTPRouteRequestMirror)
describe('HTTPRouteRequestMirror', () => {
  using('httproute-request-mirror');
  itMirrors(w, { request: { path: '/mirror' }, expected: { ...v1, request: { path: '/mirror' } } }, ['infra-backend-v2']);
  itMirrors(
    w,
    {
      request: { path: '/mirror-and-modify-headers', headers: modifyHeadersSent },
      expected: { ...v1, request: { path: '/mirror-and-modify-headers', ...modifyHeadersSeen } },
    },
    ['infra-backend-v2'],
  );
});

// conformance/tests/httproute-request-multiple-mirrors.go (Extended: HTTPRouteRequestMultipleMirrors)
describe('HTTPRouteRequestMultipleMirrors', () => {
  using('httproute-request-multiple-mirrors');
  itMirrors(w, { request: { path: '/multi-mirror' }, expected: { ...v1, request: { path: '/multi-mirror' } } }, ['infra-backend-v2', 'infra-backend-v3']);
  itMirrors(
    w,
    {
      request: { path: '/multi-mirror-and-modify-request-headers', headers: modifyHeadersSent },
      expected: { ...v1, request: { path: '/multi-mirror-and-modify-request-headers', ...modifyHeadersSeen } },
    },
    ['infra-backend-v2', 'infra-backend-v3'],
  );
});

// conformance/tests/httproute-request-percentage-mirror.go (Extended, provisional:
// HTTPRouteRequestPercentageMirror). The suite sends 500 requests per path and allows
// 5 standard deviations; 200 here, with the same tolerance, keep the run short.
describe('HTTPRouteRequestPercentageMirror', () => {
  using('httproute-request-percentage-mirror');
  const total = 200;
  for (const { path, percent, headers } of [
    { path: '/percent-mirror', percent: 20, headers: undefined },
    { path: '/percent-mirror-fraction', percent: 50, headers: undefined },
    { path: '/percent-mirror-and-modify-headers', percent: 35, headers: modifyHeadersSent },
  ]) {
    it(`${path} mirrors about ${percent}% of ${total} requests to infra-backend-v2`, async () => {
      const sent: string[] = [];
      for (let i = 0; i < total; i++) {
        const unique = withRequestId(path);
        sent.push(unique);
        const { reply, echo } = await w().send({ path: unique, headers });
        expect(reply.status).toBe(200);
        expect(echo?.service).toBe(`${INFRA_NS}/infra-backend-v1`);
      }
      // Mirrors run after the response; give the last ones a moment, bounded.
      const mirrored = () => w().seen(INFRA_NS, 'infra-backend-v2').filter((reply) => sent.includes(reply.url)).length;
      let last = -1;
      for (let waited = 0; waited < 3_000 && mirrored() !== last; waited += 500) {
        last = mirrored();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const p = percent / 100;
      const margin = 5 * Math.sqrt(total * p * (1 - p));
      expect(mirrored()).toBeGreaterThanOrEqual(total * p - margin);
      expect(mirrored()).toBeLessThanOrEqual(total * p + margin);
    }, 60_000);
  }
});
