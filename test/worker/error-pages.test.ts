// Error pages inside workerd: pod and edge statuses answered with a page
// fetched from another pool, keeping the original status.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, expectEdgeText, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  pages: {
    kind: 'error-pages',
    pages: [
      { name: 'client', statuses: [[404, 404], [410, 410]], service: 'errors', path: '/errors/{status}.html?from=edge' },
      { name: 'server', statuses: [[500, 599]], service: 'errors', path: '/{status}' },
      { name: 'shadowed', statuses: [[404, 404]], service: 'broken', path: '/never' },
    ],
  },
  'dead-pages': { kind: 'error-pages', pages: [{ name: 'all', statuses: [[400, 599]], service: 'dead', path: '/' }] },
  custom: { kind: 'custom-headers', request: { set: [['X-Env', 'prod']], remove: [] }, response: { set: [['X-Served-By', 'edge']], remove: [] } },
};

beforeAll(async () => {
  const on = (host: string, ids: string[], service = 'web') => router(host, '/', service, { middlewares: ids });
  await publish(
    table({
      routers: [
        on('pages.example.com', ['pages', 'custom']),
        on('down.example.com', ['pages'], 'empty'),
        on('dead.example.com', ['dead-pages']),
      ],
      middlewares,
      services: {
        web: echoPool('a'),
        errors: echoPool('b'),
        broken: echoPool('c'),
        empty: { kind: 'servers', protocol: 'http', servers: [] },
        dead: echoPool({ address: upstreams.closed, weight: 1 }),
      },
    }),
  );
});

describe('error-pages', () => {
  it('answers a pod 404 with the page for 404, keeping the status', async () => {
    const response = await send('http://pages.example.com/missing?q=1', { headers: { 'x-echo-status': '404' } });
    expect(response.status).toBe(404);
    const page = await echoOf(response);
    expect(page).toMatchObject({ name: 'b', method: 'GET', url: '/errors/404.html?from=edge' });
    // A copy of the request as it went upstream: custom request headers included.
    expect(page.headers['x-env']).toBe('prod');
    expect(page.headers['x-forwarded-host']).toBe('pages.example.com');
  });

  it('uses the first page by name whose ranges match', async () => {
    const response = await send('http://pages.example.com/', { headers: { 'x-echo-status': '503' } });
    expect(response.status).toBe(503);
    expect((await echoOf(response)).url).toBe('/503');
  });

  it('sends the page with its own headers, without the pod response headers', async () => {
    const response = await send('http://pages.example.com/', {
      headers: { 'x-echo-status': '410', 'x-echo-response-headers': JSON.stringify({ 'X-Pod-Only': '1' }) },
    });
    expect(response.status).toBe(410);
    expect(response.headers.get('x-echo-name')).toBe('b');
    expect(response.headers.get('x-served-by')).toBeNull();
  });

  it('leaves other statuses alone', async () => {
    const response = await send('http://pages.example.com/', { headers: { 'x-echo-status': '401' } });
    expect(response.status).toBe(401);
    expect((await echoOf(response)).name).toBe('a');
  });

  it('answers statuses the edge generates, such as 503 for an empty pool', async () => {
    const response = await send('http://down.example.com/x');
    expect(response.status).toBe(503);
    expect((await echoOf(response)).url).toBe('/503');
  });

  it('sends the original response when the page cannot be fetched', async () => {
    const response = await send('http://dead.example.com/', { headers: { 'x-echo-status': '404' } });
    expect(response.status).toBe(404);
    expect((await echoOf(response)).name).toBe('a');
  });

  it('sends no body for HEAD', async () => {
    const response = await send('http://pages.example.com/', { method: 'HEAD', headers: { 'x-echo-status': '404' } });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });
});

describe('an edge error without a page', () => {
  it('still answers the edge text', async () => {
    await expectEdgeText(await send('http://dead.example.com/', { method: 'POST', headers: { 'x-echo-reset': 'a' } }), 502, 'Bad Gateway');
  });
});
