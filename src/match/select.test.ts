import { describe, expect, it } from 'vitest';
import { exact, prefix, router, stringPrefix, table } from '../../test/unit/table-builders.ts';
import type { Table } from '../table/schema.ts';
import { MemoryTableStore } from '../store/store.ts';
import { selectRoute } from './select.ts';

async function pick(t: Table, host: string, path: string, scheme: 'http' | 'https' = 'http') {
  const lookup = await new MemoryTableStore(t).forHost(host);
  const selection = selectRoute(lookup.view, path, scheme);
  return selection ? `${selection.route.router.service} via ${selection.via}` : 'none';
}

describe('path precedence within a host (Ingress v1 semantics)', () => {
  const rules = table([
    router('a#0', { host: 'p', match: prefix('/foo'), to: 'foo-prefix' }),
    router('a#1', { host: 'p', match: prefix('/aaa/bbb'), to: 'aaa-bbb' }),
    router('a#2', { host: 'p', match: prefix('/aaa'), to: 'aaa' }),
    router('a#3', { host: 'm', match: prefix('/foo'), to: 'foo-prefix' }),
    router('a#4', { host: 'm', match: exact('/foo'), to: 'foo-exact' }),
    router('a#5', { host: 't', match: prefix('/aaa/bbb/'), to: 'aaa-bbb-slash' }),
    router('a#6', { host: 't', match: exact('/foo/'), to: 'foo-slash-exact' }),
    router('a#7', { host: 'r', match: prefix('/'), to: 'root' }),
  ]);

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
    const t = table([
      router('a#0', { host: 'h', match: stringPrefix('/api'), to: 'string' }),
      router('a#1', { host: 'h', match: prefix('/api'), to: 'element' }),
      router('a#2', { host: 'h', match: stringPrefix('/api/v1'), to: 'longer-string' }),
      router('a#3', { host: 'h', match: { type: 'any' }, to: 'pathless' }),
    ]);
    expect(await pick(t, 'h', '/api/x')).toBe('element via exact-host');
    expect(await pick(t, 'h', '/apix')).toBe('string via exact-host');
    expect(await pick(t, 'h', '/api/v1/users')).toBe('longer-string via exact-host');
    expect(await pick(t, 'h', '/other')).toBe('pathless via exact-host');
  });

  it('gives the older router the win on a full tie', async () => {
    const t = table([
      router('old#0', { host: 'h', match: prefix('/'), to: 'old' }),
      router('new#0', { host: 'h', match: prefix('/'), to: 'new' }),
    ]);
    expect(await pick(t, 'h', '/x')).toBe('old via exact-host');
  });
});

describe('host precedence', () => {
  const rules = table(
    [
      router('w#0', { host: '*.foo.com', match: prefix('/'), to: 'wildcard' }),
      router('e#0', { host: 'bar.foo.com', match: prefix('/api'), to: 'exact-host' }),
      router('n#0', { host: '', match: prefix('/'), to: 'hostless' }),
    ],
    router('d#default', { match: prefix('/'), to: 'default' }),
  );

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
    const t = table([router('e#0', { host: 'h', match: prefix('/api'), to: 'api' })]);
    expect(await pick(t, 'h', '/other')).toBe('none');
    expect(await pick(t, 'unknown', '/api')).toBe('none');
  });
});

describe('priority annotation', () => {
  it('ranks a prioritized route above every route of lower priority, whatever its host', async () => {
    const t = table([
      router('e#0', { host: 'h', match: prefix('/'), to: 'exact-host' }),
      router('n#0', { host: '', match: stringPrefix('/special'), priority: 10, to: 'hostless-10' }),
      router('w#0', { host: '*.x', match: prefix('/special'), priority: 20, to: 'wildcard-20' }),
    ]);
    expect(await pick(t, 'h', '/special/a')).toBe('hostless-10 via priority');
    expect(await pick(t, 'a.x', '/special')).toBe('wildcard-20 via priority');
    expect(await pick(t, 'h', '/plain')).toBe('exact-host via exact-host');
  });

  it('breaks equal priorities by host specificity', async () => {
    const t = table([
      router('n#0', { host: '', match: prefix('/'), priority: 5, to: 'hostless' }),
      router('e#0', { host: 'h', match: prefix('/'), priority: 5, to: 'exact' }),
    ]);
    expect(await pick(t, 'h', '/')).toBe('exact via priority');
  });
});

describe('schemes (frontend-entry-points)', () => {
  it('serves a route limited to https only over https', async () => {
    const t = table([
      router('s#0', { host: 'h', match: prefix('/'), schemes: ['https'], to: 'secure' }),
      router('p#0', { host: 'h', match: prefix('/'), schemes: ['http'], to: 'plain' }),
    ]);
    expect(await pick(t, 'h', '/', 'https')).toBe('secure via exact-host');
    expect(await pick(t, 'h', '/', 'http')).toBe('plain via exact-host');
  });
});

describe('large host groups (indexed rather than scanned)', () => {
  // Enough routes on one host that the group uses its maps; the answers must
  // be those of the same rules on a small, scanned group.
  const paths = ['/a', '/a/b', '/a/b/c', '/ab', '/abc/d', '/x', '/x/y', '/long/er/path', '/s', '/t', '/u', '/v', '/w'];
  const big = table([
    ...paths.map((p, i) => router(`big#${i}`, { host: 'big', match: prefix(p), to: `prefix${p}` })),
    router('big#e', { host: 'big', match: exact('/a/b'), to: 'exact/a/b' }),
    router('big#s', { host: 'big', match: stringPrefix('/abc'), to: 'string/abc' }),
    router('big#r', { host: 'big', match: prefix('/'), to: 'root' }),
  ]);

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
    const t = table([], router('d#default', { match: prefix('/'), schemes: ['https'], to: 'default' }));
    expect(await pick(t, 'h', '/x', 'https')).toBe('default via default-backend');
    expect(await pick(t, 'h', '/x', 'http')).toBe('none');
  });
});
