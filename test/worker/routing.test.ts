import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, echoPool, expectEdgeText, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

describe('before any table is published', () => {
  it('answers 503 saying no routing table is loaded', async () => {
    await expectEdgeText(await send('http://shop.example.com/'), 503, 'no routing table is loaded');
  });
});

describe('routing', () => {
  beforeAll(async () => {
    await publish(
      table({
        routers: [
          router('shop.example.com', '/', 'web-a'),
          router('shop.example.com', '/api', 'web-b'),
          router('shop.example.com', { type: 'exact', path: '/secure' }, 'web-c', { schemes: ['https'] }),
          router('*.example.org', '/', 'web-c'),
          router('only.example.com', { type: 'exact', path: '/x' }, 'web-a'),
        ],
        services: { 'web-a': echoPool('a'), 'web-b': echoPool('b'), 'web-c': echoPool('c') },
      }),
    );
  });

  it('proxies to the route of the host and path, path and query untouched', async () => {
    const echo = await echoOf(await send('http://shop.example.com/api/items?b=2&a=1&a=%20x&=&flag'));
    expect(echo).toMatchObject({ name: 'b', method: 'GET', url: '/api/items?b=2&a=1&a=%20x&=&flag' });
    expect((await echoOf(await send('http://shop.example.com/apix'))).name).toBe('a');
  });

  it('matches the Host header whatever its letter case and port', async () => {
    const echo = await echoOf(await send('http://shop.example.com/api', { headers: { Host: 'SHOP.Example.com:8080' } }));
    expect(echo.name).toBe('b');
    expect((await echoOf(await send('http://www.example.org/'))).name).toBe('c');
  });

  it.each(['name:70000', 'shop.example.com:65536', '.example.org', 'a..example.org', '[::1]:99999'])(
    'answers 400 for Host %s, which names nothing routable (SECURITY.md, findings and fixes)',
    async (host) => {
      const response = await send('http://shop.example.com/', { headers: { Host: host } });
      expect(response.status).toBe(400);
      await response.body?.cancel();
    },
  );

  it('a wildcard host matches one non-empty label only (SECURITY.md, findings and fixes)', async () => {
    expect((await echoOf(await send('http://www.example.org/', { headers: { Host: 'a.example.org' } }))).name).toBe('c');
    const bare = await send('http://www.example.org/', { headers: { Host: 'example.org' } });
    expect(bare.status).toBe(404);
    await bare.body?.cancel();
  });

  it('answers Traefik 404 for an unknown host or a path no rule of the host matches, echoing nothing', async () => {
    await expectEdgeText(await send('http://unknown.example.net/<script>'), 404, '404 page not found');
    await expectEdgeText(await send('http://only.example.com/y'), 404, '404 page not found');
  });

  it('answers 400 for a path hiding a dot segment behind an encoded slash', async () => {
    await expectEdgeText(await send('http://shop.example.com/api/..%2Fadmin'), 400, 'Bad Request');
  });

  it('sends the normalised path upstream, encoded slashes kept', async () => {
    expect((await echoOf(await send('http://shop.example.com/%61pi//v1?q=%2F'))).url).toBe('/api/v1?q=%2F');
    expect((await echoOf(await send('http://shop.example.com/api%2Fv1'))).url).toBe('/api%2Fv1');
  });
});

describe('schemes', () => {
  beforeAll(async () => {
    await publish(
      table({
        routers: [router('shop.example.com', '/', 'web-a', { schemes: ['https'] })],
        services: { 'web-a': echoPool('a') },
      }),
    );
  });

  it('routes by the scheme of the URL', async () => {
    expect((await send('http://shop.example.com/')).status).toBe(404);
    expect((await echoOf(await send('https://shop.example.com/'))).headers['x-forwarded-proto']).toBe('https');
  });

  it('counts X-Forwarded-Proto: https as https only when TRUST_FORWARDED_PROTO is true', async () => {
    const init = { headers: { 'X-Forwarded-Proto': 'https' } };
    expect((await send('http://shop.example.com/', init)).status).toBe(404);
    const trusted = await send('http://shop.example.com/', init, { TRUST_FORWARDED_PROTO: 'true' });
    expect((await echoOf(trusted)).headers['x-forwarded-proto']).toBe('https');
  });
});

describe('default backend', () => {
  it('answers what no rule claims', async () => {
    await publish(
      table({
        routers: [router('shop.example.com', '/api', 'web-a')],
        defaultRouter: router('', { type: 'any' }, 'web-b'),
        services: { 'web-a': echoPool('a'), 'web-b': echoPool('b') },
      }),
    );
    expect((await echoOf(await send('http://elsewhere.example.com/x'))).name).toBe('b');
    expect((await echoOf(await send('http://shop.example.com/api'))).name).toBe('a');
  });
});
