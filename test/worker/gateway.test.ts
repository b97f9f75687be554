// Gateway API routes inside workerd, as a client and the pods see them:
// conditions, header modifiers, redirects, prefix rewrites, status services,
// splits with per-member filters, and request mirroring. Expected values
// follow the HTTPRoute API (gateway-api apis/v1/httproute_types.go).
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware, Router, RouterConditions, Service } from '../../src/table/schema.ts';
import type { EdgeEnv } from '../../worker/base/env.ts';
import worker from '../../worker/index.ts';
import { pool, router, table } from '../table-builders.ts';
import { echoOf, echoPool, publish, send } from './helpers.ts';

/** A router as the Gateway compiler emits it. */
function gw(host: string, path: string, service: string, extra: Partial<Router> = {}, conditions?: RouterConditions): Router {
  return router(host, { type: 'prefix', path }, service, {
    origin: 'httproute',
    ...(host.startsWith('*.') ? { hostWildcard: 'labels' } : {}),
    ...(conditions ? { conditions } : {}),
    ...extra,
  });
}

const middlewares: Record<string, Middleware> = {
  'request-headers': { kind: 'header-modifier', phase: 'request', set: [['X-Set', 'set-value']], add: [['X-Tag', 'added']], remove: ['x-remove'] },
  'response-headers': { kind: 'header-modifier', phase: 'response', set: [['X-Served', 'edge']], add: [['X-Multi', 'second']], remove: ['x-echo-name'] },
  'member-a': { kind: 'header-modifier', phase: 'request', set: [['X-Member', 'a']], add: [], remove: [] },
  'member-response': { kind: 'header-modifier', phase: 'response', set: [['X-Backend', 'b']], add: [], remove: [] },
  'prefix-xyz': { kind: 'replace-prefix', prefix: '/foo', value: '/xyz' },
  'prefix-xyz-slash': { kind: 'replace-prefix', prefix: '/foo/', value: '/xyz/' },
  'prefix-root': { kind: 'replace-prefix', prefix: '/foo', value: '/' },
  'prefix-empty': { kind: 'replace-prefix', prefix: '/foo', value: '' },
  'to-https': { kind: 'gateway-redirect', scheme: 'https', status: 301 },
  'to-host-port': { kind: 'gateway-redirect', hostname: 'other.example.com', port: 8443, status: 302 },
  'to-http-80': { kind: 'gateway-redirect', scheme: 'http', port: 80, status: 307 },
  'to-full-path': { kind: 'gateway-redirect', path: { type: 'full', value: '/landing' }, status: 303 },
  'to-prefix': { kind: 'gateway-redirect', path: { type: 'prefix', prefix: '/old', value: '/new' }, status: 308 },
  mirror: { kind: 'request-mirror', service: 'shadow' },
};

const services: Record<string, Service> = {
  a: echoPool('a'),
  b: echoPool('b'),
  shadow: pool('shadow', ['shadow.invalid:9']),
  primary: pool('primary', ['primary.invalid:9']),
  broken: { kind: 'status', status: 500, reason: 'backendRef test/missing: Service not found' },
  'half-broken': { kind: 'weighted', services: [{ service: 'a', weight: 1 }, { service: 'broken', weight: 1 }] },
  'member-filters': { kind: 'weighted', services: [{ service: 'a', weight: 1, middlewares: ['member-a'] }, { service: 'b', weight: 1 }] },
  'member-response': { kind: 'weighted', services: [{ service: 'b', weight: 1, middlewares: ['member-response'] }] },
  'zero-weights': { kind: 'weighted', services: [{ service: 'a', weight: 0, middlewares: ['member-a'] }, { service: 'b', weight: 0 }] },
};

beforeAll(async () => {
  await publish(
    table({
      routers: [
        gw('cond.example.com', '/', 'a', {}, { headers: [{ name: 'version', type: 'exact', value: 'two' }] }),
        gw('cond.example.com', '/', 'b', {}, { method: 'POST' }),
        gw('cond.example.com', '/only-b', 'b'),
        gw('ports.example.com', '/', 'a', {}, { port: 8080 }),
        gw('ports.example.com', '/', 'b', {}, { port: 80 }),
        gw('ports.example.com', '/tls', 'a', {}, { port: 443 }),
        router('regex.example.com', { type: 'full-regex', path: '/v[0-9]+' }, 'a', { origin: 'httproute' }),
        gw('*.wild.example.com', '/', 'a'),
        gw('headers.example.com', '/', 'a', { middlewares: ['request-headers', 'response-headers'] }),
        gw('rewrite.example.com', '/foo', 'a', { middlewares: ['prefix-xyz'] }),
        gw('rewrite-slash.example.com', '/foo', 'a', { middlewares: ['prefix-xyz-slash'] }),
        gw('rewrite-root.example.com', '/foo', 'a', { middlewares: ['prefix-root'] }),
        gw('rewrite-empty.example.com', '/foo', 'a', { middlewares: ['prefix-empty'] }),
        gw('https.example.com', '/', 'a', { middlewares: ['to-https'] }),
        gw('hostport.example.com', '/', 'a', { middlewares: ['to-host-port'] }),
        gw('http80.example.com', '/', 'a', { middlewares: ['to-http-80'] }),
        gw('full.example.com', '/', 'a', { middlewares: ['to-full-path'] }),
        gw('prefix.example.com', '/old', 'a', { middlewares: ['to-prefix'] }),
        gw('broken.example.com', '/', 'broken'),
        gw('broken-edited.example.com', '/', 'broken', { middlewares: ['response-headers'] }),
        gw('half.example.com', '/', 'half-broken'),
        gw('members.example.com', '/', 'member-filters'),
        gw('zero.example.com', '/', 'zero-weights'),
        gw('member-response.example.com', '/', 'member-response'),
        gw('mirror.example.com', '/', 'primary', { middlewares: ['mirror'] }),
      ],
      middlewares,
      services,
    }),
  );
});

describe('matches with conditions', () => {
  it('routes by header and method, and falls through to the next rule when conditions do not hold', async () => {
    expect((await echoOf(await send('http://cond.example.com/x', { headers: { Version: 'two' } }))).name).toBe('a');
    expect((await echoOf(await send('http://cond.example.com/x', { method: 'POST' }))).name).toBe('b');
    // A method match ranks above a header match (HTTPRouteRule precedence): a POST with the header goes to b.
    expect((await echoOf(await send('http://cond.example.com/x', { method: 'POST', headers: { version: 'two' } }))).name).toBe('b');
    expect((await send('http://cond.example.com/x', { headers: { version: 'three' } })).status).toBe(404);
    expect((await echoOf(await send('http://cond.example.com/only-b/1', { headers: { version: 'two' } }))).name).toBe('b');
  });

  it('routes by the port the client reached the edge on, 80 or 443 when the URL names none', async () => {
    expect((await echoOf(await send('http://ports.example.com:8080/'))).name).toBe('a');
    expect((await echoOf(await send('http://ports.example.com/'))).name).toBe('b');
    expect((await send('http://ports.example.com:8880/')).status).toBe(404);
    expect((await echoOf(await send('https://ports.example.com/tls'))).name).toBe('a');
    expect((await send('https://ports.example.com:8443/tls')).status).toBe(404);
  });

  it('matches RegularExpression paths whole and wildcard hosts at any depth', async () => {
    expect((await send('http://regex.example.com/v12')).status).toBe(200);
    expect((await send('http://regex.example.com/v12/x')).status).toBe(404);
    expect((await echoOf(await send('http://x.y.wild.example.com/'))).name).toBe('a');
  });
});

describe('header-modifier', () => {
  it('sets, appends and removes request headers, and edits the response the client gets', async () => {
    const response = await send('http://headers.example.com/', {
      headers: { 'x-set': 'client', 'x-tag': 'client', 'x-remove': 'gone', 'x-echo-response-headers': JSON.stringify({ 'x-multi': 'first' }) },
    });
    const echo = await echoOf(response);
    expect(echo.headers['x-set']).toBe('set-value');
    expect(echo.headers['x-tag']).toBe('client, added');
    expect(echo.headers['x-remove']).toBeUndefined();
    expect(response.headers.get('x-served')).toBe('edge');
    expect(response.headers.get('x-multi')).toBe('first, second');
    expect(response.headers.get('x-echo-name')).toBeNull();
  });
});

describe('replace-prefix (the ReplacePrefixMatch table)', () => {
  it.each([
    ['rewrite', '/foo/bar', '/xyz/bar'],
    ['rewrite', '/foo', '/xyz'],
    ['rewrite', '/foo/', '/xyz/'],
    ['rewrite-slash', '/foo/bar', '/xyz/bar'],
    ['rewrite-root', '/foo/bar', '/bar'],
    ['rewrite-root', '/foo', '/'],
    ['rewrite-root', '/foo/', '/'],
    ['rewrite-empty', '/foo/bar', '/bar'],
    ['rewrite-empty', '/foo', '/'],
    ['rewrite', '/foo/bar?q=1', '/xyz/bar?q=1'],
  ])('%s: %s reaches the pod as %s', async (host, path, seen) => {
    expect((await echoOf(await send(`http://${host}.example.com${path}`))).url).toBe(seen);
  });
});

describe('gateway-redirect', () => {
  it.each([
    ['http://https.example.com/a?b=1', 301, 'https://https.example.com/a?b=1'],
    ['http://https.example.com:8080/a', 301, 'https://https.example.com/a'],
    ['http://hostport.example.com/a', 302, 'http://other.example.com:8443/a'],
    ['https://http80.example.com/a', 307, 'http://http80.example.com/a'],
    ['http://full.example.com:8080/deep/path?x=1', 303, 'http://full.example.com:8080/landing?x=1'],
    ['http://prefix.example.com/old/page', 308, 'http://prefix.example.com/new/page'],
    ['http://prefix.example.com/old', 308, 'http://prefix.example.com/new'],
  ])('%s → %i %s', async (url, status, location) => {
    const response = await send(url, { redirect: 'manual' });
    expect(response.status).toBe(status);
    expect(response.headers.get('location')).toBe(location);
  });
});

describe('status services and splits', () => {
  it('answers 500 for an unusable backendRef without telling the client why', async () => {
    const response = await send('http://broken.example.com/');
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('Service not found');
  });

  it("edits the edge's own 500 with the route's response filter, as any answer the client gets", async () => {
    const response = await send('http://broken-edited.example.com/');
    expect(response.status).toBe(500);
    expect(response.headers.get('x-served')).toBe('edge');
  });

  it('answers 500 for the unusable share of a split and serves the rest', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await send('http://half.example.com/')).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 500)).toHaveLength(3);
  });

  it("runs a member's filters only when that member is picked", async () => {
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const echo = await echoOf(await send('http://members.example.com/'));
      seen.push(`${echo.name}:${echo.headers['x-member'] ?? '-'}`);
    }
    expect(seen.sort()).toEqual(['a:a', 'a:a', 'b:-', 'b:-']);
  });

  it("edits the pod's response with a backendRef's response filter on a route without filters of its own", async () => {
    const response = await send('http://member-response.example.com/');
    expect(response.headers.get('x-backend')).toBe('b');
    expect((await echoOf(response)).name).toBe('b');
  });

  it('answers 500 when every backendRef has weight 0', async () => {
    expect((await send('http://zero.example.com/')).status).toBe(500);
  });
});

describe('request-mirror', () => {
  /** A relay standing in for the transport: records where each request went; the mirror's endpoint answers only when released. */
  function recordingRelay() {
    const sent: { endpoint: string; method: string; url: string; body: string; tag: string | null }[] = [];
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const relay = {
      async fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
        const request = new Request(input, init);
        const endpoint = request.headers.get('x-edgress-endpoint') ?? '';
        const body = await request.text();
        sent.push({ endpoint, method: request.method, url: new URL(request.url).pathname, body, tag: request.headers.get('x-tag') });
        if (endpoint.includes('shadow')) await released;
        return new Response(`answered by ${endpoint}`, { status: endpoint.includes('shadow') ? 503 : 200 });
      },
    } as unknown as Fetcher;
    return { relay, sent, release };
  }

  it('sends a copy with the body to the mirror through the same transport, without delaying or changing the response', async () => {
    const { relay, sent, release } = recordingRelay();
    const context = createExecutionContext();
    const overrides: Partial<EdgeEnv> = { TRANSPORT: 'dev-relay', DEV_RELAY: relay };
    const response = await worker.fetch(
      new Request('http://mirror.example.com/orders?id=7', { method: 'POST', body: 'order body', headers: { 'x-tag': 'client' } }),
      { ...env, ...overrides } as EdgeEnv,
      context,
    );
    // The mirror's endpoint has not answered yet, and its 503 never reaches the client.
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('answered by http://primary.invalid:9');
    release();
    await waitOnExecutionContext(context);
    expect(sent.map(({ endpoint, method, url, body, tag }) => ({ endpoint, method, url, body, tag })).sort((x, y) => x.endpoint.localeCompare(y.endpoint))).toEqual([
      { endpoint: 'http://primary.invalid:9', method: 'POST', url: '/orders', body: 'order body', tag: 'client' },
      { endpoint: 'http://shadow.invalid:9', method: 'POST', url: '/orders', body: 'order body', tag: 'client' },
    ]);
  });

  it('mirrors a body-less GET without a body', async () => {
    const { relay, sent, release } = recordingRelay();
    release();
    const context = createExecutionContext();
    const response = await worker.fetch(new Request('http://mirror.example.com/list'), { ...env, TRANSPORT: 'dev-relay', DEV_RELAY: relay } as EdgeEnv, context);
    expect(response.status).toBe(200);
    await waitOnExecutionContext(context);
    expect(sent.map(({ endpoint, body }) => `${endpoint} ${JSON.stringify(body)}`).sort()).toEqual(['http://primary.invalid:9 ""', 'http://shadow.invalid:9 ""']);
  });
});

