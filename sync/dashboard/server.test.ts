import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../../test/e2e/harness/raw-http.ts';
import type { Table } from '../../src/table/schema.ts';
import { emptySnapshot } from '../stats/snapshot.ts';
import { startDashboardServer, type DashboardServer } from './server.ts';
import { DashboardState } from './state.ts';

let server: DashboardServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** This machine's first non-loopback IPv4 address, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
}

describe('startDashboardServer', () => {
  it('listens on 127.0.0.1 unless told otherwise: loopback answers, the machine\'s other addresses do not', async () => {
    server = await startDashboardServer({ port: 0 }, new DashboardState({ mode: 'agent', stats: { snapshot: () => emptySnapshot('none', 'off') } }));
    expect(server.url.hostname).toBe('127.0.0.1');
    const health = await fetch(new URL('/health', server.url));
    expect(health.status).toBe(200);
    const external = externalAddress();
    if (external === undefined) return;
    await expect(fetch(`http://${external}:${server.url.port}/health`, { headers: { host: `127.0.0.1:${server.url.port}` } })).rejects.toThrow();
  });
});

describe('/api/providers/kubernetes/…', () => {
  const service: Table['services'][string] = { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'web', port: 80 }, servers: [{ address: '10.0.0.1:80', weight: 1, pod: 'web-0' }] };
  const table: Table = {
    schema: 1,
    routers: [
      { id: 'shop/web#0.0', source: 'shop/web', host: 'shop.example.com', match: { type: 'prefix', path: '/' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true },
      { id: 'shop/bare#0.0', source: 'shop/bare', host: 'shop.example.com', match: { type: 'any' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true },
    ],
    middlewares: {},
    services: { a: service },
  };

  it('names a frontend whose name ends in a slash (`host/`, the commonest) with or without encoding it, apart from the path-less `host`', async () => {
    const state = new DashboardState({ mode: 'agent', stats: { snapshot: () => emptySnapshot('none', 'off') } });
    state.compiled({ table, diagnostics: [] });
    server = await startDashboardServer({ port: 0 }, state);
    const get = async (path: string) => {
      const reply = await fetch(new URL(path, server!.url));
      return { status: reply.status, body: reply.status === 200 ? ((await reply.json()) as Record<string, unknown>) : undefined };
    };
    expect((await get('/api/providers/kubernetes/frontends/shop.example.com/')).body).toMatchObject({ edgress: { route: 'shop/web#0.0' } });
    expect((await get('/api/providers/kubernetes/frontends/shop.example.com%2F')).body).toMatchObject({ edgress: { route: 'shop/web#0.0' } });
    expect((await get('/api/providers/kubernetes/frontends/shop.example.com')).body).toMatchObject({ edgress: { route: 'shop/bare#0.0' } });
    expect((await get('/api/providers/kubernetes/frontends/shop.example.com//routes')).body).toEqual({ '/': { rule: 'PathPrefix:/' }, 'shop.example.com': { rule: 'Host:shop.example.com' } });
    expect((await get('/api/providers/kubernetes/backends/shop.example.com/servers/web-0')).body).toEqual({ url: 'http://10.0.0.1:80', weight: 1 });
    expect(Object.keys((await get('/api/providers/kubernetes/frontends/')).body ?? {})).toEqual(['shop.example.com/', 'shop.example.com']);
    expect((await get('/api/providers/kubernetes/frontends/nope.example.com/')).status).toBe(404);
    // A malformed escape is a bad request, not the end of the process.
    expect((await get('/api/providers/kubernetes/frontends/%E0%A4%A')).status).toBe(400);
    expect((await get('/health')).status).toBe(200);
  });
});

describe('odd request targets', () => {
  it('answers an unparsable absolute-form target with 400 and keeps serving', async () => {
    server = await startDashboardServer({ port: 0 }, new DashboardState({ mode: 'agent', stats: { snapshot: () => emptySnapshot('none', 'off') } }));
    const status = async (target: string) => (await rawRequest(server!.url, [`GET ${target} HTTP/1.1`, 'Host: 127.0.0.1'])).status;
    expect(await status('http://[')).toBe(400);
    expect(await status('/health')).toBe(200);
  });
});
