// Path modifiers inside workerd: add-prefix, replace-path-regex (rewrite-target
// and request-modifier) and their order with strip-prefix and replace-path.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, expectEdgeText, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  'strip-api': { kind: 'strip-prefix', prefix: '/api' },
  'add-public': { kind: 'add-prefix', prefix: '/public' },
  'rewrite-api-v2': { kind: 'replace-path-regex', regex: { source: '^/api(.*)', flags: '' }, replacement: ['/v2', 1] },
  'rewrite-api-root': { kind: 'replace-path-regex', regex: { source: '^/api(.*)', flags: '' }, replacement: [1] },
  'rewrite-root-app': { kind: 'replace-path-regex', regex: { source: '^(.*)', flags: '' }, replacement: ['/app', 1] },
  'modifier-named': { kind: 'replace-path-regex', regex: { source: '^/m/(?<rest>.*)', flags: 'i' }, replacement: ['/v3/', 1] },
  'replace-fixed': { kind: 'replace-path', path: '/fixed' },
  'bad-replacement': { kind: 'replace-path-regex', regex: { source: '^(.*)', flags: '' }, replacement: ['/x?admin=1'] },
};

beforeAll(async () => {
  const on = (host: string, path: string, ids: string[]) => router(host, { type: 'string-prefix', path }, 'web', { middlewares: ids });
  await publish(
    table({
      routers: [
        on('prefix.example.com', '/', ['add-public']),
        on('strip-add.example.com', '/api', ['strip-api', 'add-public']),
        on('target.example.com', '/api', ['rewrite-api-v2']),
        on('root-target.example.com', '/api', ['rewrite-api-root']),
        on('app.example.com', '/', ['rewrite-root-app']),
        on('modifier.example.com', '/', ['modifier-named']),
        on('strip-target.example.com', '/api', ['strip-api', 'rewrite-api-v2']),
        on('add-target.example.com', '/api', ['add-public', 'rewrite-api-v2']),
        on('both.example.com', '/api', ['rewrite-api-v2', 'replace-fixed']),
        on('broken.example.com', '/', ['bad-replacement']),
      ],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

async function upstreamOf(url: string, init?: RequestInit) {
  return echoOf(await send(url, init));
}

describe('add-prefix', () => {
  it('puts the prefix in front of the path and keeps the query', async () => {
    expect((await upstreamOf('http://prefix.example.com/x/y?q=1')).url).toBe('/public/x/y?q=1');
  });

  it('runs after the rule-type strip', async () => {
    const echo = await upstreamOf('http://strip-add.example.com/api/users');
    expect(echo.url).toBe('/public/users');
    expect(echo.headers['x-forwarded-prefix']).toBe('/api');
  });
});

describe('rewrite-target (replace-path-regex)', () => {
  it.each([
    ['target.example.com', '/api/users', '/v2/users'],
    ['target.example.com', '/api', '/v2'],
    ['root-target.example.com', '/api/users', '/users'],
    ['root-target.example.com', '/api', '/'],
    ['root-target.example.com', '/apiv2', '/v2'],
    ['app.example.com', '/', '/app/'],
    ['app.example.com', '/x', '/app/x'],
  ])('%s%s → %s', async (host, path, upstream) => {
    const echo = await upstreamOf(`http://${host}${path}?keep=1`);
    expect(echo.url).toBe(`${upstream}?keep=1`);
    expect(echo.headers['x-replaced-path']).toBe(path);
  });

  it('uses named groups and flags of request-modifier ReplacePathRegex', async () => {
    expect((await upstreamOf('http://modifier.example.com/M/a/b')).url).toBe('/v3/a/b');
  });

  it('leaves a path it does not match alone, without X-Replaced-Path', async () => {
    const echo = await upstreamOf('http://modifier.example.com/other', { headers: { 'X-Replaced-Path': '/spoofed' } });
    expect(echo.url).toBe('/other');
    expect(echo.headers['x-replaced-path']).toBeUndefined();
  });

  it('sees the stripped path after a rule-type strip, so it rarely matches (Traefik order)', async () => {
    expect((await upstreamOf('http://strip-target.example.com/api/users')).url).toBe('/users');
    expect((await upstreamOf('http://strip-target.example.com/api/api/users')).url).toBe('/v2/users');
  });

  it('sees the prefixed path after AddPrefix', async () => {
    expect((await upstreamOf('http://add-target.example.com/api/x')).url).toBe('/public/api/x');
  });

  it('runs before replace-path, which adds its own X-Replaced-Path', async () => {
    const echo = await upstreamOf('http://both.example.com/api/x');
    expect(echo.url).toBe('/fixed');
    expect(echo.headers['x-replaced-path']).toBe('/api/x, /v2/x');
  });

  it('refuses a replacement that is not a path when the route is built: the route answers 500', async () => {
    await expectEdgeText(await send('http://broken.example.com/x'), 500, 'Internal Server Error');
  });
});
