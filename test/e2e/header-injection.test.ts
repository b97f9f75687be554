/**
 * Header injection through every annotation that sets a request or response
 * header (or a Location, a cookie, a Host check): values carrying CR/LF and a
 * second header. The compiler refuses them, so neither the pod nor the
 * client ever sees the injected header, and no header value carries a line
 * break; the route keeps working or fails closed (404), never 5xx, except
 * `allowed-hosts`, whose entries that are not hosts match nothing (Traefik's
 * 500 Bad Host).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchUrl, ingress, startCluster, stopCluster, type Cluster } from './harness/cluster.ts';
import { toYaml } from './harness/manifests.ts';

const A = 'ingress.kubernetes.io/';
const CRLF = 'yes\r\nX-Injected: 1';

/** Annotation sets, each on its own host `<name>.inject.example.com`. */
const CASES: Readonly<Record<string, Record<string, string>>> = {
  'custom-request-headers': { [`${A}custom-request-headers`]: `X-A: ${CRLF}||X-B:\r\nX-Injected: 2` },
  'custom-request-names': { [`${A}custom-request-headers`]: 'X-A\r\nX-Injected: 1: v' },
  'custom-response-headers': { [`${A}custom-response-headers`]: `X-A: ${CRLF}` },
  'frame-options': { [`${A}frame-deny`]: 'true', [`${A}custom-frame-options-value`]: CRLF },
  csp: { [`${A}content-security-policy`]: `default-src ${CRLF}` },
  'public-key': { [`${A}public-key`]: `pin-sha256="x"; ${CRLF}`, [`${A}force-hsts`]: 'true' },
  'referrer-policy': { [`${A}referrer-policy`]: CRLF },
  'xss-value': { [`${A}browser-xss-filter`]: 'true', [`${A}custom-browser-xss-value`]: CRLF },
  hsts: { [`${A}hsts-max-age`]: `60\r\nX-Injected: 1`, [`${A}force-hsts`]: 'true' },
  'ssl-host': { [`${A}ssl-redirect`]: 'true', [`${A}ssl-host`]: `secure.example.com\r\nX-Injected: 1` },
  'app-root': { [`${A}app-root`]: `/start\r\nX-Injected: 1` },
  'redirect-replacement': { [`${A}redirect-regex`]: '^http://(.*)', [`${A}redirect-replacement`]: `https://$1\r\nX-Injected: 1` },
  'auth-header-field': { [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'users', [`${A}auth-header-field`]: `X-User\r\nX-Injected: 1` },
  'error-pages': { [`${A}error-pages`]: `all: {status: ["400-599"], backend: web, query: "/e\\r\\nX-Injected: 1"}` },
  'allowed-hosts': { [`${A}allowed-hosts`]: `x.example.com\r\nX-Injected: 1` },
  'proxy-headers': { [`${A}proxy-headers`]: `X-Host\r\nX-Injected: 1` },
  'ssl-proxy-headers': { [`${A}ssl-proxy-headers`]: `X-Proto: https\r\nX-Injected: 1`, [`${A}ssl-redirect`]: 'true' },
  'pass-client-tls-cert': { [`${A}pass-client-tls-cert`]: `pem: true\r\nX-Injected: 1` },
};

let cluster: Cluster;

beforeAll(async () => {
  const objects = Object.entries(CASES).map(([name, annotations]) => ingress(name, annotations, `${name}.inject.example.com`));
  const users = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'users', namespace: 'default' }, stringData: { auth: 'u:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=' } };
  cluster = await startCluster({ ingresses: toYaml([...objects, users]), services: { web: 1 } });
});
afterAll(() => stopCluster(cluster));

describe('header injection through annotations', () => {
  it.each(Object.keys(CASES))('%s: nobody gets the injected header', async (name) => {
    const pod = cluster.pods.pods[0]!;
    const before = pod.seen.length;
    for (const path of ['/', '/x']) {
      const reply = await fetchUrl(cluster, `http://${name}.inject.example.com${path}`, { headers: { 'x-echo-status': '404' } });
      expect(Object.keys(reply.headers)).not.toContain('x-injected');
      for (const value of Object.values(reply.headers)) expect(String(value)).not.toMatch(/[\r\n]/);
      if (name === 'allowed-hosts') expect(reply.status).toBe(500);
      else expect(reply.status).toBeLessThan(500);
    }
    for (const request of pod.seen.slice(before)) {
      expect(Object.keys(request.headers)).not.toContain('x-injected');
      for (const value of Object.values(request.headers)) expect(String(value)).not.toMatch(/[\r\n]/);
    }
  });
});
