import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, expectEdgeText, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  'deny-403': { kind: 'deny', status: 403, reason: 'invalid whitelist-source-range' },
  'deny-404': { kind: 'deny', status: 404, reason: 'invalid auth configuration' },
  'deny-503': { kind: 'deny', status: 503, reason: 'circuit breaker expression' },
  'strip-api': { kind: 'strip-prefix', prefix: '/api' },
  'strip-cafe': { kind: 'strip-prefix', prefix: '/café' },
  'replace-new': { kind: 'replace-path', path: '/new' },
  'replace-bad': { kind: 'replace-path', path: '/x?admin=1' },
};

beforeAll(async () => {
  const on = (path: string, ids: string[], match: 'prefix' | 'string-prefix' = 'prefix') =>
    router('shop.example.com', { type: match, path }, 'web', { middlewares: ids });
  await publish(
    table({
      routers: [
        on('/forbidden', ['deny-403']),
        on('/hidden', ['deny-404']),
        on('/down', ['deny-503']),
        on('/api', ['strip-api']),
        on('/apistr', ['strip-api'], 'string-prefix'),
        // Rule paths are stored as the matcher compares them: percent-encoded.
        on('/caf%C3%A9', ['strip-cafe']),
        on('/old', ['replace-new']),
        on('/both', ['strip-api', 'replace-new']),
        on('/api/then', ['strip-api', 'replace-new']),
        on('/broken', ['replace-bad']),
        on('/', []),
      ],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

describe('deny', () => {
  it.each([
    ['/forbidden/x', 403, 'Forbidden'],
    ['/hidden', 404, '404 page not found'],
    ['/down', 503, 'Service Unavailable'],
  ])('%s answers %i without reaching the pod', async (path, status, text) => {
    await expectEdgeText(await send(`http://shop.example.com${path}`), status, text);
  });
});

describe('strip-prefix', () => {
  it('removes the prefix, keeps the query, and says what it removed', async () => {
    const echo = await echoOf(await send('http://shop.example.com/api/v1/items?x=1', { headers: { 'X-Forwarded-Prefix': '/evil' } }));
    expect(echo.url).toBe('/v1/items?x=1');
    expect(echo.headers['x-forwarded-prefix']).toBe('/api');
  });

  it('leaves / when the whole path was the prefix', async () => {
    expect((await echoOf(await send('http://shop.example.com/api'))).url).toBe('/');
    expect((await echoOf(await send('http://shop.example.com/api?q'))).url).toBe('/?q');
  });

  it('strips a string prefix inside a path element, as Traefik does', async () => {
    expect((await echoOf(await send('http://shop.example.com/apistr/x'))).url).toBe('/str/x');
  });

  it('compares a configured prefix in the encoded form the path arrives in', async () => {
    const echo = await echoOf(await send('http://shop.example.com/café/menu'));
    expect(echo.url).toBe('/menu');
    expect(echo.headers['x-forwarded-prefix']).toBe('/caf%C3%A9');
  });

  it('answers 404 when the path no longer starts with the prefix', async () => {
    await expectEdgeText(await send('http://shop.example.com/both/x'), 404, '404 page not found');
  });
});

describe('replace-path', () => {
  it('replaces the path, keeps the query and sends the replaced path', async () => {
    const echo = await echoOf(await send('http://shop.example.com/old/page?y=2', { headers: { 'x-replaced-path': '/spoofed' } }));
    expect(echo.url).toBe('/new?y=2');
    expect(echo.headers['x-replaced-path']).toBe('/old/page');
  });

  it('runs after strip-prefix, so it sees the stripped path', async () => {
    const echo = await echoOf(await send('http://shop.example.com/api/then/x'));
    expect(echo.url).toBe('/new');
    expect(echo.headers['x-forwarded-prefix']).toBe('/api');
    expect(echo.headers['x-replaced-path']).toBe('/then/x');
  });
});

describe('a middleware entry the worker cannot build', () => {
  it('makes only its route fail closed with 500', async () => {
    await expectEdgeText(await send('http://shop.example.com/broken'), 500, 'Internal Server Error');
    expect((await echoOf(await send('http://shop.example.com/other'))).url).toBe('/other');
  });
});
