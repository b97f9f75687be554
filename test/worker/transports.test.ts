// Every transport sends the pod the same request: method, path, query,
// headers and body. `vpc` runs against a stand-in for the Workers VPC network
// binding that maps pod addresses to the echo servers (as the tunnel would
// route them); `tunnel-hostnames` against a stand-in for the tunnel's public
// hostnames (the global fetch, mapping each hostname to an echo server).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Service } from '../../src/table/schema.ts';
import type { EdgeEnv } from '../../worker/base/env.ts';
import type { Echo, EchoName } from '../upstreams/provided.ts';
import { echoOf, echoPool, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const HOST = 'same.example.com';
const TEMPLATE = '{service}-{namespace}.tunnel.example.com';

/** Pod addresses as the cluster knows them, and the echo server standing in for each. */
const PODS: Readonly<Record<string, EchoName>> = { '10.244.0.5:8080': 'a', '10.244.0.6:8080': 'b' };
/** Tunnel hostnames and the echo server behind each Service. */
const TUNNEL_HOSTNAMES: Readonly<Record<string, EchoName>> = { 'web-test.tunnel.example.com': 'a', 'canary-test.tunnel.example.com': 'b' };

const originalFetch = globalThis.fetch;

/** The VPC network binding's stand-in: fetches `http(s)://<pod>` at the echo server that stands for the pod. */
function vpcNetwork() {
  const asked: string[] = [];
  const binding = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      asked.push(request.url);
      const url = new URL(request.url);
      const echo = PODS[url.host];
      // The tunnel cannot connect: fetch rejects, as the binding does.
      if (!echo) throw new Error(`no route to ${url.host}`);
      url.protocol = 'http:';
      url.host = upstreams.echo[echo];
      return originalFetch(url, request);
    },
  } as unknown as Fetcher;
  return { binding, asked };
}

/** Routes the worker's fetches to tunnel hostnames to the echo servers; returns the requests seen. */
function tunnelHostnames(): Request[] {
  const seen: Request[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const echo = TUNNEL_HOSTNAMES[url.host];
    if (!echo) return originalFetch(request);
    seen.push(request.clone());
    url.protocol = 'http:';
    url.host = upstreams.echo[echo];
    return originalFetch(url, request);
  });
  return seen;
}

const podPool = (...addresses: [string, number][]): Service => ({
  kind: 'servers',
  protocol: 'http',
  target: { namespace: 'test', name: 'web', port: 80 },
  servers: addresses.map(([address, weight]) => ({ address, weight })),
});

const tunnelEnv = (extra: Partial<EdgeEnv> = {}): Partial<EdgeEnv> => ({
  TRANSPORT: 'tunnel-hostnames',
  TUNNEL_HOSTNAME_TEMPLATE: TEMPLATE,
  TUNNEL_ACCESS_CLIENT_ID: 'worker-id.access',
  TUNNEL_ACCESS_CLIENT_SECRET: 'worker-secret',
  ...extra,
});

afterEach(() => vi.restoreAllMocks());

/**
 * What may differ: Host (each transport's own), Access's token headers, and
 * what the runtime's fetch and the test relay add or drop on the way (workerd's
 * fetch adds `CF-Worker` and drops `CF-Connecting-IP`; the relay is a Node
 * proxy with its own connection).
 */
const TRANSPORT_OWN = new Set(['host', 'cf-access-client-id', 'cf-access-client-secret', 'cf-worker', 'cf-connecting-ip', 'connection', 'x-test-relayed']);

function comparable(echo: Echo) {
  const headers = Object.fromEntries(Object.entries(echo.headers).filter(([name]) => !TRANSPORT_OWN.has(name)));
  return { method: echo.method, url: echo.url, body: echo.body, headers };
}

describe('every transport sends the same request', () => {
  it('direct, dev-relay, vpc and tunnel-hostnames: method, path, query, headers and body', async () => {
    const init = {
      method: 'POST',
      body: 'the body, sent as is',
      headers: { Host: 'Same.example.com:8443', 'CF-Connecting-IP': '203.0.113.9', 'X-Custom': 'one', Cookie: 'a=1; b=2', 'Content-Type': 'text/plain' },
    };
    const url = `http://${HOST}/a/b%2Fc?x=1&y=%20z`;
    const vpc = vpcNetwork();
    const seen = tunnelHostnames();
    const cases: [string, Record<string, Service>, Partial<EdgeEnv>][] = [
      ['direct', { web: echoPool('a') }, { TRANSPORT: 'direct' }],
      ['dev-relay', { web: echoPool('a') }, { TRANSPORT: 'dev-relay' }],
      ['vpc', { web: podPool(['10.244.0.5:8080', 1]) }, { TRANSPORT: 'vpc', VPC: vpc.binding }],
      ['tunnel-hostnames', { web: podPool(['10.244.0.5:8080', 1]) }, tunnelEnv()],
    ];
    const echoes: Record<string, Echo> = {};
    for (const [name, services, env] of cases) {
      await publish(table({ routers: [router(HOST, '/', 'web')], services }));
      echoes[name] = await echoOf(await send(url, init, env));
    }
    const reference = comparable(echoes['direct']!);
    expect(reference).toMatchObject({ method: 'POST', url: '/a/b%2Fc?x=1&y=%20z', body: 'the body, sent as is' });
    expect(reference.headers).toMatchObject({ 'x-custom': 'one', cookie: 'a=1; b=2', 'x-forwarded-host': 'Same.example.com:8443', 'x-forwarded-for': '203.0.113.9' });
    for (const name of ['dev-relay', 'vpc', 'tunnel-hostnames']) expect(comparable(echoes[name]!), name).toEqual(reference);
    expect(vpc.asked).toEqual([`http://10.244.0.5:8080/a/b%2Fc?x=1&y=%20z`]);
    expect(seen.map((request) => request.url)).toEqual([`https://web-test.tunnel.example.com/a/b%2Fc?x=1&y=%20z`]);
  });
});

describe('vpc transport', () => {
  it('keeps per-endpoint weights: the worker picks the pod', async () => {
    const vpc = vpcNetwork();
    await publish(table({ routers: [router(HOST, '/', 'web')], services: { web: podPool(['10.244.0.5:8080', 1], ['10.244.0.6:8080', 2]) } }));
    const names: string[] = [];
    for (let i = 0; i < 6; i++) names.push((await echoOf(await send(`http://${HOST}/`, undefined, { TRANSPORT: 'vpc', VPC: vpc.binding }))).name);
    expect(names.filter((name) => name === 'a')).toHaveLength(2);
    expect(names.filter((name) => name === 'b')).toHaveLength(4);
    expect(new Set(vpc.asked)).toEqual(new Set(['http://10.244.0.5:8080/', 'http://10.244.0.6:8080/']));
  });

  it('keeps sticky sessions on one pod', async () => {
    const vpc = vpcNetwork();
    const sticky: Service = { ...podPool(['10.244.0.5:8080', 1], ['10.244.0.6:8080', 1]), balancer: { method: 'wrr', sticky: { cookie: 'pin', secure: false, httpOnly: true } } } as Service;
    await publish(table({ routers: [router(HOST, '/', 'web')], services: { web: sticky } }));
    const env = { TRANSPORT: 'vpc', VPC: vpc.binding };
    const first = await send(`http://${HOST}/`, undefined, env);
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    const pinned = (await echoOf(first)).name;
    expect(cookie).toMatch(/^pin=/);
    for (let i = 0; i < 4; i++) expect((await echoOf(await send(`http://${HOST}/`, { headers: { Cookie: cookie } }, env))).name).toBe(pinned);
  });

  it('tries another pod when the tunnel cannot connect to one (idempotent request)', async () => {
    const vpc = vpcNetwork();
    await publish(table({ routers: [router(HOST, '/', 'web')], services: { web: podPool(['10.244.9.9:8080', 1], ['10.244.0.6:8080', 1]) } }));
    for (let i = 0; i < 2; i++) expect((await echoOf(await send(`http://${HOST}/`, undefined, { TRANSPORT: 'vpc', VPC: vpc.binding }))).name).toBe('b');
  });

  it('answers 500 when the VPC binding is missing', async () => {
    await publish(table({ routers: [router(HOST, '/', 'web')], services: { web: echoPool('a') } }));
    expect((await send(`http://${HOST}/`, undefined, { TRANSPORT: 'vpc', VPC: undefined })).status).toBe(500);
  });
});

describe('tunnel-hostnames transport', () => {
  it("sends to each Service's hostname, with the worker's Access token and never the client's", async () => {
    const seen = tunnelHostnames();
    const canary: Service = { kind: 'servers', protocol: 'http', target: { namespace: 'test', name: 'canary', port: 80 }, servers: [{ address: '10.244.0.7:8080', weight: 1 }] };
    const split: Service = { kind: 'weighted', services: [{ service: 'web', weight: 1 }, { service: 'canary', weight: 1 }] };
    await publish(table({ routers: [router(HOST, '/', 'split')], services: { web: podPool(['10.244.0.5:8080', 1]), canary, split } }));
    const init = { headers: { 'CF-Access-Client-Id': 'forged', 'cf-access-client-secret': 'forged' } };
    const names = [];
    for (let i = 0; i < 2; i++) names.push((await echoOf(await send(`http://${HOST}/x`, init, tunnelEnv()))).name);
    expect(names.sort()).toEqual(['a', 'b']);
    expect(seen.map((request) => new URL(request.url).host).sort()).toEqual(['canary-test.tunnel.example.com', 'web-test.tunnel.example.com']);
    for (const request of seen) {
      expect(request.headers.get('cf-access-client-id')).toBe('worker-id.access');
      expect(request.headers.get('cf-access-client-secret')).toBe('worker-secret');
    }
  });

  it('sends no Access headers at all without a token', async () => {
    const seen = tunnelHostnames();
    await publish(table({ routers: [router(HOST, '/', 'web')], services: { web: podPool(['10.244.0.5:8080', 1]) } }));
    const env = tunnelEnv({ TUNNEL_ACCESS_CLIENT_ID: undefined, TUNNEL_ACCESS_CLIENT_SECRET: undefined });
    const echo = await echoOf(await send(`http://${HOST}/`, { headers: { 'CF-Access-Client-Id': 'forged' } }, env));
    expect(echo.headers).not.toHaveProperty('cf-access-client-id');
    expect(seen).toHaveLength(1);
  });

  it.each([
    ['no template', { TUNNEL_HOSTNAME_TEMPLATE: undefined }],
    ['a template without {namespace}', { TUNNEL_HOSTNAME_TEMPLATE: '{service}.tunnel.example.com' }],
    ['half an Access token', { TUNNEL_ACCESS_CLIENT_SECRET: undefined }],
  ])('answers 500 with %s', async (_, extra) => {
    tunnelHostnames();
    await publish(table({ routers: [router(HOST, '/', 'web')], services: { web: podPool(['10.244.0.5:8080', 1]) } }));
    expect((await send(`http://${HOST}/`, undefined, tunnelEnv(extra))).status).toBe(500);
  });
});
