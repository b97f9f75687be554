// The routing half of the conformance scenarios, checked on the compiled
// tables with the real matcher: which Service answers (or 404). The full
// end-to-end run through `edgress dev` lives in test/e2e.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile, parseManifests } from '../../src/compile/index.ts';
import { compileTable, hostView } from '../../src/match/compiled-table.ts';
import { normalizeHost } from '../../src/match/normalize.ts';
import { selectRoute } from '../../src/match/select.ts';

function routerFor(caseName: string) {
  const text = readFileSync(new URL(`./fixtures/${caseName}.yaml`, import.meta.url), 'utf8');
  const { table } = compile(parseManifests(text, caseName).objects, {});
  const compiled = compileTable(table);
  return (url: string): string | undefined => {
    const { hostname, pathname } = new URL(url);
    const selection = selectRoute(hostView(compiled, normalizeHost(hostname)), pathname, 'http');
    return selection?.route.router.service.replace(/^conformance\/|:8080$/g, '');
  };
}

describe('host rules', () => {
  const route = routerFor('conformance-host-rules');
  it.each([
    ['http://foo.bar.com', 'foo-bar-com'],
    ['http://subdomain.bar.com', undefined],
    ['http://bar.foo.com', 'wildcard-foo-com'],
    ['http://baz.bar.foo.com', undefined],
    ['http://foo.com', undefined],
  ])('%s → %s', (url, service) => expect(route(url)).toBe(service));
});

describe('path rules', () => {
  const route = routerFor('conformance-path-rules');
  it.each([
    ['http://exact-path-rules/foo', 'foo-exact'],
    ['http://exact-path-rules/foo/', undefined],
    ['http://exact-path-rules/FOO', undefined],
    ['http://exact-path-rules/bar', undefined],
    ['http://prefix-path-rules/foo', 'foo-prefix'],
    ['http://prefix-path-rules/foo/', 'foo-prefix'],
    ['http://prefix-path-rules/FOO', undefined],
    ['http://prefix-path-rules/aaa/bbb', 'aaa-slash-bbb-prefix'],
    ['http://prefix-path-rules/aaa/bbb/ccc', 'aaa-slash-bbb-prefix'],
    ['http://prefix-path-rules/aaa/ccc', 'aaa-prefix'],
    ['http://prefix-path-rules/aaaccc', undefined],
    ['http://mixed-path-rules/foo', 'foo-exact'],
    ['http://trailing-slash-path-rules/aaa/bbb', 'aaa-slash-bbb-slash-prefix'],
    ['http://trailing-slash-path-rules/aaa/bbb/', 'aaa-slash-bbb-slash-prefix'],
    ['http://trailing-slash-path-rules/foo', undefined],
  ])('%s → %s', (url, service) => expect(route(url)).toBe(service));
});

describe('default backend, load balancing, ingress class', () => {
  it.each(['http://my-host/', 'http://my-host/sub-path', 'http://some-host/', 'http://127.0.0.1/resource'])(
    'default backend answers %s',
    (url) => expect(routerFor('conformance-default-backend')(url)).toBe('echo-service'),
  );
  it('load balancing pool has the 10 ready pods', () => {
    const text = readFileSync(new URL('./fixtures/conformance-load-balancing.yaml', import.meta.url), 'utf8');
    const { table } = compile(parseManifests(text, 'lb').objects, {});
    const pool = table.services['conformance/echo-service:8080'];
    expect(pool?.kind === 'servers' && new Set(pool.servers.map((s) => s.pod)).size).toBe(10);
  });
  it('an unknown ingressClassName is not ours', () => {
    const text = readFileSync(new URL('./fixtures/conformance-ingress-class.yaml', import.meta.url), 'utf8');
    expect(compile(parseManifests(text, 'class').objects, {}).served).toEqual([]);
  });
});
