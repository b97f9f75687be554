/**
 * Gateway API matching: conditions, precedence and wildcard hosts, through
 * both table stores (compiled whole, and published as shards read back
 * through the sharded store), so the wire form is exercised too.
 *
 * Precedence as the HTTPRouteRule docs state it (gateway-api
 * apis/v1/httproute_types.go, `Matches`): "Exact" path match, "Prefix" path
 * match with the largest number of characters, method match, largest number
 * of header matches, largest number of query param matches; then the oldest
 * route, its namespace/name, and the first rule (the compiler's table order).
 */
import { describe, expect, it } from 'vitest';
import { exact, prefix, table } from '../../test/table-builders.ts';
import { POINTER_KEY } from '../storage/layout.ts';
import { buildPublication } from '../storage/publication.ts';
import { MemoryTableStore, type TableStore } from '../store/store.ts';
import { ShardedTableStore } from '../store/sharded-store.ts';
import type { PathMatch, Router, RouterConditions, Table } from '../table/schema.ts';
import { parseWireShard } from '../storage/wire.ts';
import { portOf } from './conditions.ts';
import { selectRoute } from './select.ts';
import { ShardIndex } from './shard-index.ts';

interface GatewaySpec {
  readonly host?: string;
  readonly match?: PathMatch;
  readonly conditions?: RouterConditions;
  /** Ingress-style wildcard (exactly one label) instead of Gateway's one or more. */
  readonly ingress?: boolean;
  readonly to: string;
}

/** A router as the Gateway compiler emits it: `origin`, and wildcards of one or more labels. */
function route(id: string, spec: GatewaySpec): Router {
  const host = spec.host ?? '';
  return {
    id,
    source: id.split('#')[0]!,
    ...(spec.ingress ? {} : { origin: 'httproute' as const }),
    host,
    ...(host.startsWith('*.') && !spec.ingress ? { hostWildcard: 'labels' as const } : {}),
    match: spec.match ?? prefix('/'),
    ...(spec.conditions ? { conditions: spec.conditions } : {}),
    priority: 0,
    middlewares: [],
    service: spec.to,
    passHostHeader: true,
  };
}

const fullRegex = (path: string): PathMatch => ({ type: 'full-regex', path });

async function shardedStore(t: Table): Promise<TableStore> {
  const publication = await buildPublication(t);
  const data = new Map(publication.values);
  data.set(POINTER_KEY, publication.pointer);
  return new ShardedTableStore({ get: async (key: string) => data.get(key) ?? null }, { refreshMs: 60_000 });
}

const STORES = [
  ['memory', async (t: Table): Promise<TableStore> => new MemoryTableStore(t)],
  ['sharded', shardedStore],
] as const;

interface Ask {
  readonly host?: string;
  readonly path?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly query?: string;
}

async function answer(store: TableStore, ask: Ask): Promise<string> {
  const host = ask.host ?? 'gw.example.com';
  const path = ask.path ?? '/';
  const request = new Request(`http://${host}${path}${ask.query ?? ''}`, { method: ask.method ?? 'GET', headers: ask.headers ?? {} });
  const lookup = await store.forHost(host);
  if (!lookup) return 'no table';
  const selection = selectRoute(lookup.view, path, 'http', request);
  if (!selection) return '404';
  const service = selection.route.service;
  return service.kind === 'servers' ? (service.target?.name ?? '?') : service.kind;
}

describe.each(STORES)('Gateway API matching (%s store)', (_name, storeOf) => {
  it('ranks Exact above Prefix, then the longer Prefix, whatever the conditions', async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/r#0.0', { host: 'gw.example.com', match: prefix('/foo'), conditions: { method: 'GET' }, to: 'prefix-get' }),
        route('ns/r#0.1', { host: 'gw.example.com', match: exact('/foo'), to: 'exact' }),
        route('ns/r#0.2', { host: 'gw.example.com', match: prefix('/foo/bar'), to: 'longer-prefix' }),
        route('ns/r#0.3', { host: 'gw.example.com', match: prefix('/'), conditions: { method: 'GET', headers: [{ name: 'a', type: 'exact', value: '1' }] }, to: 'root-conditioned' }),
      ] }),
    );
    expect(await answer(store, { path: '/foo' })).toBe('exact');
    expect(await answer(store, { path: '/foo/bar/baz', headers: { a: '1' } })).toBe('longer-prefix');
    expect(await answer(store, { path: '/foo/x' })).toBe('prefix-get');
    expect(await answer(store, { path: '/foo/x', method: 'POST' })).toBe('404');
    expect(await answer(store, { path: '/other', headers: { a: '1' } })).toBe('root-conditioned');
  });

  it('on equal paths ranks a method match, then more header matches, then more query matches, then table order', async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/a#0.0', { host: 'gw.example.com', to: 'plain-older' }),
        route('ns/b#0.0', { host: 'gw.example.com', conditions: { query: [{ name: 'q1', type: 'exact', value: 'x' }, { name: 'q2', type: 'exact', value: 'y' }] }, to: 'two-queries' }),
        route('ns/c#0.0', { host: 'gw.example.com', conditions: { headers: [{ name: 'h1', type: 'exact', value: 'x' }] }, to: 'one-header' }),
        route('ns/d#0.0', { host: 'gw.example.com', conditions: { headers: [{ name: 'h1', type: 'exact', value: 'x' }, { name: 'h2', type: 'exact', value: 'y' }] }, to: 'two-headers' }),
        route('ns/e#0.0', { host: 'gw.example.com', conditions: { method: 'POST' }, to: 'method' }),
        route('ns/f#0.0', { host: 'gw.example.com', to: 'plain-younger' }),
      ] }),
    );
    const all = { method: 'POST', headers: { h1: 'x', h2: 'y' }, query: '?q1=x&q2=y' };
    expect(await answer(store, all)).toBe('method');
    expect(await answer(store, { ...all, method: 'GET' })).toBe('two-headers');
    expect(await answer(store, { ...all, method: 'GET', headers: { h1: 'x' } })).toBe('one-header');
    // One header beats two query parameters: header count is compared first.
    expect(await answer(store, { method: 'GET', headers: { h1: 'x' }, query: '?q1=x&q2=y' })).toBe('one-header');
    expect(await answer(store, { method: 'GET', query: '?q1=x&q2=y' })).toBe('two-queries');
    // A failed condition falls through to the next candidate; unconditioned ties go to the older route.
    expect(await answer(store, { method: 'GET', query: '?q1=x' })).toBe('plain-older');
  });

  it('compares header names case-insensitively and values case-sensitively, regexes against the whole value', async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/r#0.0', { host: 'gw.example.com', conditions: { headers: [{ name: 'version', type: 'exact', value: 'One' }] }, to: 'exact-value' }),
        route('ns/r#1.0', { host: 'gw.example.com', conditions: { headers: [{ name: 'build', type: 'regex', value: 'v[0-9]' }] }, to: 'regex-value' }),
        route('ns/r#2.0', { host: 'gw.example.com', to: 'fallback' }),
      ] }),
    );
    expect(await answer(store, { headers: { VERSION: 'One' } })).toBe('exact-value');
    expect(await answer(store, { headers: { version: 'one' } })).toBe('fallback');
    expect(await answer(store, { headers: { Build: 'v7' } })).toBe('regex-value');
    expect(await answer(store, { headers: { build: 'v77' } })).toBe('fallback');
    expect(await answer(store, { headers: { build: 'xv7' } })).toBe('fallback');
  });

  it('matches query parameters by exact, case-sensitive name against their first value', async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/r#0.0', { host: 'gw.example.com', conditions: { query: [{ name: 'animal', type: 'exact', value: 'whale' }] }, to: 'whale' }),
        route('ns/r#1.0', { host: 'gw.example.com', conditions: { query: [{ name: 'color', type: 'regex', value: 'bl(ue|ack)' }] }, to: 'dark' }),
        route('ns/r#2.0', { host: 'gw.example.com', to: 'fallback' }),
      ] }),
    );
    expect(await answer(store, { query: '?animal=whale' })).toBe('whale');
    expect(await answer(store, { query: '?animal=whale&animal=dolphin' })).toBe('whale');
    expect(await answer(store, { query: '?animal=dolphin&animal=whale' })).toBe('fallback');
    expect(await answer(store, { query: '?ANIMAL=whale' })).toBe('fallback');
    expect(await answer(store, { query: '?animal=whale%20' })).toBe('fallback');
    expect(await answer(store, { query: '?color=black' })).toBe('dark');
    expect(await answer(store, { query: '?color=blueish' })).toBe('fallback');
  });

  it('matches RegularExpression paths against the whole path, case-sensitively', async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/r#0.0', { host: 'gw.example.com', match: fullRegex('/v[0-9]+/items'), to: 'regex' }),
        route('ns/r#1.0', { host: 'gw.example.com', match: prefix('/'), to: 'root' }),
      ] }),
    );
    expect(await answer(store, { path: '/v2/items' })).toBe('regex');
    expect(await answer(store, { path: '/v2/items/1' })).toBe('root');
    expect(await answer(store, { path: '/V2/items' })).toBe('root');
    expect(await answer(store, { path: '/x/v2/items' })).toBe('root');
  });

  it('lets a Gateway wildcard cover one or more labels, the longest suffix first, an exact host above both', async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/wide#0.0', { host: '*.example.com', to: 'wide' }),
        route('ns/narrow#0.0', { host: '*.b.example.com', match: exact('/only'), to: 'narrow' }),
        route('ns/exact#0.0', { host: 'x.b.example.com', to: 'exact-host' }),
        route('ns/ingress#0.0', { host: '*.example.org', ingress: true, to: 'ingress-wildcard' }),
        route('ns/any#0.0', { to: 'host-less' }),
      ] }),
    );
    expect(await answer(store, { host: 'a.example.com' })).toBe('wide');
    expect(await answer(store, { host: 'a.b.c.example.com' })).toBe('wide');
    expect(await answer(store, { host: 'y.b.example.com', path: '/only' })).toBe('narrow');
    // The nearest wildcard decides alone: its paths not matching is a 404, not a fall-through to *.example.com.
    expect(await answer(store, { host: 'y.b.example.com', path: '/other' })).toBe('404');
    expect(await answer(store, { host: 'x.b.example.com', path: '/only' })).toBe('exact-host');
    expect(await answer(store, { host: 'a.example.org' })).toBe('ingress-wildcard');
    expect(await answer(store, { host: 'a.b.example.org' })).toBe('host-less');
    expect(await answer(store, { host: 'example.com' })).toBe('host-less');
  });

  it('keeps falling through conditioned routes in a group too large to scan by default', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      route(`ns/r#${i}.0`, { host: 'gw.example.com', match: prefix(`/p${i}`), conditions: { headers: [{ name: 'tenant', type: 'exact', value: `t${i}` }] }, to: `tenant-${i}` }),
    );
    const store = await storeOf(table({ routers: [...many, route('ns/r#99.0', { host: 'gw.example.com', match: prefix('/p7'), to: 'p7-open' })] }));
    expect(await answer(store, { path: '/p7/x', headers: { tenant: 't7' } })).toBe('tenant-7');
    expect(await answer(store, { path: '/p7/x', headers: { tenant: 't8' } })).toBe('p7-open');
    expect(await answer(store, { path: '/p8', headers: { tenant: 't7' } })).toBe('404');
  });

  it('ranks indexed routes without conditions against conditioned ones in a large group', async () => {
    const plain = Array.from({ length: 20 }, (_, i) => route(`ns/plain#${i}.0`, { host: 'gw.example.com', match: prefix(`/plain${i}`), to: `plain-${i}` }));
    const store = await storeOf(
      table({
        routers: [
          ...plain,
          route('ns/c#0.0', { host: 'gw.example.com', match: prefix('/plain3'), conditions: { method: 'GET' }, to: 'get-plain3' }),
          route('ns/c#1.0', { host: 'gw.example.com', match: prefix('/'), conditions: { method: 'DELETE' }, to: 'delete-anywhere' }),
          route('ns/c#2.0', { host: 'gw.example.com', match: exact('/plain5/x'), conditions: { query: [{ name: 'v', type: 'exact', value: '1' }] }, to: 'exact-with-query' }),
        ],
      }),
    );
    // Equal paths: the method match ranks first; without it, the indexed route.
    expect(await answer(store, { path: '/plain3/a' })).toBe('get-plain3');
    expect(await answer(store, { path: '/plain3/a', method: 'POST' })).toBe('plain-3');
    // A longer indexed path beats a conditioned shorter one; a conditioned route is found where nothing indexed matches.
    expect(await answer(store, { path: '/plain4', method: 'DELETE' })).toBe('plain-4');
    expect(await answer(store, { path: '/elsewhere', method: 'DELETE' })).toBe('delete-anywhere');
    expect(await answer(store, { path: '/plain5/x', query: '?v=1' })).toBe('exact-with-query');
    expect(await answer(store, { path: '/plain5/x', query: '?v=2' })).toBe('plain-5');
  });
});

describe('wildcards of one or more labels across many buckets', () => {
  it('reads the bucket of each shorter suffix until one holds a wildcard covering the host', async () => {
    const hosts = Array.from({ length: 3000 }, (_, i) => route(`ns/h${i}#0.0`, { host: `h${i}.example.net`, to: `host-${i}` }));
    const t = table({
      routers: [...hosts, route('ns/wide#0.0', { host: '*.example.com', to: 'wide' }), route('ns/narrow#0.0', { host: '*.b.example.com', to: 'narrow' })],
    });
    const publication = await buildPublication(t);
    expect(publication.bucketCount).toBeGreaterThan(1);
    const store = await shardedStore(t);
    expect(await answer(store, { host: 'x.y.b.example.com' })).toBe('narrow');
    expect(await answer(store, { host: 'x.y.z.example.com' })).toBe('wide');
    expect(await answer(store, { host: 'h7.example.net' })).toBe('host-7');
    expect(await answer(store, { host: 'x.h7.example.net' })).toBe('404');
  });
});

describe.each(STORES)('the edge port (%s store)', (_name, storeOf) => {
  it("matches the request URL's port, else the scheme's default port", async () => {
    const store = await storeOf(
      table({ routers: [
        route('ns/v1#0.0@80', { host: 'gw.example.com', conditions: { port: 80 }, to: 'port-80' }),
        route('ns/v2#0.0@8080', { host: 'gw.example.com', conditions: { port: 8080 }, to: 'port-8080' }),
        route('ns/v3#0.0@443', { host: 'gw.example.com', match: prefix('/tls'), conditions: { port: 443, method: 'GET' }, to: 'port-443' }),
      ] }),
    );
    const lookup = await store.forHost('gw.example.com');
    const to = (url: string, scheme: 'http' | 'https' = 'http') => {
      const path = new URL(url).pathname;
      const service = selectRoute(lookup!.view, path, scheme, new Request(url))?.route.service;
      return service?.kind === 'servers' ? service.target?.name : '404';
    };
    expect(to('http://gw.example.com/')).toBe('port-80');
    expect(to('http://gw.example.com:8080/')).toBe('port-8080');
    expect(to('http://gw.example.com:8090/')).toBe('404');
    expect(to('https://gw.example.com/tls', 'https')).toBe('port-443');
    // Behind a proxy that says the request was HTTPS (X-Forwarded-Proto), a URL without a port means 443.
    expect(to('http://gw.example.com/tls', 'https')).toBe('port-443');
    expect(to('http://gw.example.com/tls')).toBe('port-80');
  });
});

describe('portOf', () => {
  it('reads the port after the host, never one inside an IPv6 address, the path or the query', () => {
    expect(portOf('http://a.example:8080/x:9', 'http')).toBe(8080);
    expect(portOf('http://a.example/x:9?y=:7', 'http')).toBe(80);
    expect(portOf('http://[::1]/', 'https')).toBe(443);
    expect(portOf('http://[::1]:2052/', 'http')).toBe(2052);
    expect(portOf('https://a.example', undefined)).toBe(443);
  });
});

describe('conditions without a request', () => {
  it('never match, so a caller that cannot say what was sent gets the unconditioned route', async () => {
    const store = new MemoryTableStore(
      table({ routers: [
        route('ns/r#0.0', { host: 'gw.example.com', conditions: { method: 'GET' }, to: 'get' }),
        route('ns/r#1.0', { host: 'gw.example.com', to: 'any' }),
      ] }),
    );
    const lookup = await store.forHost('gw.example.com');
    expect(selectRoute(lookup.view, '/', 'http')?.route.router.service).toBe('any');
  });
});

describe('tables the matcher refuses', () => {
  it('refuses a condition regex the linear-time engine cannot run, naming the router', () => {
    const broken = table({ routers: [route('ns/r#0.0', { host: 'gw.example.com', conditions: { headers: [{ name: 'x', type: 'regex', value: '(a' }] }, to: 'a' })] });
    expect(() => new MemoryTableStore(broken)).toThrow(/router ns\/r#0\.0: condition regex "\(a" does not compile/);
  });

  it('refuses a shard whose weighted member names a middleware it does not carry', () => {
    const shard = {
      schema: 1,
      services: [{ weighted: [[1, 1, [5]]] }, ['test/a:80', '80|10.0.0.1']],
      middlewares: [],
      groups: [['gw.example.com', 'ns/r', [0, 'p/', 0]]],
    };
    expect(() => new ShardIndex(parseWireShard(shard)!)).toThrow(/unknown middleware m5/);
  });
});
