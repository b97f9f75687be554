/**
 * HTTP shaping through `edgress dev`: path modifiers (request-modifier,
 * rewrite-target, with rule-type strips), redirects (app-root,
 * redirect-entry-point, redirect-regex, redirect-permanent) and
 * frontend-entry-points, asserting the status, the Location, the path and
 * headers the pod saw and the headers the client got.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toYaml } from './harness/manifests.ts';
import { fetchUrl, ingress, seen, startCluster, stopCluster, type Cluster } from './harness/cluster.ts';

const INGRESSES = [
  ingress('add-prefix', { 'ingress.kubernetes.io/request-modifier': 'AddPrefix: /public' }, 'add.example.com'),
  ingress('replace-path', { 'traefik.ingress.kubernetes.io/request-modifier': 'ReplacePath: /fixed' }, 'replace.example.com', '/old'),
  ingress('regex', { 'ingress.kubernetes.io/request-modifier': 'ReplacePathRegex: ^/api/v1/(?P<rest>.*) /v2/${rest}' }, 'regex.example.com', '/api'),
  ingress('rewrite', { 'ingress.kubernetes.io/rewrite-target': '/' }, 'rewrite.example.com', '/api'),
  ingress('rewrite-root', { 'traefik.ingress.kubernetes.io/rewrite-target': '/app' }, 'rewrite-root.example.com', '/', { pathType: 'Prefix' }),
  ingress(
    'strip-add',
    { 'traefik.frontend.rule.type': 'PathPrefixStrip', 'ingress.kubernetes.io/request-modifier': 'AddPrefix: /v1' },
    'strip.example.com',
    '/shop',
  ),
  ingress('broken-modifier', { 'ingress.kubernetes.io/request-modifier': 'PrependPath: /x' }, 'broken.example.com'),
  ingress('app-root', { 'ingress.kubernetes.io/app-root': '/index.html' }, 'root.example.com'),
  ingress(
    'app-root-permanent',
    { 'traefik.ingress.kubernetes.io/app-root': '/home', 'traefik.ingress.kubernetes.io/redirect-permanent': 'true' },
    'permanent.example.com',
  ),
  ingress(
    'to-https',
    { 'traefik.frontend.redirect.entrypoint': 'https', 'traefik.frontend.rule.type': 'PathPrefixStrip' },
    'secure.example.com',
    '/app',
  ),
  ingress(
    'regex-redirect',
    {
      'ingress.kubernetes.io/redirect-regex': '^http://old\\.example\\.com/(.*)',
      'ingress.kubernetes.io/redirect-replacement': 'https://new.example.com/$1',
    },
    'old.example.com',
  ),
  ingress('https-only', { 'ingress.kubernetes.io/frontend-entry-points': 'https' }, 'split.example.com'),
  ingress('http-only', { 'traefik.frontend.entryPoints': 'http' }, 'split.example.com', '/', { service: 'plain' }),
  ingress('tls-only', { 'traefik.ingress.kubernetes.io/frontend-entry-points': 'https' }, 'tls.example.com'),
];

let c: Cluster;

beforeAll(async () => {
  c = await startCluster({ ingresses: toYaml(INGRESSES), services: { web: 1, plain: 1 } });
});
afterAll(() => stopCluster(c));

describe('request-modifier', () => {
  it('AddPrefix puts the prefix in front of the path', async () => {
    const reply = await fetchUrl(c, 'http://add.example.com/x/y?q=1');
    expect(reply.status).toBe(200);
    expect(seen(reply).url).toBe('/public/x/y?q=1');
  });

  it('ReplacePath sends the fixed path and the original in X-Replaced-Path', async () => {
    const pod = seen(await fetchUrl(c, 'http://replace.example.com/old/page?q=1', { headers: { 'X-Replaced-Path': '/forged' } }));
    expect(pod.url).toBe('/fixed?q=1');
    expect(pod.headers['x-replaced-path']).toBe('/old/page');
  });

  it('ReplacePathRegex rewrites with named groups', async () => {
    const pod = seen(await fetchUrl(c, 'http://regex.example.com/api/v1/users/7'));
    expect(pod.path).toBe('/v2/users/7');
    expect(pod.headers['x-replaced-path']).toBe('/api/v1/users/7');
  });

  it('runs after a PathPrefixStrip (X-Forwarded-Prefix set)', async () => {
    const pod = seen(await fetchUrl(c, 'http://strip.example.com/shop/cart'));
    expect(pod.path).toBe('/v1/cart');
    expect(pod.headers['x-forwarded-prefix']).toBe('/shop');
  });

  it('that cannot be compiled makes the routes fail closed (404)', async () => {
    const reply = await fetchUrl(c, 'http://broken.example.com/x');
    expect(reply.status).toBe(404);
    expect(reply.body).toBe('404 page not found\n');
  });
});

describe('rewrite-target', () => {
  it.each([
    ['http://rewrite.example.com/api/users', '/users'],
    ['http://rewrite.example.com/api', '/'],
    ['http://rewrite-root.example.com/', '/app/'],
    ['http://rewrite-root.example.com/x', '/app/x'],
  ])('%s reaches the pod as %s, the original in X-Replaced-Path', async (url, path) => {
    const pod = seen(await fetchUrl(c, url));
    expect(pod.path).toBe(path);
    expect(pod.headers['x-replaced-path']).toBe(new URL(url).pathname);
  });
});

describe('app-root', () => {
  it('redirects / with 302 to the same scheme and Host, whatever the query and port', async () => {
    const reply = await fetchUrl(c, 'http://root.example.com:8080/?lang=en');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('http://root.example.com:8080/index.html?lang=en');
    expect(reply.body).toBe('Found');
  });

  it('uses 307 for other methods, and leaves other paths alone', async () => {
    expect((await fetchUrl(c, 'https://root.example.com/', { method: 'POST' })).headers.location).toBe('https://root.example.com/index.html');
    expect((await fetchUrl(c, 'https://root.example.com/', { method: 'POST' })).status).toBe(307);
    expect(seen(await fetchUrl(c, 'http://root.example.com/docs/')).path).toBe('/docs/');
  });

  it('is 301 / 308 with redirect-permanent', async () => {
    expect((await fetchUrl(c, 'http://permanent.example.com/')).status).toBe(301);
    expect((await fetchUrl(c, 'http://permanent.example.com/', { method: 'PUT' })).status).toBe(308);
  });
});

describe('redirect-entry-point', () => {
  it('sends http to https with :443, keeping the stripped prefix and the query', async () => {
    const reply = await fetchUrl(c, 'http://secure.example.com/app/cart?x=1');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://secure.example.com:443/app/cart?x=1');
  });

  it('serves the request that arrived over https', async () => {
    const pod = seen(await fetchUrl(c, 'https://secure.example.com/app/cart'));
    expect(pod.path).toBe('/cart');
    expect(pod.headers['x-forwarded-proto']).toBe('https');
  });
});

describe('redirect-regex', () => {
  it('rewrites the full URL the client sent', async () => {
    const reply = await fetchUrl(c, 'http://old.example.com/a/b?c=d');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://new.example.com/a/b?c=d');
  });

  it('serves what it does not match', async () => {
    expect(seen(await fetchUrl(c, 'https://old.example.com/a')).path).toBe('/a');
  });

  it('rewrites the path the pod would get: merged slashes, decoded unreserved escapes (SECURITY.md, findings and fixes)', async () => {
    for (const path of ['//a//b?c=d', '/%61/%62?c=d']) {
      const reply = await fetchUrl(c, `http://old.example.com${path}`);
      expect(reply.status).toBe(302);
      expect(reply.headers.location).toBe('https://new.example.com/a/b?c=d');
    }
  });
});

describe('app-root and entry-point redirects judge the normalised path (SECURITY.md, findings and fixes)', () => {
  it('app-root fires for //, which the pod would get as /', async () => {
    const reply = await fetchUrl(c, 'http://root.example.com//?lang=en');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('http://root.example.com/index.html?lang=en');
  });

  it('redirect-entry-point keeps the normalised path', async () => {
    const reply = await fetchUrl(c, 'http://secure.example.com//app//%63art');
    expect(reply.headers.location).toBe('https://secure.example.com:443/app/cart');
  });
});

describe('frontend-entry-points', () => {
  it('routes each scheme to the Ingress limited to it', async () => {
    expect(seen(await fetchUrl(c, 'https://split.example.com/x')).service).toBe('web');
    expect(seen(await fetchUrl(c, 'http://split.example.com/x')).service).toBe('plain');
  });

  it('does not serve a route limited to https over http', async () => {
    expect((await fetchUrl(c, 'https://tls.example.com/x')).status).toBe(200);
    const plain = await fetchUrl(c, 'http://tls.example.com/x');
    expect(plain.status).toBe(404);
    expect(plain.body).toBe('404 page not found\n');
  });
});
