// The table kinds the ingress-nginx dialect added, inside workerd: the
// `regex` path match, `cors`, `canary`, `upstream-host`, `upstream-timeout`,
// redirect `status`, the deny list and rate-limit's 503 with exemptions.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  cors: {
    kind: 'cors', origins: ['https://app.example.com'], methods: 'GET, POST', headers: 'X-Foo', exposeHeaders: 'X-Bar', credentials: true, maxAge: 60,
  },
  canary: { kind: 'canary', service: 'b', header: 'X-Canary', cookie: 'canary', weight: 0, total: 100 },
  vhost: { kind: 'upstream-host', host: 'internal.example.svc' },
  timeout: { kind: 'upstream-timeout', ms: 200 },
  'redirect-303': {
    kind: 'redirect', permanent: false, status: 303, to: { type: 'regex', regex: { source: '^.*$', flags: '' }, replacement: ['https://elsewhere.example.com/'] },
  },
  denied: { kind: 'ip-allow-list', deny: true, ranges: ['198.51.100.0/24'], useXForwardedFor: false },
  limited: { kind: 'rate-limit', extractor: { type: 'client.ip' }, rates: [{ periodMs: 60_000, average: 1, burst: 1 }], status: 503, exempt: ['203.0.113.0/24'] },
};

beforeAll(async () => {
  await publish(
    table({
      routers: [
        router('regex.example.com', { type: 'regex', path: '/api/v[0-9]+/' }, 'b'),
        router('regex.example.com', { type: 'prefix', path: '/' }, 'a'),
        router('cors.example.com', '/', 'a', { middlewares: ['cors'] }),
        router('canary.example.com', '/', 'a', { middlewares: ['canary'] }),
        router('vhost.example.com', '/', 'a', { middlewares: ['vhost'] }),
        router('timeout.example.com', '/', 'a', { middlewares: ['timeout'] }),
        router('redirect.example.com', '/', 'a', { middlewares: ['redirect-303'] }),
        router('deny.example.com', '/', 'a', { middlewares: ['denied'] }),
        router('limited.example.com', '/', 'a', { middlewares: ['limited'] }),
      ],
      middlewares,
      services: { a: echoPool('a'), b: echoPool('b') },
    }),
  );
});

const name = async (url: string, init?: RequestInit) => (await echoOf(await send(url, init))).name;

describe('regex path match', () => {
  it('matches case-insensitively from the start, and ranks the longer rule first', async () => {
    expect(await name('http://regex.example.com/API/V2/users')).toBe('b');
    expect(await name('http://regex.example.com/x/api/v2/')).toBe('a');
  });
});

describe('cors', () => {
  it('answers an allowed preflight 204 with the configured headers', async () => {
    const response = await send('http://cors.example.com/', { method: 'OPTIONS', headers: { origin: 'https://app.example.com' } });
    expect(response.status).toBe(204);
    expect(Object.fromEntries([...response.headers].filter(([key]) => key.startsWith('access-control-')))).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'X-Foo',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'X-Bar',
      'access-control-max-age': '60',
    });
  });

  it('adds the headers to a pod response for an allowed origin only', async () => {
    expect((await send('http://cors.example.com/', { headers: { origin: 'https://app.example.com' } })).headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await send('http://cors.example.com/', { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await echoOf(other)).name).toBe('a');
  });
});

describe('canary', () => {
  it('sends to the canary service by header or cookie, else to the route service (weight 0)', async () => {
    expect(await name('http://canary.example.com/')).toBe('a');
    expect(await name('http://canary.example.com/', { headers: { 'x-canary': 'always' } })).toBe('b');
    expect(await name('http://canary.example.com/', { headers: { cookie: 'x=1; canary=always' } })).toBe('b');
    expect(await name('http://canary.example.com/', { headers: { 'x-canary': 'never', cookie: 'canary=always' } })).toBe('a');
  });
});

describe('upstream-host and upstream-timeout', () => {
  // The direct transport (these tests) cannot choose Host: the runtime takes it from the URL, as for passHostHeader.
  // test/e2e/ingress-nginx.test.ts checks upstream-vhost through edgress dev's relay, which can.
  it('keeps the endpoint address as Host over the direct transport, and still reaches the pod', async () => {
    const echo = await echoOf(await send('http://vhost.example.com/'));
    expect(echo.name).toBe('a');
    expect(echo.headers['x-forwarded-host']).toBe('vhost.example.com');
  });

  it('answers 504 when the pod is slower than the route timeout', async () => {
    expect((await send('http://timeout.example.com/', { headers: { 'x-echo-delay-ms': '1000' } })).status).toBe(504);
    expect((await send('http://timeout.example.com/', { headers: { 'x-echo-delay-ms': '20' } })).status).toBe(200);
  });
});

describe('redirect status, deny list, rate-limit 503', () => {
  it('answers a redirect with its fixed status for every method', async () => {
    const response = await send('http://redirect.example.com/x', { method: 'POST', redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://elsewhere.example.com/');
  });

  it('refuses a client in the deny list with 403 and lets others in', async () => {
    expect((await send('http://deny.example.com/', { headers: { 'cf-connecting-ip': '198.51.100.7' } })).status).toBe(403);
    expect((await send('http://deny.example.com/', { headers: { 'cf-connecting-ip': '192.0.2.7' } })).status).toBe(200);
  });

  it('answers 503 over the limit, and never limits an exempt client', async () => {
    const limited = { headers: { 'cf-connecting-ip': '192.0.2.8' } };
    expect((await send('http://limited.example.com/', limited)).status).toBe(200);
    expect((await send('http://limited.example.com/', limited)).status).toBe(503);
    const exempt = { headers: { 'cf-connecting-ip': '203.0.113.9' } };
    for (let i = 0; i < 3; i++) expect((await send('http://limited.example.com/', exempt)).status).toBe(200);
  });
});
