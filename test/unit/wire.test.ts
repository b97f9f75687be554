// The stored shard form must carry everything the worker uses: every golden
// table, encoded and decoded, resolves to the same routers, middlewares and
// services (ids and pod names aside).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TableSchema, type Service, type Table } from '../../src/table/schema.ts';
import { checkManifest, checkPointer } from '../../src/storage/layout.ts';
import { ManifestSchema, PointerSchema } from '../../src/storage/layout-schema.ts';
import { checkWireShard } from '../../src/storage/wire-check.ts';
import { MiddlewareSchema } from '../../src/table/middleware.ts';
import { renameMiddlewareServices } from '../../src/table/middleware-refs.ts';
import { decodeShard, encodeShard } from '../../src/storage/wire.ts';
import { WireShardSchema } from '../../src/storage/wire-schema.ts';

const FIXTURES = new URL('../compile/fixtures/', import.meta.url);
/**
 * A table with every Gateway API addition (conditions, full-regex paths,
 * wildcards of one or more labels, status services, member middlewares, a
 * mirror's service), as the Gateway compiler would emit them.
 */
const GATEWAY_TABLE: Table = TableSchema.parse({
  schema: 1,
  routers: [
    {
      id: 'shop/web#0.0', source: 'shop/web', origin: 'httproute', host: '*.example.com', hostWildcard: 'labels',
      match: { type: 'prefix', path: '/api' },
      conditions: { method: 'GET', headers: [{ name: 'version', type: 'exact', value: 'two' }, { name: 'env', type: 'regex', value: 'can(ary)?' }], query: [{ name: 'q', type: 'regex', value: '[0-9]+' }], port: 8080 },
      priority: 0, middlewares: ['hm', 'mirror'], service: 'split', passHostHeader: true,
    },
    { id: 'shop/web#1.0', source: 'shop/web', origin: 'httproute', host: 'shop.example.com', match: { type: 'full-regex', path: '/v[0-9]+/.*' }, priority: 0, middlewares: ['rewrite'], service: 'broken', passHostHeader: true },
    { id: 'shop/web#2.0', source: 'shop/web', origin: 'httproute', host: 'shop.example.com', match: { type: 'exact', path: '/old' }, priority: 0, middlewares: ['moved'], service: 'broken', passHostHeader: true },
    { id: 'infra/edge#isolation@abc.example.com', source: 'infra/edge', origin: 'httproute', host: 'abc.example.com', match: { type: 'any' }, priority: 0, middlewares: [], service: 'isolated', passHostHeader: true },
  ],
  middlewares: {
    hm: { kind: 'header-modifier', phase: 'request', set: [['X-Env', 'prod']], add: [['X-Tag', 'a']], remove: ['x-debug'] },
    mirror: { kind: 'request-mirror', service: 'shadow', percent: 50 },
    rewrite: { kind: 'replace-prefix', prefix: '/v1', value: '' },
    moved: { kind: 'gateway-redirect', scheme: 'https', hostname: 'new.example.com', path: { type: 'prefix', prefix: '/old', value: '/new' }, status: 301 },
    member: { kind: 'header-modifier', phase: 'response', set: [], add: [], remove: ['server'] },
  },
  services: {
    split: { kind: 'weighted', services: [{ service: 'blue', weight: 3, middlewares: ['member'] }, { service: 'broken', weight: 1 }] },
    blue: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'blue', port: 80 }, servers: [{ address: '10.0.0.1:8080', weight: 1 }] },
    shadow: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'shadow', port: 80 }, servers: [{ address: '10.0.0.2:8080', weight: 1 }] },
    broken: { kind: 'status', status: 500, reason: 'backendRef shop/missing: Service not found' },
    isolated: { kind: 'status', status: 404, reason: 'listener isolation' },
  },
});

const tables = [
  ...readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.expected.json'))
    .map((file) => [file, TableSchema.parse(JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')).table)] as const),
  ['gateway table', GATEWAY_TABLE] as const,
];

/** A table's meaning: each router with its references resolved, ids and pod names left out. */
function meaning(table: Table) {
  const service = (id: string): unknown => {
    const s: Service = table.services[id]!;
    if (s.kind === 'status') return s;
    return s.kind === 'weighted'
      ? { weighted: s.services.map((m) => ({ weight: m.weight, service: service(m.service), middlewares: m.middlewares?.map((id) => table.middlewares[id]) })) }
      : { ...s, servers: s.servers.map(({ address, weight }) => ({ address, weight })) };
  };
  const router = (r: Table['routers'][number]) => ({
    ...r,
    schemes: r.schemes?.length === 2 ? undefined : r.schemes,
    // A middleware's service references (error pages) compare by what the service is.
    middlewares: r.middlewares.map((id) => renameMiddlewareServices(table.middlewares[id]!, (ref) => JSON.stringify(service(ref)))),
    service: service(r.service),
  });
  return { routers: table.routers.map(router), defaultRouter: table.defaultRouter && router(table.defaultRouter) };
}

describe('wire form of shards', () => {
  it.each(tables)('%s survives encoding', (_, table) => {
    const decoded = decodeShard(JSON.parse(encodeShard(table)));
    expect(decoded).toBeDefined();
    expect(meaning(decoded!)).toEqual(meaning(table));
  });

  it('decodes the Gateway API additions to a table the schema accepts', () => {
    const decoded = decodeShard(JSON.parse(encodeShard(GATEWAY_TABLE)));
    expect(TableSchema.safeParse(decoded).success).toBe(true);
    expect(decoded?.routers.map((router) => [router.origin, router.hostWildcard, router.match.type, router.conditions?.headers?.length, router.conditions?.port])).toEqual([
      ['httproute', 'labels', 'prefix', 2, 8080],
      ['httproute', undefined, 'full-regex', undefined, undefined],
      ['httproute', undefined, 'exact', undefined, undefined],
      ['httproute', undefined, 'any', undefined, undefined],
    ]);
    expect(decoded?.services[decoded.routers[3]!.service]).toEqual({ kind: 'status', status: 404, reason: 'listener isolation' });
  });

  it('encodes a router without Gateway API fields exactly as before they existed', () => {
    const ingress: Table = {
      ...GATEWAY_TABLE,
      routers: [{ id: 'shop/web#0.0', source: 'shop/web', host: 'shop.example.com', match: { type: 'prefix', path: '/' }, priority: 0, middlewares: [], service: 'blue', passHostHeader: true }],
    };
    expect(JSON.parse(encodeShard(ingress)).groups).toEqual([['shop.example.com', 'shop/web', [0, 'p/', 0]]]);
  });

  it('is refused when a tuple is malformed or refers outside the shard', () => {
    const [, table] = tables.find(([, t]) => t.routers.length > 0)!;
    const wire = JSON.parse(encodeShard(table));
    expect(decodeShard({ ...wire, schema: 2 })).toBeUndefined();
    expect(decodeShard({ ...wire, groups: [['UPPER.case', 'ns/x', ['0.0', 'p', '/', 0]]] })).toBeUndefined();
    expect(decodeShard({ ...wire, groups: [['a.b', 'ns/x', ['0.0', 'p', 'no-slash', 0]]] })).toBeUndefined();
    expect(decodeShard({ ...wire, groups: [['a.b', 'ns/x', ['0.0', 'q', '/', 0]]] })).toBeUndefined();
  });
});

/** The worker's checks of a shard: structure by hand, then each middleware entry with zod when first used. */
function workerAccepts(value: unknown): boolean {
  const shard = checkWireShard(value);
  return shard !== undefined && shard.middlewares.every((entry) => MiddlewareSchema.safeParse(entry).success);
}

describe('the hand-written shard checker agrees with the wire schema', () => {
  /** Every way of replacing one value inside `value` by a wrong one. */
  function* mutations(value: unknown, replace: (next: unknown) => unknown = (next) => next): Generator<unknown> {
    for (const bad of [null, -1, 1.5, '', 'x', [], {}, true, 'p/x', '80|a']) yield replace(bad);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        yield* mutations(value[i], (next) => replace(value.map((item, j) => (j === i ? next : item))));
      }
      yield replace([...value, 'extra']);
    } else if (value && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        yield* mutations((value as Record<string, unknown>)[key], (next) => replace({ ...value, [key]: next }));
      }
    }
  }

  it.each(tables.filter(([, t]) => t.routers.length > 0))('%s and every one-value mutation of it', (_, table) => {
    const wire: unknown = JSON.parse(encodeShard(table));
    let checked = 0;
    for (const candidate of [wire, ...mutations(wire)]) {
      expect(workerAccepts(candidate)).toBe(WireShardSchema.safeParse(candidate).success);
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });
});

describe('pointer and manifest checks agree with their schemas', () => {
  const pointer = { schema: 1, version: 'abc', manifest: 'edgress/manifest/abc' };
  const manifest = { schema: 1, buckets: ['edgress/shard/a', null], anyHost: null, wildcards: false };
  it.each([
    pointer,
    { ...pointer, schema: 1.5 },
    { ...pointer, version: '' },
    { ...pointer, manifest: 'elsewhere' },
    null,
    [],
  ])('pointer %j', (value) => expect(checkPointer(value) !== undefined).toBe(PointerSchema.safeParse(value).success));
  it.each([
    manifest,
    { ...manifest, buckets: ['edgress/shard/a', null, null] },
    { ...manifest, buckets: [] },
    { ...manifest, buckets: ['x', null] },
    { ...manifest, anyHost: 'edgress/shard/b' },
    { ...manifest, anyHost: 'x' },
    { ...manifest, wildcards: 'yes' },
    { ...manifest, wildcards: true, deepWildcards: true },
    { ...manifest, wildcards: true, deepWildcards: false },
    { ...manifest, schema: '1' },
  ])('manifest %j', (value) => expect(checkManifest(value) !== undefined).toBe(ManifestSchema.safeParse(value).success));
});
