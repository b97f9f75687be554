// Frontend redirects inside workerd: app-root, redirect-entry-point and
// redirect-regex, with Traefik's statuses, Locations built from the URL the
// client sent (docs/design/decisions.md#decision-8-redirects-see-the-client-url, #decision-9-app-root-fires-on-the-root-path), and no security headers on them.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { echoOf, echoPool, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  'app-root': { kind: 'redirect', permanent: false, to: { type: 'app-root', path: '/index.html' } },
  'app-root-query': { kind: 'redirect', permanent: true, to: { type: 'app-root', path: '/app/?lang=en' } },
  'to-https': { kind: 'redirect', permanent: false, to: { type: 'scheme', scheme: 'https', port: 443 } },
  'to-http': { kind: 'redirect', permanent: true, to: { type: 'scheme', scheme: 'http', port: 80 } },
  regex: {
    kind: 'redirect',
    permanent: false,
    to: { type: 'regex', regex: { source: '^http://(?<host>[^/:]+)(:[0-9]+)?/old/(.*)', flags: '' }, replacement: ['https://', 1, '/new/', 3] },
  },
  'strip-app': { kind: 'strip-prefix', prefix: '/app' },
  'rewrite-root': { kind: 'replace-path-regex', regex: { source: '^(.*)', flags: '' }, replacement: ['/rewritten', 1] },
  secure: {
    kind: 'security-headers', hostHeaders: [], sslProxyHeaders: [], sslRedirect: false, sslForceHost: false, sslRedirectStatus: 301,
    responseHeaders: [['X-Frame-Options', 'DENY']], secureResponseHeaders: [],
  },
};

beforeAll(async () => {
  const on = (host: string, path: string, ids: string[]) => router(host, { type: 'string-prefix', path }, 'web', { middlewares: ids });
  await publish(
    table({
      routers: [
        on('root.example.com', '/', ['app-root', 'secure']),
        on('rewritten-root.example.com', '/', ['rewrite-root', 'app-root']),
        on('query-root.example.com', '/', ['app-root-query']),
        on('secure.example.com', '/', ['to-https']),
        on('plain.example.com', '/', ['to-http']),
        on('strip.example.com', '/app', ['strip-app', 'to-https']),
        on('regex.example.com', '/', ['regex']),
      ],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

async function redirected(url: string, init?: RequestInit): Promise<{ status: number; location: string | null; response: Response }> {
  // The test binding's fetch would follow the redirect itself.
  const response = await send(url, { redirect: 'manual', ...init });
  return { status: response.status, location: response.headers.get('location'), response };
}

describe('app-root', () => {
  it('redirects / with 302 for GET and 307 otherwise, to the same scheme and Host', async () => {
    expect(await redirected('http://root.example.com/')).toMatchObject({ status: 302, location: 'http://root.example.com/index.html' });
    expect(await redirected('https://root.example.com/', { method: 'POST' })).toMatchObject({
      status: 307,
      location: 'https://root.example.com/index.html',
    });
  });

  it('fires whatever the query (kept) and the Host port', async () => {
    const { status, location } = await redirected('http://root.example.com/?a=b', { headers: { Host: 'root.example.com:8080' } });
    expect(status).toBe(302);
    expect(location).toBe('http://root.example.com:8080/index.html?a=b');
  });

  it('fires even when rewrite-target changed the upstream path first', async () => {
    expect((await redirected('http://rewritten-root.example.com/')).location).toBe('http://rewritten-root.example.com/index.html');
  });

  it('keeps its own query instead of the request one, and is 301/308 when permanent', async () => {
    expect(await redirected('http://query-root.example.com/?x=1')).toMatchObject({ status: 301, location: 'http://query-root.example.com/app/?lang=en' });
    expect((await redirected('http://query-root.example.com/', { method: 'DELETE' })).status).toBe(308);
  });

  it('leaves every other path alone', async () => {
    expect((await echoOf(await send('http://root.example.com/docs/'))).url).toBe('/docs/');
  });

  it('answers with the status text only: no security headers on an edge redirect', async () => {
    const { response } = await redirected('http://root.example.com/');
    expect(await response.text()).toBe('Found');
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect((await send('http://root.example.com/page')).headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('redirect-entry-point', () => {
  it('sends http to https with the port of the target entry point, path and query kept', async () => {
    expect(await redirected('http://secure.example.com/a/b?c=d', { headers: { Host: 'secure.example.com:8080' } })).toMatchObject({
      status: 302,
      location: 'https://secure.example.com:443/a/b?c=d',
    });
    expect((await redirected('http://secure.example.com/', { method: 'HEAD' })).status).toBe(307);
  });

  it('serves requests that already arrived on the target entry point', async () => {
    expect((await echoOf(await send('https://secure.example.com/a'))).url).toBe('/a');
  });

  it('works towards http too, permanent', async () => {
    expect(await redirected('https://plain.example.com/x')).toMatchObject({ status: 301, location: 'http://plain.example.com:80/x' });
    expect((await redirected('https://plain.example.com/x', { method: 'PUT' })).status).toBe(308);
  });

  it('keeps a stripped prefix: the Location is the URL the client sent', async () => {
    expect((await redirected('http://strip.example.com/app/page')).location).toBe('https://strip.example.com:443/app/page');
  });
});

describe('redirect-regex', () => {
  it('rewrites the full URL with its groups', async () => {
    expect(await redirected('http://regex.example.com/old/a/b?c=1', { headers: { Host: 'regex.example.com:8080' } })).toMatchObject({
      status: 302,
      location: 'https://regex.example.com/new/a/b?c=1',
    });
  });

  it('does not redirect when the regex does not match', async () => {
    expect((await echoOf(await send('http://regex.example.com/current'))).url).toBe('/current');
    expect((await echoOf(await send('https://regex.example.com/old/x'))).url).toBe('/old/x');
  });
});

describe('redirects judge the path the pod would get (SECURITY.md, findings and fixes)', () => {
  it.each(['//old/x', '/%6Fld/x', '/old//x', '/%6f%6c%64/x', '/a/%2e%2e/old/x'])('redirect-regex fires for %s', async (path) => {
    expect(await redirected(`http://regex.example.com${path}`)).toMatchObject({ status: 302, location: 'https://regex.example.com/new/x' });
  });

  it.each(['//', '///', '/%2e/'])('app-root fires for %s, which the pod would get as /', async (path) => {
    expect(await redirected(`http://root.example.com${path}`)).toMatchObject({ status: 302, location: 'http://root.example.com/index.html' });
  });

  it('redirect-entry-point sends the normalised path', async () => {
    expect(await redirected('http://secure.example.com//a/%62')).toMatchObject({ status: 302, location: 'https://secure.example.com:443/a/b' });
  });
});
