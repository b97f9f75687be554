// Custom and security headers inside workerd: what the pod sees, what the
// client gets, allowed hosts, SSL redirects, and which responses get headers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MiddlewareOf } from '../../src/table/middleware.ts';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, expectEdgeText, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const base: MiddlewareOf<'security-headers'> = {
  kind: 'security-headers', hostHeaders: [], sslProxyHeaders: [], sslRedirect: false, sslForceHost: false, sslRedirectStatus: 301,
  responseHeaders: [], secureResponseHeaders: [],
};

const middlewares: Record<string, Middleware> = {
  custom: {
    kind: 'custom-headers',
    request: { set: [['X-Env', 'prod']], remove: ['X-Debug'] },
    response: { set: [['X-Served-By', 'edge'], ['X-Frame-Options', 'ALLOW-FROM https://custom.example']], remove: ['Server'] },
  },
  secure: {
    ...base,
    responseHeaders: [['X-Frame-Options', 'DENY'], ['X-Content-Type-Options', 'nosniff'], ['Content-Security-Policy', "default-src 'self'"]],
    secureResponseHeaders: [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'], ['Public-Key-Pins', 'pin-sha256="x"']],
  },
  hosts: { ...base, allowedHosts: ['hosts.example.com', 'alias.example.com'], hostHeaders: ['X-Forwarded-Host'] },
  'ssl-redirect': { ...base, sslRedirect: true, sslProxyHeaders: [['X-Forwarded-Proto', 'https']] },
  'ssl-redirect-host': { ...base, sslRedirect: true, sslHost: 'secure.example.com', sslRedirectStatus: 307 },
  'force-host': { ...base, sslForceHost: true, sslHost: 'canonical.example.com' },
  'ssl-host-location': { ...base, sslHost: 'canonical.example.com' },
  strip: { kind: 'strip-prefix', prefix: '/app' },
  closed: { kind: 'deny', status: 403, reason: 'test' },
};

beforeAll(async () => {
  const on = (host: string, ids: string[], service = 'web', path = '/') =>
    router(host, { type: 'string-prefix', path }, service, { middlewares: ids });
  await publish(
    table({
      routers: [
        on('custom.example.com', ['custom']),
        on('both.example.com', ['custom', 'secure']),
        on('secure.example.com', ['secure']),
        on('down.example.com', ['custom', 'secure'], 'empty'),
        on('denied.example.com', ['custom', 'secure', 'closed']),
        on('hosts.example.com', ['hosts']),
        on('redirect.example.com', ['strip', 'ssl-redirect'], 'web', '/app'),
        on('redirect-host.example.com', ['ssl-redirect-host']),
        on('force.example.com', ['force-host']),
        on('canonical.example.com', ['force-host', 'ssl-host-location']),
      ],
      middlewares,
      services: { web: echoPool('a'), empty: { kind: 'servers', protocol: 'http', servers: [] } },
    }),
  );
});

const manual = (init: RequestInit = {}): RequestInit => ({ redirect: 'manual', ...init });

describe('custom headers', () => {
  it('set and remove request headers before the pod sees them', async () => {
    const echo = await echoOf(await send('http://custom.example.com/', { headers: { 'x-env': 'dev', 'X-Debug': '1' } }));
    expect(echo.headers['x-env']).toBe('prod');
    expect(echo.headers['x-debug']).toBeUndefined();
  });

  it('set and remove response headers on pod responses', async () => {
    const response = await send('http://custom.example.com/', {
      headers: { 'x-echo-response-headers': JSON.stringify({ Server: 'nginx', 'X-Served-By': 'pod' }) },
    });
    expect(response.headers.get('x-served-by')).toBe('edge');
    expect(response.headers.get('server')).toBeNull();
  });

  it('win over the security headers on the same response', async () => {
    const response = await send('https://both.example.com/');
    expect(response.headers.get('x-frame-options')).toBe('ALLOW-FROM https://custom.example');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('security response headers', () => {
  it('replace the pod values; HSTS and HPKP only on secure requests', async () => {
    const pod = JSON.stringify({ 'X-Frame-Options': 'SAMEORIGIN', 'Strict-Transport-Security': 'max-age=1' });
    const plain = await send('http://secure.example.com/', { headers: { 'x-echo-response-headers': pod } });
    expect(plain.headers.get('x-frame-options')).toBe('DENY');
    expect(plain.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(plain.headers.get('strict-transport-security')).toBe('max-age=1');
    expect(plain.headers.get('public-key-pins')).toBeNull();
    const secure = await send('https://secure.example.com/', { headers: { 'x-echo-response-headers': pod } });
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(secure.headers.get('public-key-pins')).toBe('pin-sha256="x"');
  });

  it('are not added to responses the edge generates (503, 403), as in Traefik', async () => {
    for (const url of ['https://down.example.com/', 'https://denied.example.com/']) {
      const response = await send(url);
      expect(response.status).toBeGreaterThanOrEqual(403);
      expect(response.headers.get('x-frame-options')).toBeNull();
      expect(response.headers.get('x-served-by')).toBeNull();
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });
});

describe('allowed-hosts', () => {
  it('lets listed hosts through, whatever their letter case', async () => {
    expect((await send('http://hosts.example.com/', { headers: { Host: 'HOSTS.example.com' } })).status).toBe(200);
  });

  it('answers 500 Bad Host for another Host, port included', async () => {
    await expectEdgeText(await send('http://hosts.example.com/', { headers: { Host: 'hosts.example.com:8080' } }), 500, 'Bad Host');
  });

  it('reads the host from proxy-headers first', async () => {
    expect((await send('http://hosts.example.com/', { headers: { 'X-Forwarded-Host': 'alias.example.com' } })).status).toBe(200);
    await expectEdgeText(await send('http://hosts.example.com/', { headers: { 'X-Forwarded-Host': 'evil.example.com' } }), 500, 'Bad Host');
  });
});

describe('ssl-redirect', () => {
  it('redirects plain requests with 301, keeping the path the client sent', async () => {
    const response = await send('http://redirect.example.com/app/page?x=1', manual({ method: 'POST' }));
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('https://redirect.example.com/app/page?x=1');
    expect(await response.text()).toBe('Moved Permanently');
  });

  it('serves secure requests, and requests an ssl-proxy-header marks secure', async () => {
    expect((await echoOf(await send('https://redirect.example.com/app/page'))).url).toBe('/page');
    expect((await echoOf(await send('http://redirect.example.com/app/page', { headers: { 'X-Forwarded-Proto': 'https' } }))).url).toBe('/page');
  });

  it('uses ssl-host and 307 with ssl-temporary-redirect; keeps the Host port otherwise', async () => {
    const response = await send('http://redirect-host.example.com/a', manual());
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('https://secure.example.com/a');
    const kept = await send('http://redirect.example.com/app', manual({ headers: { Host: 'redirect.example.com:8080' } }));
    expect(kept.headers.get('location')).toBe('https://redirect.example.com:8080/app');
  });
});

describe('ssl-force-host and ssl-host', () => {
  it('redirects any other host to ssl-host, even secure requests', async () => {
    const response = await send('https://force.example.com/x', manual());
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('https://canonical.example.com/x');
  });

  it('serves ssl-host itself and makes its http Locations https on secure requests', async () => {
    const location = JSON.stringify({ Location: 'http://canonical.example.com/next' });
    const secure = await send('https://canonical.example.com/', manual({ headers: { 'x-echo-status': '302', 'x-echo-response-headers': location } }));
    expect(secure.headers.get('location')).toBe('https://canonical.example.com/next');
    const plain = await send('http://canonical.example.com/', manual({ headers: { 'x-echo-status': '302', 'x-echo-response-headers': location } }));
    expect(plain.headers.get('location')).toBe('http://canonical.example.com/next');
  });
});
