/**
 * The ingress-nginx dialect through `edgress dev --ingress-nginx`: Ingresses of class `nginx`
 * with ingress-nginx annotations, request by request. Each expectation names
 * the ingress-nginx doc or e2e test (kubernetes/ingress-nginx
 * test/e2e/annotations/*.go) it comes from.
 */
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toYaml } from './harness/manifests.ts';
import { startAuthServer, type AuthServer } from './harness/auth-server.ts';
import { expectRedirect, N, nginxIngress } from './harness/nginx.ts';
import { fetchUrl, seen, startCluster, stopCluster, type Cluster } from './harness/cluster.ts';
import { runCli, tempDir } from './harness/edgress.ts';

const PASSWORD = 'bar';
const HTPASSWD = `foo:{SHA}${createHash('sha1').update(PASSWORD).digest('base64')}\n`;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

let c: Cluster;
let auth: AuthServer;

beforeAll(async () => {
  auth = await startAuthServer('127.0.0.1');
  const objects = [
    nginxIngress('regex', { [`${N}use-regex`]: 'true' }, 'regex.example.com', [{ path: '/foo/bar/[A-Z0-9]{3}', service: 'other' }]),
    nginxIngress('exact-same-host', {}, 'regex.example.com', [{ path: '/foo/bar/bar', pathType: 'Exact' }, { path: '/assets', pathType: 'Exact' }]),
    nginxIngress('rewrite', { [`${N}rewrite-target`]: '/$2', [`${N}x-forwarded-prefix`]: '/something' }, 'rewrite.example.com', [{ path: '/something(/|$)(.*)' }]),
    nginxIngress('app-root', { [`${N}app-root`]: '/app1' }, 'approot.example.com'),
    nginxIngress('permanent', { [`${N}permanent-redirect`]: 'https://www.example.com$request_uri', [`${N}permanent-redirect-code`]: '308' }, 'permanent.example.com'),
    nginxIngress('temporal', { [`${N}temporal-redirect`]: 'https://maintenance.example.com/' }, 'temporal.example.com'),
    nginxIngress('tls', {}, 'tls.example.com', [{ path: '/' }], { tls: [{ hosts: ['tls.example.com'], secretName: 'tls-cert' }] }),
    nginxIngress('forced', { [`${N}force-ssl-redirect`]: 'true' }, 'forced.example.com'),
    nginxIngress('basic', { [`${N}auth-type`]: 'basic', [`${N}auth-secret`]: 'basic-auth', [`${N}auth-realm`]: 'test auth' }, 'basic.example.com'),
    nginxIngress('basic-missing', { [`${N}auth-type`]: 'basic', [`${N}auth-secret`]: 'nope' }, 'missing.example.com'),
    nginxIngress('allow', { [`${N}allowlist-source-range`]: '10.0.0.0/8' }, 'allow.example.com'),
    nginxIngress('deny', { [`${N}denylist-source-range`]: '127.0.0.0/8, ::1' }, 'deny.example.com'),
    nginxIngress('allow-broken', { [`${N}whitelist-source-range`]: '10.0.0.0/33' }, 'broken.example.com'),
    nginxIngress('slash', {}, 'slash.example.com', [{ path: '/docs/', pathType: 'Prefix' }]),
    nginxIngress('external', {
      [`${N}auth-url`]: auth.url,
      [`${N}auth-signin`]: 'https://login.example.com/start',
      [`${N}auth-response-headers`]: 'X-Auth-User',
    }, 'external.example.com'),
    nginxIngress('body', { [`${N}proxy-body-size`]: '1k' }, 'body.example.com'),
    nginxIngress('cors', { [`${N}enable-cors`]: 'true' }, 'cors.example.com'),
    nginxIngress('cors-origins', {
      [`${N}enable-cors`]: 'true',
      [`${N}cors-allow-origin`]: 'https://origin.example.com, https://*.apps.example.com',
      [`${N}cors-allow-credentials`]: 'false',
      [`${N}auth-type`]: 'basic',
      [`${N}auth-secret`]: 'basic-auth',
    }, 'cors-origins.example.com'),
    nginxIngress('www', { [`${N}from-to-www-redirect`]: 'true' }, 'www.example.org'),
    nginxIngress('errors', { [`${N}default-backend`]: 'errors', [`${N}custom-http-errors`]: '404,503' }, 'errors.example.com', [{ path: '/' }, { path: '/gone', service: 'nobody' }]),
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'nobody', namespace: 'default' }, spec: { ports: [{ name: 'http', port: 8080 }] } },
    nginxIngress('main', {}, 'canary.example.com'),
    nginxIngress('main-canary', {
      [`${N}canary`]: 'true', [`${N}canary-by-header`]: 'X-Canary', [`${N}canary-by-cookie`]: 'canary_cookie', [`${N}canary-weight`]: '0',
    }, 'canary.example.com', [{ path: '/', service: 'other' }]),
    nginxIngress('limited', { [`${N}limit-rps`]: '1', [`${N}limit-burst-multiplier`]: '1' }, 'limited.example.com'),
    nginxIngress('exempt', { [`${N}limit-rps`]: '1', [`${N}limit-burst-multiplier`]: '1', [`${N}limit-whitelist`]: '127.0.0.0/8, ::1' }, 'exempt.example.com'),
    nginxIngress('aliased', { [`${N}server-alias`]: 'alias.example.com' }, 'aliased.example.com'),
    nginxIngress('vhost', { [`${N}upstream-vhost`]: 'internal.example.svc' }, 'vhost.example.com'),
    nginxIngress('snippet', {
      [`${N}configuration-snippet`]: 'more_set_headers "X-Frame-Options: DENY";\nproxy_set_header X-Tenant "acme";\n',
    }, 'snippet.example.com'),
    nginxIngress('sticky', { [`${N}affinity`]: 'cookie', [`${N}session-cookie-name`]: 'route' }, 'sticky.example.com', [{ path: '/', service: 'pair' }]),
    nginxIngress('custom-headers', { [`${N}custom-headers`]: 'response-headers' }, 'custom-headers.example.com'),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'response-headers', namespace: 'default' }, data: { 'X-Using-Nginx-Controller': 'true' } },
    nginxIngress('valued', {}, 'valued.example.com'),
    nginxIngress('valued-canary', {
      [`${N}canary`]: 'true', [`${N}canary-by-header`]: 'X-Canary', [`${N}canary-by-header-value`]: 'DoCanary', [`${N}canary-weight`]: '100',
    }, 'valued.example.com', [{ path: '/', service: 'other' }]),
    {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'basic-auth', namespace: 'default' }, stringData: { auth: HTPASSWD },
    },
    {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls-cert', namespace: 'default' }, type: 'kubernetes.io/tls', stringData: { 'tls.crt': '', 'tls.key': '' },
    },
  ];
  c = await startCluster({ ingresses: toYaml(objects), services: { web: 1, other: 1, errors: 1, pair: 2 }, devArgs: () => ['--ingress-nginx', '--allow-snippet-headers'] });
}, 120_000);
afterAll(async () => {
  await stopCluster(c);
  await auth?.close();
});

describe('host-wide regex paths', () => {
  // docs/user-guide/ingress-path-matching.md "Warning": the longest pattern wins, so /foo/bar/bar hits /foo/bar/[A-Z0-9]{3}.
  it('ranks the longer regex first, across Ingresses of the host', async () => {
    expect(seen(await fetchUrl(c, 'http://regex.example.com/foo/bar/bar')).service).toBe('other');
  });

  // test/e2e/annotations/rewrite.go "should use ~* location modifier if regex annotation is present": case-insensitive.
  it('matches case-insensitively', async () => {
    expect(seen(await fetchUrl(c, 'http://regex.example.com/FOO/BAR/ab1')).service).toBe('other');
  });

  // kubernetes/ingress-nginx issue 10020: an Exact path on a regex host matches as a prefix.
  it('turns an Exact path of another Ingress of the host into a prefix regex', async () => {
    expect(seen(await fetchUrl(c, 'http://regex.example.com/assets/hello')).service).toBe('web');
  });
});

describe('rewrite-target', () => {
  // docs/examples/rewrite/README.md: /something(/|$)(.*) with /$2.
  it.each([
    ['/something', '/'],
    ['/something/', '/'],
    ['/something/new', '/new'],
    ['/something/new?x=1', '/new?x=1'],
  ])('sends %s upstream as %s', async (path, expected) => {
    const echo = seen(await fetchUrl(c, `http://rewrite.example.com${path}`));
    expect(echo.url).toBe(expected);
    // nginx.tmpl buildProxyPass: X-Forwarded-Prefix is set with the rewrite.
    expect(echo.headers['x-forwarded-prefix']).toBe('/something');
  });
});

describe('redirects', () => {
  // test/e2e/annotations/approot.go "should redirect to /foo": 302 to $scheme://$http_host/foo.
  it('app-root answers / with 302', async () => {
    const reply = await fetchUrl(c, 'http://approot.example.com/');
    expectRedirect(reply, 302, 'http://approot.example.com/app1');
  });

  // test/e2e/annotations/redirect.go "should respond with a custom redirect code".
  it('permanent-redirect answers with its code and the URL, $request_uri filled', async () => {
    const reply = await fetchUrl(c, 'http://permanent.example.com/a/b?c=1', { method: 'POST' });
    expectRedirect(reply, 308, 'https://www.example.com/a/b?c=1');
  });

  // docs/user-guide/nginx-configuration/annotations.md "Temporal redirect": 302.
  it('temporal-redirect answers 302', async () => {
    const reply = await fetchUrl(c, 'http://temporal.example.com/x');
    expectRedirect(reply, 302, 'https://maintenance.example.com/');
  });

  // annotations.md "Server-side HTTPS enforcement through redirect": 308 when the Ingress has tls:; trailing / dropped (lua_ingress.lua).
  it('ssl-redirect answers http with 308 for an Ingress with tls:', async () => {
    const reply = await fetchUrl(c, 'http://tls.example.com/path/?q=1');
    expectRedirect(reply, 308, 'https://tls.example.com/path/?q=1');
    const slash = await fetchUrl(c, 'http://tls.example.com/path/');
    expect(slash.headers['location']).toBe('https://tls.example.com/path');
    expect((await fetchUrl(c, 'https://tls.example.com/path')).status).toBe(200);
  });

  // test/e2e/annotations/forcesslredirect.go "should redirect to https": 308 without tls:.
  it('force-ssl-redirect answers 308 without tls:', async () => {
    const reply = await fetchUrl(c, 'http://forced.example.com/');
    expectRedirect(reply, 308, 'https://forced.example.com');
  });

  // nginx: a prefix location ending in / answers the path without it with 301 (kubernetes blog "Before You Migrate" §4).
  it('answers /docs with 301 to /docs/', async () => {
    const reply = await fetchUrl(c, 'http://slash.example.com/docs?x=1');
    expectRedirect(reply, 301, 'http://slash.example.com/docs/?x=1');
    expect(seen(await fetchUrl(c, 'http://slash.example.com/docs/a')).url).toBe('/docs/a');
  });
});

describe('access control', () => {
  // test/e2e/annotations/auth.go "should return status code 401 when authentication is configured but Authorization header is not configured".
  it('basic auth asks with the configured realm, and lets the right password in', async () => {
    const denied = await fetchUrl(c, 'http://basic.example.com/');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="test auth"');
    expect((await fetchUrl(c, 'http://basic.example.com/', { headers: { authorization: basic('foo', 'wrong') } })).status).toBe(401);
    expect((await fetchUrl(c, 'http://basic.example.com/', { headers: { authorization: basic('foo', PASSWORD) } })).status).toBe(200);
  });

  // test/e2e/annotations/auth.go "should return status code 503 when authentication is configured with an invalid secret".
  it('answers 503 when the Secret is missing', async () => {
    expect((await fetchUrl(c, 'http://missing.example.com/', { headers: { authorization: basic('foo', PASSWORD) } })).status).toBe(503);
  });

  // test/e2e/annotations/ipallowlist.go: a client outside the ranges gets 403.
  it('allowlist-source-range refuses a client outside the ranges with 403', async () => {
    expect((await fetchUrl(c, 'http://allow.example.com/')).status).toBe(403);
  });

  // test/e2e/annotations/ipdenylist.go: a client inside the ranges gets 403.
  it('denylist-source-range refuses a client in the ranges with 403', async () => {
    expect((await fetchUrl(c, 'http://deny.example.com/')).status).toBe(403);
  });

  it('answers 503 for an allow-list that does not parse', async () => {
    expect((await fetchUrl(c, 'http://broken.example.com/')).status).toBe(503);
  });

  // test/e2e/annotations/auth.go "should return status code 200 when signed in" / "should redirect to signin url when not signed in".
  it('auth-url lets a 2xx in with auth-response-headers, and sends a 401 to auth-signin with rd', async () => {
    const ok = await fetchUrl(c, 'http://external.example.com/private?x=1', { headers: { authorization: 'Bearer good', 'x-auth-user': 'mallory' } });
    expect(ok.status).toBe(200);
    expect(seen(ok).headers['x-auth-user']).toBe('alice');
    const asked = auth.seen.at(-1);
    expect(asked?.headers['x-original-url']).toBe('http://external.example.com/private?x=1');
    const redirected = await fetchUrl(c, 'http://external.example.com/private?x=1');
    expectRedirect(redirected, 302, `https://login.example.com/start?rd=http://external.example.com${encodeURIComponent('/private?x=1')}`);
  });
});

describe('limits', () => {
  // test/e2e/annotations/proxy.go "should set client_max_body_size": 413 above the size.
  it('proxy-body-size answers 413 above the size', async () => {
    expect((await fetchUrl(c, 'http://body.example.com/', { method: 'POST', body: 'x'.repeat(2048) })).status).toBe(413);
    expect((await fetchUrl(c, 'http://body.example.com/', { method: 'POST', body: 'x'.repeat(100) })).status).toBe(200);
  });
});

describe('cors', () => {
  // test/e2e/annotations/cors.go "should enable cors": the defaults on a response.
  it('adds the default headers to a response', async () => {
    const reply = await fetchUrl(c, 'http://cors.example.com/', { headers: { origin: 'https://anyone.example' } });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(reply.headers['access-control-allow-methods']).toBe('GET, PUT, POST, DELETE, PATCH, OPTIONS');
    expect(reply.headers['access-control-allow-credentials']).toBe('true');
    expect(reply.headers['access-control-max-age']).toBe('1728000');
  });

  // cors.go "should allow origin for cors" / "should not allow origin for cors"; the preflight is answered before auth (204).
  it('answers an allowed preflight with 204 before auth, and leaves other origins alone', async () => {
    const preflight = await fetchUrl(c, 'http://cors-origins.example.com/', { method: 'OPTIONS', headers: { origin: 'https://origin.example.com' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://origin.example.com');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const wildcard = await fetchUrl(c, 'http://cors-origins.example.com/', { method: 'OPTIONS', headers: { origin: 'https://x.apps.example.com' } });
    expect(wildcard.headers['access-control-allow-origin']).toBe('https://x.apps.example.com');
    const other = await fetchUrl(c, 'http://cors-origins.example.com/', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(other.status).toBe(401);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('from-to-www-redirect and custom errors', () => {
  // test/e2e/annotations/fromtowwwredirect.go "should redirect from www HTTP to HTTP": 308 to the rule host.
  it('answers the other name with 308 to the rule host', async () => {
    const reply = await fetchUrl(c, 'http://example.org/foo?x=1');
    expectRedirect(reply, 308, 'http://www.example.org/foo?x=1');
  });

  // test/e2e/annotations/customhttperrors.go: a listed status is answered by the default-backend Service.
  it('sends a listed status to default-backend, and routes a Service without endpoints there', async () => {
    const notFound = await fetchUrl(c, 'http://errors.example.com/x', { headers: { 'x-echo-status': '404' } });
    expect(notFound.status).toBe(404);
    expect(notFound.json<{ service: string }>().service).toBe('errors');
    expect(seen(await fetchUrl(c, 'http://errors.example.com/ok')).service).toBe('web');
    // annotations.md "Default Backend": it answers when the rule's Service has no active endpoints.
    expect(seen(await fetchUrl(c, 'http://errors.example.com/gone')).service).toBe('errors');
  });
});

describe('canary', () => {
  // test/e2e/annotations/canary.go "should route requests to the correct upstream if the header is set to 'always'" / "'never'".
  it('routes by header always/never, then cookie, then weight', async () => {
    const via = async (headers: Record<string, string>) => seen(await fetchUrl(c, 'http://canary.example.com/', { headers })).service;
    expect(await via({})).toBe('web');
    expect(await via({ 'x-canary': 'always' })).toBe('other');
    expect(await via({ 'x-canary': 'never', cookie: 'canary_cookie=always' })).toBe('web');
    // canary.go "should route requests to the correct upstream if mainline ingress is created before the canary ingress" with a cookie.
    expect(await via({ cookie: 'canary_cookie=always' })).toBe('other');
    expect(await via({ 'x-canary': 'sometimes', cookie: 'canary_cookie=always' })).toBe('other');
  });

  // canary.go "should route requests to the correct upstream if the header value matches": a value that does not match falls to weight (100).
  it('with canary-by-header-value, a matching value wins and others fall through to the weight', async () => {
    const via = async (headers: Record<string, string>) => seen(await fetchUrl(c, 'http://valued.example.com/', { headers })).service;
    expect(await via({ 'x-canary': 'DoCanary' })).toBe('other');
    expect(await via({ 'x-canary': 'never' })).toBe('other');
  });
});

describe('tier 2: limits, aliases, upstream-vhost, snippets', () => {
  // test/e2e/annotations/limitrps.go: over limit-rps × burst, ingress-nginx answers 503 (limit-req-status-code).
  it('limit-rps answers 503 over the bucket, and limit-whitelist exempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await fetchUrl(c, 'http://limited.example.com/')).status);
    expect(statuses).toContain(503);
    expect(statuses[0]).toBe(200);
    for (let i = 0; i < 4; i++) expect((await fetchUrl(c, 'http://exempt.example.com/')).status).toBe(200);
  });

  // test/e2e/annotations/serveralias.go "should return status code 200 for host 'foo' and 'bar'".
  it('server-alias serves the same paths under the alias', async () => {
    expect(seen(await fetchUrl(c, 'http://alias.example.com/x')).service).toBe('web');
  });

  // test/e2e/annotations/upstreamvhost.go "set host to upstreamvhost.bar.com".
  it('upstream-vhost is the Host the pod gets', async () => {
    expect(seen(await fetchUrl(c, 'http://vhost.example.com/')).host).toBe('internal.example.svc');
  });

  // test/e2e/annotations/customheaders.go "should return status code 200 ... custom headers": the ConfigMap's entries on the response.
  it('custom-headers sets the ConfigMap entries on responses', async () => {
    expect((await fetchUrl(c, 'http://custom-headers.example.com/')).headers['x-using-nginx-controller']).toBe('true');
  });

  // annotations.md "Configuration snippet" (header directives only, with --allow-snippet-headers).
  it('configuration-snippet header directives set response and request headers', async () => {
    const reply = await fetchUrl(c, 'http://snippet.example.com/');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(seen(reply).headers['x-tenant']).toBe('acme');
  });
});

describe('affinity', () => {
  // test/e2e/annotations/affinity.go "should set sticky cookie SERVERID" / "should change cookie name on ingress definition change":
  // the cookie is set once, and requests carrying it stay on one pod.
  it('sets the session cookie and keeps the client on its pod', async () => {
    const first = await fetchUrl(c, 'http://sticky.example.com/');
    const cookie = String(first.headers['set-cookie'] ?? '');
    expect(cookie).toMatch(/^route=[^;]+; Path=\/; HttpOnly/);
    const pod = seen(first).pod;
    const value = cookie.split(';')[0]!;
    for (let i = 0; i < 6; i++) expect(seen(await fetchUrl(c, 'http://sticky.example.com/', { headers: { cookie: value } })).pod).toBe(pod);
  });
});

describe('the CLI', () => {
  const manifests = toYaml([
    nginxIngress('report-a', { [`${N}rewrite-target`]: '/$1', [`${N}ssl-passthrough`]: 'true' }, 'a.example.com', [{ path: '/a(.*)' }]),
    nginxIngress('report-b', { [`${N}rewrite-target`]: '/' }, 'b.example.com'),
  ]);

  let dir = '';
  beforeAll(async () => {
    dir = await tempDir({ 'ingress.yaml': manifests });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('compile --ingress-nginx prints the migration report after the diagnostics', async () => {
    const result = await runCli(['compile', '--ingress-nginx', '-f', dir]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('ingress-nginx migration report: 2 Ingress(es) read in the nginx dialect, 2 annotation(s) used');
    expect(result.stderr).toMatch(/supported\s+rewrite-target\s+2 Ingress\(es\)/);
    expect(result.stderr).toMatch(/ignored\s+ssl-passthrough\s+1 Ingress\(es\)\s+TLS terminates at the edge/);
    // Without the flag, class nginx is not edgress's: nothing is served and no report is printed.
    const without = await runCli(['compile', '-f', dir]);
    expect(without.stderr).not.toContain('migration report');
    expect(JSON.parse(without.stdout).routers).toEqual([]);
  });

  it('explain names the dialect', async () => {
    const result = await runCli(['explain', '--ingress-nginx', '-f', dir, 'http://a.example.com/abc']);
    expect(result.stdout).toContain('dialect:     ingress-nginx');
    expect(result.stdout).toContain('Regex ^/a(.*)');
  });
});
