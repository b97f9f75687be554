/**
 * Acceptance probes of the ingress-nginx dialect through `edgress dev
 * --ingress-nginx`: variants of the Tier 1 and Tier 2 annotations beyond
 * ingress-nginx.test.ts, each expectation citing the ingress-nginx doc, e2e
 * test (kubernetes/ingress-nginx test/e2e/annotations/*.go) or template
 * (rootfs/etc/nginx/template/nginx.tmpl) it comes from.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toYaml } from './harness/manifests.ts';
import { expectRedirect, N, nginxIngress } from './harness/nginx.ts';
import { fetchUrl, seen, startCluster, stopCluster, type Cluster } from './harness/cluster.ts';

/** An auth service answering by the request's `x-test-auth` header (passed on from the client). */
interface Auth {
  readonly url: string;
  readonly seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

async function startAuth(): Promise<Auth> {
  const seenRequests: Auth['seen'] = [];
  const server = http.createServer((req, res) => {
    seenRequests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    const mode = String(req.headers['x-test-auth'] ?? '');
    if (mode === 'ok') res.writeHead(200, { 'x-user': 'alice', 'set-cookie': 'session=refreshed; Path=/' }).end();
    else if (mode === 'forbidden') res.writeHead(403).end();
    else if (mode === 'redirect') res.writeHead(302, { location: '/elsewhere' }).end();
    else res.writeHead(401, { 'www-authenticate': 'Bearer realm="sso"' }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/verify`,
    seen: seenRequests,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

let c: Cluster;
let auth: Auth;
const sha = (password: string) => `{SHA}${createHash('sha1').update(password).digest('base64')}`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  auth = await startAuth();
  const objects = [
    // rewrite-target without capture groups
    nginxIngress('rewrite-root', { [`${N}rewrite-target`]: '/' }, 'rewrite-root.example.com', [{ path: '/api' }]),
    nginxIngress('rewrite-old', { [`${N}rewrite-target`]: '/new/$1' }, 'rewrite-old.example.com', [{ path: '/old/(.*)' }]),
    // regex host across Ingresses
    nginxIngress('rx-a', { [`${N}use-regex`]: 'true' }, 'rx.example.com', [{ path: '/a/b.*', service: 'other' }]),
    nginxIngress('rx-b', {}, 'rx.example.com', [{ path: '/a', pathType: 'Prefix' }]),
    // plain paths
    nginxIngress('plain', {}, 'plain.example.com', [{ path: '/foo' }, { path: '/exact', pathType: 'Exact', service: 'other' }, { path: '/pre', pathType: 'Prefix', service: 'other' }]),
    // redirects
    nginxIngress('tls-off', { [`${N}ssl-redirect`]: 'false' }, 'tlsoff.example.com', [{ path: '/' }], { tls: [{ hosts: ['tlsoff.example.com'], secretName: 'tls-cert' }] }),
    nginxIngress('perm-default', { [`${N}permanent-redirect`]: 'https://new.example.com' }, 'perm.example.com'),
    nginxIngress('temp-code', { [`${N}temporal-redirect`]: 'https://t.example.com/x', [`${N}temporal-redirect-code`]: '307' }, 'temp.example.com'),
    nginxIngress('app-root', { [`${N}app-root`]: '/app1' }, 'approot.example.com'),
    nginxIngress('www-tls', { [`${N}from-to-www-redirect`]: 'true' }, 'example.net'),
    // body size
    nginxIngress('body-0', { [`${N}proxy-body-size`]: '0' }, 'body0.example.com'),
    nginxIngress('body-1k', { [`${N}proxy-body-size`]: '1k' }, 'body1k.example.com'),
    // cors
    nginxIngress('cors-star', { [`${N}enable-cors`]: 'true' }, 'cors-star.example.com'),
    nginxIngress('cors-full', {
      [`${N}enable-cors`]: 'true',
      [`${N}cors-allow-origin`]: 'https://origin.example.com, https://*.apps.example.com',
      [`${N}cors-allow-methods`]: 'GET, POST',
      [`${N}cors-allow-headers`]: 'X-Custom, Content-Type',
      [`${N}cors-expose-headers`]: 'X-Expose',
      [`${N}cors-max-age`]: '600',
    }, 'cors-full.example.com'),
    // access
    nginxIngress('allow-deny', { [`${N}allowlist-source-range`]: '127.0.0.0/8, ::1/128', [`${N}denylist-source-range`]: '127.0.0.1/32, ::1/128' }, 'allowdeny.example.com'),
    nginxIngress('allow-ok', { [`${N}whitelist-source-range`]: '127.0.0.0/8,::1/128' }, 'allowok.example.com'),
    nginxIngress('basic-map', { [`${N}auth-type`]: 'basic', [`${N}auth-secret`]: 'basic-map', [`${N}auth-secret-type`]: 'auth-map' }, 'basicmap.example.com'),
    nginxIngress('basic-norealm', { [`${N}auth-type`]: 'basic', [`${N}auth-secret`]: 'default/basic-file' }, 'basicfile.example.com'),
    nginxIngress('ext', {
      [`${N}auth-url`]: auth.url,
      [`${N}auth-method`]: 'GET',
      [`${N}auth-response-headers`]: 'X-User',
    }, 'ext.example.com'),
    nginxIngress('ext-signin', {
      [`${N}auth-url`]: auth.url,
      [`${N}auth-signin`]: 'https://login.example.com/start?app=shop',
      [`${N}auth-request-redirect`]: 'https://shop.example.com/back',
    }, 'ext-signin.example.com'),
    nginxIngress('ext-signin-rd', {
      [`${N}auth-url`]: auth.url,
      [`${N}auth-signin`]: 'https://login.example.com/start?rd=$escaped_request_uri',
    }, 'ext-signin-rd.example.com'),
    nginxIngress('ext-down', { [`${N}auth-url`]: 'http://127.0.0.1:9/verify' }, 'ext-down.example.com'),
    // errors
    nginxIngress('errors', { [`${N}default-backend`]: 'errors', [`${N}custom-http-errors`]: '404' }, 'errors.example.com', [{ path: '/' }]),
    // canary
    nginxIngress('pattern-main', {}, 'pattern.example.com'),
    nginxIngress('pattern-canary', { [`${N}canary`]: 'true', [`${N}canary-by-header`]: 'X-Region', [`${N}canary-by-header-pattern`]: '^(eu|us)-west$' }, 'pattern.example.com', [{ path: '/', service: 'other' }]),
    nginxIngress('weight-main', {}, 'weight.example.com'),
    nginxIngress('weight-canary', { [`${N}canary`]: 'true', [`${N}canary-weight`]: '200', [`${N}canary-weight-total`]: '200', [`${N}canary-by-cookie`]: 'c' }, 'weight.example.com', [{ path: '/', service: 'other' }]),
    // aliases, limits
    nginxIngress('aliases', { [`${N}server-alias`]: 'a1.example.com, a2.example.com' }, 'aliases.example.com'),
    nginxIngress('rpm', { [`${N}limit-rpm`]: '2', [`${N}limit-burst-multiplier`]: '1' }, 'rpm.example.com'),
    // round 2
    nginxIngress('rw-host', { [`${N}rewrite-target`]: '/$1' }, 'rwhost.example.com', [{ path: '/api/(.*)' }]),
    nginxIngress('rw-host-other', {}, 'rwhost.example.com', [{ path: '/b', service: 'other' }, { path: '/docs/', pathType: 'Prefix', service: 'other' }]),
    nginxIngress('literal', {}, 'literal.example.com', [{ path: '/foo.*' }]),
    nginxIngress('prefix-only', { [`${N}x-forwarded-prefix`]: '/p' }, 'xfp.example.com'),
    nginxIngress('body-1m', { [`${N}proxy-body-size`]: '1M' }, 'body1m.example.com'),
    nginxIngress('slash-both', {}, 'slashboth.example.com', [{ path: '/docs/', pathType: 'Prefix', service: 'other' }, { path: '/docs', pathType: 'Exact' }]),
    nginxIngress('oauth', {
      [`${N}auth-url`]: `http://127.0.0.1:${new URL(auth.url).port}/verify?host=$host`,
      [`${N}auth-signin`]: 'https://$host/oauth2/start?rd=$escaped_request_uri',
    }, 'oauth.example.com'),
    // round 3
    nginxIngress('always-main', {}, 'always.example.com'),
    nginxIngress('always-canary', { [`${N}canary`]: 'true', [`${N}canary-by-header`]: 'X-Canary', [`${N}canary-by-header-value`]: 'yes' }, 'always.example.com', [{ path: '/', service: 'other' }]),
    nginxIngress('allow-ten', { [`${N}allowlist-source-range`]: '10.0.0.0/8' }, 'allowten.example.com'),
    nginxIngress('sticky-default', { [`${N}affinity`]: 'cookie' }, 'stickydefault.example.com'),
    nginxIngress('anchored', { [`${N}use-regex`]: 'true' }, 'anchored.example.com', [{ path: '/foo$', service: 'other' }, { path: '/', pathType: 'Prefix' }]),
    nginxIngress('approot-tls', { [`${N}app-root`]: '/app1' }, 'approottls.example.com', [{ path: '/' }], { tls: [{ hosts: ['approottls.example.com'], secretName: 'tls-cert' }] }),
    nginxIngress('perm-tls', { [`${N}permanent-redirect`]: 'https://moved.example.com/' }, 'permtls.example.com', [{ path: '/' }], { tls: [{ hosts: ['permtls.example.com'], secretName: 'tls-cert' }] }),
    // selection
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'external-nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'k8s.io/ingress-nginx' } },
    nginxIngress('by-class', { [`${N}rewrite-target`]: '/$1' }, 'byclass.example.com', [{ path: '/x/(.*)' }], { ingressClassName: 'external-nginx' }, false),
    nginxIngress('by-default', { [`${N}permanent-redirect`]: 'https://default.example.com' }, 'bydefault.example.com', [{ path: '/' }], {}, false),
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'basic-map', namespace: 'default' }, stringData: { foo: sha('bar') } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'basic-file', namespace: 'default' }, stringData: { auth: `foo:${sha('bar')}\n` } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls-cert', namespace: 'default' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': '', 'tls.key': '' } },
  ];
  c = await startCluster({ ingresses: toYaml(objects), services: { web: 1, other: 1, errors: 1 }, devArgs: () => ['--ingress-nginx'] });
}, 120_000);
afterAll(async () => {
  await stopCluster(c);
  await auth?.close();
});

describe('paths', () => {
  // nginx.tmpl: rewrite "(?i)<path>" <target> break; replaces the whole URI, nginx appends the query.
  it('rewrite-target / sends every path under the location to /, query kept', async () => {
    expect(seen(await fetchUrl(c, 'http://rewrite-root.example.com/api/foo/bar?x=1')).url).toBe('/?x=1');
    expect(seen(await fetchUrl(c, 'http://rewrite-old.example.com/OLD/a/b?y=2')).url).toBe('/new/a/b?y=2');
  });

  // docs/user-guide/ingress-path-matching.md: regex on any Ingress of the host, case-insensitive, longest first.
  it('makes a Prefix path of another Ingress of the host a case-insensitive regex, longest first', async () => {
    expect(seen(await fetchUrl(c, 'http://rx.example.com/A/Bzz')).service).toBe('other');
    expect(seen(await fetchUrl(c, 'http://rx.example.com/A/c')).service).toBe('web');
  });

  // ingress-path-matching.md: ImplementationSpecific is nginx's prefix; Exact is exact; Prefix matches by element.
  it('ImplementationSpecific is a plain prefix, Exact is exact, Prefix matches elements', async () => {
    expect(seen(await fetchUrl(c, 'http://plain.example.com/foobar')).service).toBe('web');
    expect(seen(await fetchUrl(c, 'http://plain.example.com/exact')).service).toBe('other');
    expect((await fetchUrl(c, 'http://plain.example.com/exact/x')).status).toBe(404);
    expect(seen(await fetchUrl(c, 'http://plain.example.com/pre/x')).service).toBe('other');
    expect((await fetchUrl(c, 'http://plain.example.com/prefix')).status).toBe(404);
  });
});

describe('redirects', () => {
  // annotations.md "Server-side HTTPS enforcement through redirect": ssl-redirect "false" turns it off.
  it('ssl-redirect false serves http for an Ingress with tls', async () => {
    expect((await fetchUrl(c, 'http://tlsoff.example.com/')).status).toBe(200);
  });

  // annotations.md "Permanent Redirect": 301 by default.
  it('permanent-redirect answers 301 by default, for any method', async () => {
    const reply = await fetchUrl(c, 'http://perm.example.com/x?y=1', { method: 'POST', body: 'a' });
    expectRedirect(reply, 301, 'https://new.example.com');
  });

  // annotations.md "Temporal Redirect" + temporal-redirect-code.
  it('temporal-redirect-code sets the code', async () => {
    const reply = await fetchUrl(c, 'http://temp.example.com/');
    expectRedirect(reply, 307, 'https://t.example.com/x');
  });

  // nginx.tmpl: if ($uri = /) { return 302 $scheme://$http_host<app-root>; } -- query not kept, other paths served.
  it('app-root redirects only /, over https too', async () => {
    const reply = await fetchUrl(c, 'https://approot.example.com/?x=1');
    expectRedirect(reply, 302, 'https://approot.example.com/app1');
    expect(seen(await fetchUrl(c, 'http://approot.example.com/app1')).url).toBe('/app1');
  });

  // fromtowwwredirect.go "should redirect from www HTTPS to HTTPS".
  it('from-to-www-redirect keeps https', async () => {
    const reply = await fetchUrl(c, 'https://www.example.net/foo?x=1');
    expectRedirect(reply, 308, 'https://example.net/foo?x=1');
  });
});

describe('proxy-body-size', () => {
  // annotations.md "Custom max body size": 0 disables the check; a chunked body counts too.
  it('0 is unlimited, and a chunked body above the size is refused with 413', async () => {
    expect((await fetchUrl(c, 'http://body0.example.com/', { method: 'POST', body: 'x'.repeat(5_000_000) })).status).toBe(200);
    expect((await fetchUrl(c, 'http://body1k.example.com/', { method: 'POST', body: 'x'.repeat(1024) })).status).toBe(200);
    expect((await fetchUrl(c, 'http://body1k.example.com/', { method: 'POST', body: 'x'.repeat(1025) })).status).toBe(413);
  });
});

describe('cors', () => {
  // nginx.tmpl CORS + buildCorsOriginRegex: with "*" every request gets the headers (Origin or not); the preflight is 204 text/plain, length 0.
  it('answers a preflight with 204 and the default headers', async () => {
    const reply = await fetchUrl(c, 'http://cors-star.example.com/', { method: 'OPTIONS', headers: { origin: 'https://x.example', 'access-control-request-method': 'PUT' } });
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers['access-control-allow-headers']).toBe('DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization');
    expect(reply.headers['access-control-allow-credentials']).toBe('true');
    expect(reply.headers['access-control-max-age']).toBe('1728000');
  });

  // cors.go "should set all cors annotations": every cors-* on the response.
  it('sends every cors-* annotation, and matches a one-label wildcard origin only', async () => {
    const reply = await fetchUrl(c, 'http://cors-full.example.com/', { headers: { origin: 'https://shop.apps.example.com' } });
    expect(reply.headers['access-control-allow-origin']).toBe('https://shop.apps.example.com');
    expect(reply.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(reply.headers['access-control-allow-headers']).toBe('X-Custom, Content-Type');
    expect(reply.headers['access-control-expose-headers']).toBe('X-Expose');
    expect(reply.headers['access-control-max-age']).toBe('600');
    expect(reply.headers['access-control-allow-credentials']).toBe('true');
    const nested = await fetchUrl(c, 'http://cors-full.example.com/', { headers: { origin: 'https://a.b.apps.example.com' } });
    expect(nested.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await fetchUrl(c, 'http://cors-full.example.com/', { method: 'OPTIONS', headers: { origin: 'https://origin.example.com' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://origin.example.com');
  });
});

describe('access control', () => {
  // ipdenylist.go / annotations.md: a denied client is refused even when also allowed.
  it('denylist wins over allowlist; a client in the allowlist gets in', async () => {
    expect((await fetchUrl(c, 'http://allowdeny.example.com/')).status).toBe(403);
    expect((await fetchUrl(c, 'http://allowok.example.com/')).status).toBe(200);
  });

  // auth.go "should return status code 200 when authentication is configured with a map and Authorization header is sent".
  it('auth-map: a key per user', async () => {
    expect((await fetchUrl(c, 'http://basicmap.example.com/', { headers: { authorization: basic('foo', 'bar') } })).status).toBe(200);
    expect((await fetchUrl(c, 'http://basicmap.example.com/', { headers: { authorization: basic('foo', 'baz') } })).status).toBe(401);
    // auth-secret as namespace/name; the challenge without auth-realm.
    const challenge = await fetchUrl(c, 'http://basicfile.example.com/');
    expect(challenge.status).toBe(401);
    expect(challenge.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await fetchUrl(c, 'http://basicfile.example.com/', { headers: { authorization: basic('foo', 'bar') } })).status).toBe(200);
  });

  // auth.go "should return status code 200 when signed in"; nginx.tmpl auth location: auth-method, no body,
  // X-Original-URL, X-Auth-Request-Redirect $request_uri; auth_request_set $auth_cookie -> Set-Cookie to the client.
  it('auth-url: method, headers sent to the auth service, response headers and its cookie', async () => {
    const ok = await fetchUrl(c, 'http://ext.example.com/p?q=1', { method: 'POST', body: 'payload', headers: { 'x-test-auth': 'ok', 'x-user': 'mallory' } });
    expect(ok.status).toBe(200);
    expect(seen(ok).headers['x-user']).toBe('alice');
    expect(seen(ok).body).toBe('payload');
    expect(String(ok.headers['set-cookie'])).toContain('session=refreshed');
    const asked = auth.seen.at(-1)!;
    expect(asked.method).toBe('GET');
    expect(asked.headers['x-original-url']).toBe('http://ext.example.com/p?q=1');
    expect(asked.headers['x-original-method']).toBe('POST');
    expect(asked.headers['x-auth-request-redirect']).toBe('/p?q=1');
  });

  // nginx auth_request: 401 passes WWW-Authenticate; 403 → 403; anything else (3xx, unreachable) → 500.
  it('auth-url answers: 401 with the challenge, 403, 500', async () => {
    const denied = await fetchUrl(c, 'http://ext.example.com/');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="sso"');
    expect((await fetchUrl(c, 'http://ext.example.com/', { headers: { 'x-test-auth': 'forbidden' } })).status).toBe(403);
    expect((await fetchUrl(c, 'http://ext.example.com/', { headers: { 'x-test-auth': 'redirect' } })).status).toBe(500);
    expect((await fetchUrl(c, 'http://ext-down.example.com/')).status).toBe(500);
  });

  // template.go buildAuthSignURL: &rd= when the URL has a query; unchanged when it has rd; auth-request-redirect sent.
  it('auth-signin with a query appends &rd=, and one with rd is kept', async () => {
    const reply = await fetchUrl(c, 'http://ext-signin.example.com/a b?x=1');
    expectRedirect(reply, 302, `https://login.example.com/start?app=shop&rd=http://ext-signin.example.com${encodeURIComponent('/a%20b?x=1')}`);
    expect(auth.seen.at(-1)!.headers['x-auth-request-redirect']).toBe('https://shop.example.com/back');
    const rd = await fetchUrl(c, 'http://ext-signin-rd.example.com/p?x=1');
    expectRedirect(rd, 302, `https://login.example.com/start?rd=${encodeURIComponent('/p?x=1')}`);
  });
});

describe('custom-http-errors', () => {
  // nginx.tmpl CUSTOM_ERRORS: the default backend gets X-Code, X-Original-URI, X-Namespace, X-Ingress-Name, X-Service-Name; path /.
  it('asks the default backend with the X-Code headers', async () => {
    const reply = await fetchUrl(c, 'http://errors.example.com/missing?a=1', { headers: { 'x-echo-status': '404', accept: 'text/html' } });
    expect(reply.status).toBe(404);
    const echo = reply.json<{ service: string; url: string; headers: Record<string, string> }>();
    expect(echo.service).toBe('errors');
    expect(echo.url).toBe('/');
    expect(echo.headers['x-code']).toBe('404');
    expect(echo.headers['x-format']).toBe('text/html');
    expect(echo.headers['x-original-uri']).toBe('/missing?a=1');
    expect(echo.headers['x-namespace']).toBe('default');
    expect(echo.headers['x-ingress-name']).toBe('errors');
    expect(echo.headers['x-service-name']).toBe('web');
  });
});

describe('canary', () => {
  // canary.go "should route requests to the correct upstream if the header value matches the pattern".
  it('canary-by-header-pattern', async () => {
    expect(seen(await fetchUrl(c, 'http://pattern.example.com/', { headers: { 'x-region': 'eu-west' } })).service).toBe('other');
    expect(seen(await fetchUrl(c, 'http://pattern.example.com/', { headers: { 'x-region': 'eu-east' } })).service).toBe('web');
  });

  // canary.go "should route requests split between mainline and canary if canary weight is 100 and weight total is 200" (here 200/200 → all);
  // a cookie "never" wins over the weight.
  it('canary-weight-total, and the cookie before the weight', async () => {
    for (let i = 0; i < 4; i++) expect(seen(await fetchUrl(c, 'http://weight.example.com/')).service).toBe('other');
    expect(seen(await fetchUrl(c, 'http://weight.example.com/', { headers: { cookie: 'c=never' } })).service).toBe('web');
  });
});

describe('tier 2', () => {
  // serveralias.go "should return status code 200 for host 'foo' and 'bar'": several aliases.
  it('server-alias: every alias of the list', async () => {
    expect(seen(await fetchUrl(c, 'http://a1.example.com/')).service).toBe('web');
    expect(seen(await fetchUrl(c, 'http://a2.example.com/')).service).toBe('web');
  });

  // annotations.md "Rate Limiting": limit-rpm.
  it('limit-rpm answers 503 over the bucket', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetchUrl(c, 'http://rpm.example.com/')).status);
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(503);
  });
});

describe('round 2', () => {
  // ingress-path-matching.md: rewrite-target on one Ingress makes the host's other paths regexes, but rewrites only its own.
  it('a rewrite-target host: other Ingresses are regexes, not rewritten, and get no trailing-slash 301', async () => {
    expect(seen(await fetchUrl(c, 'http://rwhost.example.com/api/x?y=1')).url).toBe('/x?y=1');
    const other = seen(await fetchUrl(c, 'http://rwhost.example.com/B/c?z=1'));
    expect(other.service).toBe('other');
    expect(other.url).toBe('/B/c?z=1');
    // A regex location ~* "^/docs/" does not match /docs, and nginx's 301 is only for prefix locations.
    expect((await fetchUrl(c, 'http://rwhost.example.com/docs')).status).toBe(404);
  });

  // ingress-path-matching.md: without use-regex the path is a literal prefix.
  it('a path with regex characters on a plain host is literal', async () => {
    expect(seen(await fetchUrl(c, 'http://literal.example.com/foo.*/x')).service).toBe('web');
    expect((await fetchUrl(c, 'http://literal.example.com/foobar')).status).toBe(404);
  });

  // template.go buildProxyPass: X-Forwarded-Prefix is set only with a rewrite-target.
  it('x-forwarded-prefix without rewrite-target sends nothing', async () => {
    expect(seen(await fetchUrl(c, 'http://xfp.example.com/a')).headers['x-forwarded-prefix']).toBeUndefined();
  });

  // nginx client_max_body_size accepts M; nginx discards a refused body, so a client still sending gets the 413
  // (before the edge read the rest, edgress dev sometimes answered 502 here).
  it('proxy-body-size 1M, and 413 every time for a body still being sent', async () => {
    expect((await fetchUrl(c, 'http://body1m.example.com/', { method: 'POST', body: 'x'.repeat(1024 * 1024) })).status).toBe(200);
    for (let i = 0; i < 5; i++) {
      expect((await fetchUrl(c, 'http://body1m.example.com/', { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) })).status).toBe(413);
    }
  });

  // nginx: with an exact location for /docs, no 301.
  it('no trailing-slash 301 when /docs itself is routed', async () => {
    expect(seen(await fetchUrl(c, 'http://slashboth.example.com/docs')).service).toBe('web');
  });

  // docs/examples/auth/oauth-external-auth: auth-url and auth-signin with $host and $escaped_request_uri.
  it('oauth2-proxy style $host and $escaped_request_uri', async () => {
    const reply = await fetchUrl(c, 'http://oauth.example.com/a/b?c=d');
    expectRedirect(reply, 302, `https://oauth.example.com/oauth2/start?rd=${encodeURIComponent('/a/b?c=d')}`);
    expect(auth.seen.at(-1)!.url).toBe('/verify?host=oauth.example.com');
  });
});

describe('round 3', () => {
  // balancer.lua route_to_alternative_balancer: with canary-by-header-value, only that value routes to the canary ("always" is not special).
  it('canary-by-header-value: always is just another value', async () => {
    expect(seen(await fetchUrl(c, 'http://always.example.com/', { headers: { 'x-canary': 'always' } })).service).toBe('web');
    expect(seen(await fetchUrl(c, 'http://always.example.com/', { headers: { 'x-canary': 'yes' } })).service).toBe('other');
  });

  // The client address is the edge's (CF-Connecting-IP), not a header the client sends.
  it('an allow-list cannot be passed with forged client-address headers', async () => {
    for (const header of ['cf-connecting-ip', 'x-forwarded-for', 'x-real-ip', 'true-client-ip']) {
      expect((await fetchUrl(c, 'http://allowten.example.com/', { headers: { [header]: '10.1.2.3' } })).status).toBe(403);
    }
  });

  // ingress-path-matching.md: a regex path is location ~* "^<path>", so a $ in it anchors the end.
  it('a regex path ending in $ matches only that path', async () => {
    expect(seen(await fetchUrl(c, 'http://anchored.example.com/FOO')).service).toBe('other');
    expect(seen(await fetchUrl(c, 'http://anchored.example.com/foo/x')).service).toBe('web');
  });

  // nginx.tmpl: app-root's and permanent-redirect's `return` run in nginx's rewrite phase before the https redirect
  // (rewrite_by_lua, ngx_rewrite.lua), so over http they answer first.
  it('app-root and permanent-redirect answer before ssl-redirect', async () => {
    expectRedirect(await fetchUrl(c, 'http://approottls.example.com/'), 302, 'http://approottls.example.com/app1');
    expectRedirect(await fetchUrl(c, 'http://approottls.example.com/x'), 308, 'https://approottls.example.com/x');
    expectRedirect(await fetchUrl(c, 'http://permtls.example.com/x'), 301, 'https://moved.example.com/');
  });

  // annotations.md "Session Affinity": the default cookie name is INGRESSCOOKIE.
  it('affinity cookie: INGRESSCOOKIE by default', async () => {
    expect(String((await fetchUrl(c, 'http://stickydefault.example.com/')).headers['set-cookie'])).toMatch(/^INGRESSCOOKIE=/);
  });
});

describe('selection', () => {
  // annotations.md / ingress-nginx docs "IngressClass": ingressClassName of a k8s.io/ingress-nginx class, and a default class.
  it('serves an Ingress of an ingress-nginx IngressClass and a class-less one under the default class', async () => {
    expect(seen(await fetchUrl(c, 'http://byclass.example.com/x/y')).url).toBe('/y');
    const reply = await fetchUrl(c, 'http://bydefault.example.com/');
    expect(reply.status).toBe(301);
  });
});
