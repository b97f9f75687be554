/**
 * RegularExpression path and header matches through `edgress dev`. The
 * conformance suite has no test for them (the regex dialect is left to the
 * implementation), so this scenario is edgress's own, in the suite's form:
 * test/fixtures/gateway-api/edgress-regular-expression.yaml on top of the
 * suite's base. A RegularExpression match must match the whole path or
 * header value, case-sensitively.
 */
import { describe } from 'vitest';
import { gatewayWorldPerFile, INFRA_NS, itSends } from '../harness/gateway.ts';

const { world: w } = gatewayWorldPerFile('edgress-regular-expression');
const v1 = { backend: 'infra-backend-v1', namespace: INFRA_NS };
const v2 = { backend: 'infra-backend-v2', namespace: INFRA_NS };
const v3 = { backend: 'infra-backend-v3', namespace: INFRA_NS };
const notFound = { status: 404 };

describe('RegularExpression path matches', () => {
  itSends(w, [
    { request: { path: '/regex/123' }, expected: v1 },
    { request: { path: '/regex/123?q=1' }, expected: v1 },
    // Anchored at both ends: no prefix, no suffix.
    { request: { path: '/regex/123/more' }, expected: notFound },
    { request: { path: '/x/regex/123' }, expected: notFound },
    { request: { path: '/regex/' }, expected: notFound },
    { request: { path: '/regex/abc/end' }, expected: v3 },
    // Case-sensitive.
    { request: { path: '/regex/ABC/end' }, expected: notFound },
    { request: { path: '/Regex/123' }, expected: notFound },
  ]);
});

describe('RegularExpression header matches', () => {
  itSends(w, [
    { request: { path: '/headers', headers: { 'X-Version': 'v1.3' } }, expected: v2 },
    { request: { path: '/headers/sub', headers: { 'x-version': 'v2.10' } }, expected: v2 },
    // The whole value must match.
    { request: { path: '/headers', headers: { 'X-Version': 'xv1.3' } }, expected: notFound },
    { request: { path: '/headers', headers: { 'X-Version': 'v1.3-beta' } }, expected: notFound },
    { request: { path: '/headers', headers: { 'X-Version': 'V1.3' } }, expected: notFound },
    // `.` escaped: any other character between the numbers does not match.
    { request: { path: '/headers', headers: { 'X-Version': 'v1x3' } }, expected: notFound },
    { request: { path: '/headers', headers: { 'X-Version': 'v3.0' } }, expected: v3 },
    { request: { path: '/headers' }, expected: notFound },
  ]);
});
