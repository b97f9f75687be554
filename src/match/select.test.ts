import { describe, expect, it } from 'vitest';
import { exact, prefix, router, stringPrefix, table } from '../../test/table-builders.ts';
import type { Table } from '../table/schema.ts';
import { MemoryTableStore } from '../store/store.ts';
import { selectRoute } from './select.ts';

async function pick(t: Table, host: string, path: string, scheme: 'http' | 'https' = 'http') {
  const lookup = await new MemoryTableStore(t).forHost(host);
  const selection = selectRoute(lookup.view, path, scheme);
  return selection ? `${selection.route.router.service} via ${selection.via}` : 'none';
}

describe('path precedence within a host (Ingress v1 semantics)', () => {
  const rules = table({ routers: [
    router('p', prefix('/foo'), 'foo-prefix', { id: 'a#0' }),
    router('p', prefix('/aaa/bbb'), 'aaa-bbb', { id: 'a#1' }),
    router('p', prefix('/aaa'), 'aaa', { id: 'a#2' }),
    router('m', prefix('/foo'), 'foo-prefix', { id: 'a#3' }),
    router('m', exact('/foo'), 'foo-exact', { id: 'a#4' }),
    router('t', prefix('/aaa/bbb/'), 'aaa-bbb-slash', { id: 'a#5' }),
    router('t', exact('/foo/'), 'foo-slash-exact', { id: 'a#6' }),
    router('r', prefix('/'), 'root', { id: 'a#7' }),
  ] });

  it.each([
    ['p', '/foo', 'foo-prefix'],
    ['p', '/foo/', 'foo-prefix'],
    ['p', '/FOO', 'none'],
    ['p', '/aaa/bbb', 'aaa-bbb'],
    ['p', '/aaa/bbb/ccc', 'aaa-bbb'],
    ['p', '/aaa/ccc', 'aaa'],
    ['p', '/aaaccc', 'none'],
    ['p', '/aaa/bbbxyz', 'aaa'],
    ['m', '/foo', 'foo-exact'],
    ['m', '/foo/', 'foo-prefix'],
    ['t', '/aaa/bbb', 'aaa-bbb-slash'],
    ['t', '/aaa/bbb/', 'aaa-bbb-slash'],
    ['t', '/foo', 'none'],
    ['t', '/foo/', 'foo-slash-exact'],
    ['r', '/', 'root'],
    ['r', '/anything/at/all', 'root'],
  ])('%s%s → %s', async (host, path, service) => {
    const got = await pick(rules, host, path);
    expect(got.split(' via ')[0]).toBe(service);
  });

  it('ranks Exact over Prefix over string prefix on equal length, longest first otherwise', async () => {
    const t = table({ routers: [
      router('h', stringPrefix('/api'), 'string', { id: 'a#0' }),
      router('h', prefix('/api'), 'element', { id: 'a#1' }),
      router('h', stringPrefix('/api/v1'), 'longer-string', { id: 'a#2' }),
      router('h', { type: 'any' }, 'pathless', { id: 'a#3' }),
    ] });
    expect(await pick(t, 'h', '/api/x')).toBe('element via exact-host');
    expect(await pick(t, 'h', '/apix')).toBe('string via exact-host');
    expect(await pick(t, 'h', '/api/v1/users')).toBe('longer-string via exact-host');
    expect(await pick(t, 'h', '/other')).toBe('pathless via exact-host');
  });

  it('gives the older router the win on a full tie', async () => {
    const t = table({ routers: [
      router('h', prefix('/'), 'old', { id: 'old#0' }),
      router('h', prefix('/'), 'new', { id: 'new#0' }),
    ] });
    expect(await pick(t, 'h', '/x')).toBe('old via exact-host');
  });
});

describe('host precedence', () => {
  const rules = table({
    routers: [
      router('*.foo.com', prefix('/'), 'wildcard', { id: 'w#0' }),
      router('bar.foo.com', prefix('/api'), 'exact-host', { id: 'e#0' }),
      router('', prefix('/'), 'hostless', { id: 'n#0' }),
    ],
    defaultRouter: router('', prefix('/'), 'default', { id: 'd#default' }),
  });

  it('prefers the exact host, then one-label wildcards, then host-less rules', async () => {
    expect(await pick(rules, 'bar.foo.com', '/api/x')).toBe('exact-host via exact-host');
    expect(await pick(rules, 'baz.foo.com', '/x')).toBe('wildcard via wildcard-host');
    expect(await pick(rules, 'a.b.foo.com', '/x')).toBe('hostless via any-host');
    expect(await pick(rules, 'foo.com', '/x')).toBe('hostless via any-host');
  });

  it('a wildcard stands for exactly one non-empty label: .foo.com is not *.foo.com (SECURITY.md, findings and fixes)', async () => {
    expect(await pick(rules, '.foo.com', '/x')).toBe('hostless via any-host');
  });

  it('does not fall through to a less specific host; the default backend answers', async () => {
    expect(await pick(rules, 'bar.foo.com', '/other')).toBe('default via default-backend');
  });

  it('answers nothing without a default backend', async () => {
    const t = table({ routers: [router('h', prefix('/api'), 'api', { id: 'e#0' })] });
    expect(await pick(t, 'h', '/other')).toBe('none');
    expect(await pick(t, 'unknown', '/api')).toBe('none');
  });
});

describe('priority annotation', () => {
  it('ranks a prioritized route above every route of lower priority, whatever its host', async () => {
    const t = table({ routers: [
      router('h', prefix('/'), 'exact-host', { id: 'e#0' }),
      router('', stringPrefix('/special'), 'hostless-10', { id: 'n#0', priority: 10 }),
      router('*.x', prefix('/special'), 'wildcard-20', { id: 'w#0', priority: 20 }),
    ] });
    expect(await pick(t, 'h', '/special/a')).toBe('hostless-10 via priority');
    expect(await pick(t, 'a.x', '/special')).toBe('wildcard-20 via priority');
    expect(await pick(t, 'h', '/plain')).toBe('exact-host via exact-host');
  });

  it('breaks equal priorities by host specificity', async () => {
    const t = table({ routers: [
      router('', prefix('/'), 'hostless', { id: 'n#0', priority: 5 }),
      router('h', prefix('/'), 'exact', { id: 'e#0', priority: 5 }),
    ] });
    expect(await pick(t, 'h', '/')).toBe('exact via priority');
  });
});

describe('schemes (frontend-entry-points)', () => {
  it('serves a route limited to https only over https', async () => {
    const t = table({ routers: [
      router('h', prefix('/'), 'secure', { id: 's#0', schemes: ['https'] }),
      router('h', prefix('/'), 'plain', { id: 'p#0', schemes: ['http'] }),
    ] });
    expect(await pick(t, 'h', '/', 'https')).toBe('secure via exact-host');
    expect(await pick(t, 'h', '/', 'http')).toBe('plain via exact-host');
  });
});

describe('large host groups (indexed rather than scanned)', () => {
  // Enough routes on one host that the group uses its maps; the answers must
  // be those of the same rules on a small, scanned group.
  const paths = ['/a', '/a/b', '/a/b/c', '/ab', '/abc/d', '/x', '/x/y', '/long/er/path', '/s', '/t', '/u', '/v', '/w'];
  const big = table({ routers: [
    ...paths.map((p, i) => router('big', prefix(p), `prefix${p}`, { id: `big#${i}` })),
    router('big', exact('/a/b'), 'exact/a/b', { id: 'big#e' }),
    router('big', stringPrefix('/abc'), 'string/abc', { id: 'big#s' }),
    router('big', prefix('/'), 'root', { id: 'big#r' }),
  ] });

  it.each([
    ['/a', 'prefix/a'],
    ['/a/', 'prefix/a'],
    ['/a/b', 'exact/a/b'],
    ['/a/b/', 'prefix/a/b'],
    ['/a/b/c/d', 'prefix/a/b/c'],
    ['/ab', 'prefix/ab'],
    ['/abc', 'string/abc'],
    ['/abc/d/e', 'prefix/abc/d'],
    ['/abcd', 'string/abc'],
    ['/long/er/path/x', 'prefix/long/er/path'],
    ['/long/er', 'root'],
    ['/zzz', 'root'],
  ])('%s → %s', async (path, service) => {
    expect((await pick(big, 'big', path)).split(' via ')[0]).toBe(service);
  });
});

describe('a default backend limited to one scheme', () => {
  it('does not answer requests of the other scheme', async () => {
    const t = table({ routers: [], defaultRouter: router('', prefix('/'), 'default', { id: 'd#default', schemes: ['https'] }) });
    expect(await pick(t, 'h', '/x', 'https')).toBe('default via default-backend');
    expect(await pick(t, 'h', '/x', 'http')).toBe('none');
  });
});
