/**
 * HTTP shaping through `edgress dev`: custom and security headers, allowed hosts,
 * SSL redirects, error pages and client-certificate headers (with the dev
 * front's `--client-certs`), asserting what the pod saw and what the client got.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CERT_WITH_SANS } from '../fixtures/client-certificates.ts';
import { toYaml } from './harness/manifests.ts';
import { fetchUrl, ingress, seen, startCluster, stopCluster, type Cluster } from './harness/cluster.ts';

const SECURITY = {
  'ingress.kubernetes.io/frame-deny': 'true',
  'ingress.kubernetes.io/content-type-nosniff': 'true',
  'ingress.kubernetes.io/browser-xss-filter': 'true',
  'ingress.kubernetes.io/content-security-policy': "default-src 'self'",
  'ingress.kubernetes.io/referrer-policy': 'no-referrer',
  'ingress.kubernetes.io/hsts-max-age': '31536000',
  'ingress.kubernetes.io/hsts-include-subdomains': 'true',
  'ingress.kubernetes.io/public-key': 'pin-sha256="base64=="; max-age=600',
};

const INGRESSES = [
  ingress(
    'custom',
    {
      'ingress.kubernetes.io/custom-request-headers': 'X-Env: prod || X-Debug:',
      'traefik.ingress.kubernetes.io/custom-response-headers': 'X-Served-By: edge || Server:',
    },
    'custom.example.com',
  ),
  ingress('secure', { ...SECURITY, 'ingress.kubernetes.io/custom-response-headers': 'X-Frame-Options: SAMEORIGIN' }, 'secure.example.com'),
  ingress('forced', { 'traefik.ingress.kubernetes.io/hsts-max-age': '600', 'traefik.ingress.kubernetes.io/force-hsts': 'true' }, 'forced.example.com'),
  ingress(
    'hosts',
    { 'ingress.kubernetes.io/allowed-hosts': 'hosts.example.com', 'ingress.kubernetes.io/proxy-headers': 'X-Original-Host', ...SECURITY },
    'hosts.example.com',
  ),
  ingress(
    'ssl',
    { 'ingress.kubernetes.io/ssl-redirect': 'true', 'ingress.kubernetes.io/rule-type': 'PathPrefixStrip', ...SECURITY },
    'ssl.example.com',
    '/app',
  ),
  ingress(
    'ssl-host',
    { 'traefik.ingress.kubernetes.io/ssl-redirect': 'true', 'traefik.ingress.kubernetes.io/ssl-temporary-redirect': 'true', 'traefik.ingress.kubernetes.io/ssl-host': 'www.example.com' },
    'ssl-host.example.com',
  ),
  ingress(
    'proxied',
    {
      'traefik.ingress.kubernetes.io/ssl-redirect': 'true',
      'traefik.ingress.kubernetes.io/ssl-proxy-headers': 'X-Edge-Scheme:secure',
      'traefik.ingress.kubernetes.io/hsts-max-age': '60',
      'traefik.ingress.kubernetes.io/hsts-preload': 'true',
      'traefik.ingress.kubernetes.io/frame-deny': 'true',
      'traefik.ingress.kubernetes.io/custom-frame-options-value': 'SAMEORIGIN',
      'traefik.ingress.kubernetes.io/browser-xss-filter': 'true',
      'traefik.ingress.kubernetes.io/custom-browser-xss-value': '0',
    },
    'proxied.example.com',
  ),
  ingress('force', { 'ingress.kubernetes.io/ssl-force-host': 'true', 'ingress.kubernetes.io/ssl-host': 'canonical.example.com' }, 'force.example.com'),
  ingress('canonical', { 'ingress.kubernetes.io/ssl-force-host': 'true', 'ingress.kubernetes.io/ssl-host': 'canonical.example.com' }, 'canonical.example.com'),
  ingress('legacy-cert', { 'traefik.frontend.passTLSCert': 'true' }, 'legacy-cert.example.com'),
  ingress('development', { 'ingress.kubernetes.io/ssl-redirect': 'true', 'ingress.kubernetes.io/is-development': 'true' }, 'dev.example.com'),
  ingress(
    'pages',
    {
      'ingress.kubernetes.io/error-pages': 'notfound:\n  status: ["404", "410"]\n  backend: errors\n  query: /errors/{status}.html\nserver:\n  status: ["500-599"]\n  backend: errors\n  query: "{status}"\n',
      'ingress.kubernetes.io/custom-response-headers': 'X-Served-By: edge',
    },
    'pages.example.com',
  ),
  ingress('pages-down', { 'ingress.kubernetes.io/error-pages': 'all: {status: ["503"], backend: errors}' }, 'down.example.com', '/', { service: 'nobody' }),
  // Traefik 1.7 named the page's backend after another rule: host + path.
  ingress('error-site', {}, 'errors.example.com', '/pages', { service: 'errors' }),
  ingress('traefik-pages', { 'traefik.ingress.kubernetes.io/error-pages': 'all:\n  status: ["404"]\n  backend: errors.example.com/pages\n  query: /{status}.html\n' }, 'traefik-pages.example.com'),
  ingress(
    'mtls',
    {
      'ingress.kubernetes.io/pass-client-tls-cert':
        'pem: true\ninfos:\n  notbefore: true\n  notafter: true\n  sans: true\n  subject: {country: true, organization: true, commonname: true}\n  issuer: {commonname: true}\n',
    },
    'mtls.example.com',
  ),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'nobody', namespace: 'default' },
    spec: { ports: [{ name: 'http', port: 8080 }] },
  },
];

const CERTIFICATES = {
  alice: {
    certSubjectDNRFC2253: 'CN=alice,O=Example,C=US',
    certIssuerDNRFC2253: 'CN=Example CA,O=Example,C=US',
    certNotBefore: 'Jan  1 00:00:00 2025 GMT',
    certNotAfter: 'Jan  1 00:00:00 2026 GMT',
    certRFC9440: `:${CERT_WITH_SANS}:`,
  },
  mallory: { certVerified: 'FAILED:self signed certificate', certSubjectDNRFC2253: 'CN=admin' },
};

let c: Cluster;

beforeAll(async () => {
  c = await startCluster({
    ingresses: toYaml(INGRESSES),
    services: { web: 1, errors: 1 },
    files: { 'certs.json': JSON.stringify(CERTIFICATES) },
    devArgs: (paths) => ['--client-certs', paths['certs.json'] ?? ''],
  });
});
afterAll(() => stopCluster(c));

describe('custom headers', () => {
  it('set and remove request headers for the pod, and response headers for the client', async () => {
    const reply = await fetchUrl(c, 'http://custom.example.com/', { headers: { 'X-Env': 'dev', 'X-Debug': '1' } });
    const pod = seen(reply);
    expect(pod.headers['x-env']).toBe('prod');
    expect(pod.headers['x-debug']).toBeUndefined();
    expect(reply.headers['x-served-by']).toBe('edge');
    expect(reply.headers['server']).toBeUndefined();
  });
});

describe('security headers', () => {
  it('are on pod responses; HSTS and HPKP only over https; custom values win', async () => {
    const plain = await fetchUrl(c, 'http://secure.example.com/');
    expect(plain.headers).toMatchObject({
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'x-xss-protection': '1; mode=block',
      'content-security-policy': "default-src 'self'",
      'referrer-policy': 'no-referrer',
    });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(plain.headers['public-key-pins']).toBeUndefined();
    const secure = await fetchUrl(c, 'https://secure.example.com/');
    expect(secure.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(secure.headers['public-key-pins']).toBe('pin-sha256="base64=="; max-age=600');
  });

  it('send HSTS over http too with force-hsts', async () => {
    expect((await fetchUrl(c, 'http://forced.example.com/')).headers['strict-transport-security']).toBe('max-age=600');
  });
});

describe('allowed-hosts', () => {
  it('serves a listed host', async () => {
    expect((await fetchUrl(c, 'http://hosts.example.com/')).status).toBe(200);
  });

  it('answers 500 Bad Host otherwise (port counts, proxy-headers first), without security headers', async () => {
    for (const reply of [
      await fetchUrl(c, 'http://hosts.example.com:8080/'),
      await fetchUrl(c, 'http://hosts.example.com/', { headers: { 'X-Original-Host': 'evil.example.com' } }),
    ]) {
      expect(reply.status).toBe(500);
      expect(reply.body).toBe('Bad Host\n');
      expect(reply.headers['x-frame-options']).toBeUndefined();
    }
  });
});

describe('ssl-redirect', () => {
  it('sends http to https with 301 and the path the client sent, prefix kept', async () => {
    const reply = await fetchUrl(c, 'http://ssl.example.com/app/cart?x=1', { method: 'POST' });
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('https://ssl.example.com/app/cart?x=1');
    expect(reply.headers['x-frame-options']).toBeUndefined();
  });

  it('serves https, stripped, with the security headers', async () => {
    const reply = await fetchUrl(c, 'https://ssl.example.com/app/cart');
    expect(seen(reply).path).toBe('/cart');
    expect(reply.headers['x-frame-options']).toBe('DENY');
  });

  it('uses ssl-host and 307 with ssl-temporary-redirect', async () => {
    const reply = await fetchUrl(c, 'http://ssl-host.example.com/a');
    expect(reply.status).toBe(307);
    expect(reply.headers.location).toBe('https://www.example.com/a');
  });

  it('counts a request as secure when an ssl-proxy-headers header matches exactly', async () => {
    const plain = await fetchUrl(c, 'http://proxied.example.com/a', { headers: { 'X-Edge-Scheme': 'SECURE' } });
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://proxied.example.com/a');
    const marked = await fetchUrl(c, 'http://proxied.example.com/a', { headers: { 'X-Edge-Scheme': 'secure' } });
    expect(marked.status).toBe(200);
    expect(marked.headers).toMatchObject({ 'strict-transport-security': 'max-age=60; preload', 'x-frame-options': 'SAMEORIGIN', 'x-xss-protection': '0' });
  });

  it('ssl-force-host sends every other host to ssl-host, even over https', async () => {
    const reply = await fetchUrl(c, 'https://force.example.com/x?y=1');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('https://canonical.example.com/x?y=1');
  });

  it('ssl-host makes the pod\'s http Location to it https on secure requests', async () => {
    const location = JSON.stringify({ Location: 'http://canonical.example.com/next' });
    const reply = await fetchUrl(c, 'https://canonical.example.com/', { headers: { 'x-echo-status': '302', 'x-echo-response-headers': location } });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://canonical.example.com/next');
  });

  it('is off with is-development', async () => {
    expect((await fetchUrl(c, 'http://dev.example.com/a')).status).toBe(200);
  });
});

describe('error-pages', () => {
  it('answers a pod 404 with the page of the errors Service, keeping the status', async () => {
    const reply = await fetchUrl(c, 'http://pages.example.com/missing', { headers: { 'x-echo-status': '404' } });
    expect(reply.status).toBe(404);
    expect(seen(reply)).toMatchObject({ service: 'errors', method: 'GET', path: '/errors/404.html' });
    expect(reply.headers['x-served-by']).toBeUndefined();
  });

  it('answers 5xx with its own page and leaves other statuses alone', async () => {
    const server = await fetchUrl(c, 'http://pages.example.com/', { headers: { 'x-echo-status': '502' } });
    expect(server.status).toBe(502);
    expect(seen(server).path).toBe('/502');
    const other = await fetchUrl(c, 'http://pages.example.com/', { headers: { 'x-echo-status': '401' } });
    expect(other.status).toBe(401);
    expect(seen(other).service).toBe('web');
  });

  it('takes a Traefik backend name, the host and path of another rule, as Traefik 1.7 did', async () => {
    const reply = await fetchUrl(c, 'http://traefik-pages.example.com/missing', { headers: { 'x-echo-status': '404' } });
    expect(reply.status).toBe(404);
    expect(seen(reply)).toMatchObject({ service: 'errors', method: 'GET', path: '/404.html' });
    expect(seen(await fetchUrl(c, 'http://traefik-pages.example.com/ok')).service).toBe('web');
  });

  it('answers the 503 of a Service without endpoints', async () => {
    const reply = await fetchUrl(c, 'http://down.example.com/x');
    expect(reply.status).toBe(503);
    expect(seen(reply)).toMatchObject({ service: 'errors', path: '/' });
  });
});

describe('pass-client-tls-cert', () => {
  it('describes a verified client certificate in Traefik\'s headers', async () => {
    const pod = seen(await fetchUrl(c, 'https://mtls.example.com/', { headers: { 'X-Edgress-Dev-Client-Cert': 'alice' } }));
    expect(pod.headers['x-forwarded-tls-client-cert']).toBe(encodeURIComponent(CERT_WITH_SANS));
    expect(decodeURIComponent(String(pod.headers['x-forwarded-tls-client-cert-infos']).replace(/\+/g, ' '))).toBe(
      'Subject="C=US,O=Example,CN=alice",Issuer="CN=Example CA",NB=1735689600,NA=1767225600,' +
        'SAN=alice.example.com,*.example.org,alice@example.com,10.0.1.2,2001:db8::1,spiffe://example/alice',
    );
    expect(pod.headers['x-edgress-dev-client-cert']).toBeUndefined();
  });

  it('pass-tls-cert (legacy label) sends the PEM only', async () => {
    const pod = seen(await fetchUrl(c, 'https://legacy-cert.example.com/', { headers: { 'X-Edgress-Dev-Client-Cert': 'alice' } }));
    expect(pod.headers['x-forwarded-tls-client-cert']).toBe(encodeURIComponent(CERT_WITH_SANS));
    expect(pod.headers['x-forwarded-tls-client-cert-infos']).toBeUndefined();
  });

  it('sends nothing without a verified certificate, and never the client\'s copies', async () => {
    const presentations: Record<string, string>[] = [{}, { 'X-Edgress-Dev-Client-Cert': 'mallory' }, { 'X-Edgress-Dev-Client-Cert': 'nobody' }];
    for (const presented of presentations) {
      const forged = { 'X-Forwarded-Tls-Client-Cert': 'forged', 'X-Forwarded-Tls-Client-Cert-Infos': 'Subject%3D%22CN%3Dadmin%22' };
      const pod = seen(await fetchUrl(c, 'https://mtls.example.com/', { headers: { ...presented, ...forged } }));
      expect(pod.headers['x-forwarded-tls-client-cert']).toBeUndefined();
      expect(pod.headers['x-forwarded-tls-client-cert-infos']).toBeUndefined();
    }
  });
});
