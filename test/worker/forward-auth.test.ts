// forward-auth inside workerd. Echo server b plays the auth server: it
// answers what it received, with the status and headers the client asks for
// (x-echo-status, x-echo-response-headers, which forward auth passes on as
// client headers), so a relayed answer shows exactly what the auth server saw.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Echo } from '../upstreams/provided.ts';
import type { EdgeEnv } from '../../worker/base/env.ts';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const AUTH = `http://${upstreams.echo.b}/verify?from=edge`;

const middlewares: Record<string, Middleware> = {
  auth: { kind: 'forward-auth', address: AUTH, trustForwardHeader: false, responseHeaders: ['X-Auth-User', 'X-Auth-Roles'] },
  trusting: { kind: 'forward-auth', address: AUTH, trustForwardHeader: true, responseHeaders: [] },
  down: { kind: 'forward-auth', address: `http://${upstreams.closed}/verify`, trustForwardHeader: false, responseHeaders: [] },
  mtls: { kind: 'forward-auth', address: 'https://auth.internal/verify', trustForwardHeader: false, responseHeaders: [], tlsBinding: 'AUTH_TLS_TEST_CLIENT' },
  strip: { kind: 'strip-prefix', prefix: '/app' },
};

beforeAll(async () => {
  const on = (path: string, ids: string[]) => router('shop.example.com', path, 'web', { middlewares: ids });
  await publish(
    table({
      routers: [on('/app', ['strip', 'auth']), on('/trusting', ['trusting']), on('/down', ['down']), on('/mtls', ['mtls']), on('/', [])],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

const CLIENT = '198.51.100.7';

function get(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Response> {
  return send(`http://shop.example.com${path}`, { ...init, headers: { 'CF-Connecting-IP': CLIENT, ...headers } });
}

/** What the auth server received, from a request it refuses (its echo is relayed to the client). */
async function seenByAuth(path: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<Echo> {
  const response = await get(path, { ...headers, 'x-echo-status': '401' }, init);
  expect(response.status).toBe(401);
  const echo = (await response.json()) as Echo;
  expect(echo.name).toBe('b');
  return echo;
}

describe('X-Forwarded-Uri is the path the pod receives (SECURITY.md, findings and fixes)', () => {
  it.each([
    ['/app//orders', '/app/orders'],
    ['//app/orders?id=7', '/app/orders?id=7'],
    ['/app/%6Frders', '/app/orders'],
    ['/%61pp/x/%2e%2e/orders', '/app/orders'],
    ['/app/a%2Fb', '/app/a%2Fb'],
  ])('%s is sent as %s', async (path, uri) => {
    expect((await seenByAuth(path)).headers['x-forwarded-uri']).toBe(uri);
  });

  it('the pod then gets that same path (after the strip)', async () => {
    const echo = await echoOf(await get('/app//%6Frders'));
    expect(echo.url).toBe('/orders');
  });
});

describe('the request to the auth server', () => {
  it('is a GET to auth-url exactly, with the client’s headers and the original URI', async () => {
    const echo = await seenByAuth('/app/orders?id=7', { Cookie: 'session=abc', Authorization: 'Bearer t0k3n', 'X-Custom': 'yes' });
    expect(echo.method).toBe('GET');
    expect(echo.url).toBe('/verify?from=edge');
    expect(echo.headers).toMatchObject({
      host: upstreams.echo.b,
      cookie: 'session=abc',
      authorization: 'Bearer t0k3n',
      'x-custom': 'yes',
      'x-forwarded-for': CLIENT,
      'x-forwarded-method': 'GET',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': 'shop.example.com',
      'x-forwarded-uri': '/app/orders?id=7',
    });
  });

  it('carries no body for a POST, and the original method in X-Forwarded-Method', async () => {
    const echo = await seenByAuth('/app/form', { 'Content-Type': 'text/plain' }, { method: 'POST', body: 'secret body' });
    expect(echo.method).toBe('GET');
    expect(echo.body).toBe('');
    expect(echo.headers['content-length']).toBeUndefined();
    expect(echo.headers['x-forwarded-method']).toBe('POST');
  });

  it('does not pass the client’s X-Forwarded-* on when the route does not trust them', async () => {
    const spoofed = {
      'X-Forwarded-For': '10.0.0.1', 'x-forwarded-method': 'DELETE', 'X-FORWARDED-PROTO': 'https', 'X-Forwarded-Host': 'admin.internal',
      'X-Forwarded-Uri': '/public', 'X-Forwarded-Port': '8443', 'X-Forwarded-User': 'root', Forwarded: 'for=10.0.0.1', 'X-Real-IP': '10.0.0.1',
    };
    const echo = await seenByAuth('/app/admin', spoofed);
    expect(echo.headers).toMatchObject({
      'x-forwarded-for': CLIENT, 'x-forwarded-method': 'GET', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'shop.example.com', 'x-forwarded-uri': '/app/admin',
    });
    for (const name of ['x-forwarded-port', 'x-forwarded-user', 'forwarded', 'x-real-ip']) expect(echo.headers[name]).toBeUndefined();
  });

  it('passes them on with auth-trust-headers, the client appended to X-Forwarded-For', async () => {
    const echo = await seenByAuth('/trusting/x', {
      'X-Forwarded-For': '10.0.0.1', 'X-Forwarded-Method': 'DELETE', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'a.example', 'X-Forwarded-Uri': '/u', 'X-Forwarded-Port': '8443',
    });
    expect(echo.headers).toMatchObject({
      'x-forwarded-for': `10.0.0.1, ${CLIENT}`, 'x-forwarded-method': 'DELETE', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'a.example', 'x-forwarded-uri': '/u', 'x-forwarded-port': '8443',
    });
  });
});

describe('a 2xx answer', () => {
  it('lets the request through with the auth-response-headers copied onto it', async () => {
    const answer = JSON.stringify({ 'X-Auth-User': 'alice', 'x-auth-roles': 'admin', 'X-Unlisted': 'dropped' });
    const echo = await echoOf(await get('/app/page', { 'x-echo-response-headers': answer }));
    expect(echo.name).toBe('a');
    expect(echo.url).toBe('/page');
    expect(echo.headers['x-auth-user']).toBe('alice');
    expect(echo.headers['x-auth-roles']).toBe('admin');
    expect(echo.headers['x-unlisted']).toBeUndefined();
  });

  it('removes client copies of the auth-response-headers in any letter case, even when the answer lacks them', async () => {
    const echo = await echoOf(
      await send('http://shop.example.com/app/page', { headers: [['x-auth-user', 'root'], ['X-AUTH-USER', 'root'], ['X-Auth-Roles', 'admin']] }),
    );
    expect(echo.headers['x-auth-user']).toBeUndefined();
    expect(echo.headers['x-auth-roles']).toBeUndefined();
  });

  it('removes look-alike spellings with `_` for `-`', async () => {
    const echo = await echoOf(await send('http://shop.example.com/app/page', { headers: [['X_Auth_User', 'root'], ['x_auth-roles', 'admin']] }));
    expect(Object.keys(echo.headers).filter((name) => name.replaceAll('_', '-').startsWith('x-auth-'))).toEqual([]);
  });

  it('replaces a client copy with the auth server’s value', async () => {
    const echo = await echoOf(await get('/app/page', { 'X-Auth-User': 'root', 'x-echo-response-headers': JSON.stringify({ 'X-Auth-User': 'bob' }) }));
    expect(echo.headers['x-auth-user']).toBe('bob');
  });
});

describe('any other answer', () => {
  it.each([401, 403, 404, 500, 503])('is relayed as sent: %i', async (status) => {
    const response = await get('/app/page', { 'x-echo-status': String(status), 'x-echo-response-headers': JSON.stringify({ 'WWW-Authenticate': 'Bearer', 'Set-Cookie': ['a=1', 'b=2'] }) });
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(((await response.json()) as Echo).name).toBe('b');
  });

  it('is a redirect with Location made absolute against the auth URL, not followed', async () => {
    const headers = { 'x-echo-status': '302', 'x-echo-response-headers': JSON.stringify({ Location: '/login?next=%2Fapp' }) };
    // The test client must not follow it either.
    const response = await get('/app/page', headers, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`http://${upstreams.echo.b}/login?next=%2Fapp`);
    await response.body?.cancel();
  });

  it('drops hop-by-hop headers of the answer', async () => {
    const response = await get('/app/page', { 'x-echo-status': '403', 'x-echo-response-headers': JSON.stringify({ 'Keep-Alive': 'timeout=5', 'Proxy-Authenticate': 'Basic' }) });
    expect(response.headers.get('keep-alive')).toBeNull();
    expect(response.headers.get('proxy-authenticate')).toBeNull();
    await response.body?.cancel();
  });
});

describe('no answer', () => {
  it('is 500 with an empty body, and the pod never sees the request', async () => {
    const response = await get('/down/x');
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
  });
});

describe('auth-tls-secret', () => {
  it('answers 500 when the deployment lacks the mTLS certificate binding (never calls without the certificate)', async () => {
    const response = await get('/mtls/x');
    expect(response.status).toBe(500);
    await response.body?.cancel();
  });

  it('calls the auth server through the binding when it exists', async () => {
    const calls: string[] = [];
    const binding = {
      fetch: async (input: string, init?: RequestInit) => {
        calls.push(`${init?.method} ${input} ${new Headers(init?.headers).get('x-forwarded-uri')}`);
        return new Response(null, { status: 204 });
      },
    };
    const overrides = { AUTH_TLS_TEST_CLIENT: binding } as unknown as Partial<EdgeEnv>;
    const echo = await echoOf(await send('http://shop.example.com/mtls/x?y=1', {}, overrides));
    expect(echo.name).toBe('a');
    expect(calls).toEqual(['GET https://auth.internal/verify /mtls/x?y=1']);
  });
});
