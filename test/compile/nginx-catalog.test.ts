// The nginx dialect's annotation catalog (src/compile/nginx/catalog.ts) is the
// one list: every annotation it knows has a row with the same status in
// docs/guides/migrating-from-ingress-nginx.md, and the migration report and
// the exported key sets follow it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatMigrationReport, ingressDialects, NGINX_ANNOTATIONS, NGINX_DIALECT_KEYS, NGINX_KNOWN_KEYS, nginxMigrationReport, parseManifests,
} from '../../src/compile/index.ts';

const GUIDE = readFileSync(new URL('../../docs/guides/migrating-from-ingress-nginx.md', import.meta.url), 'utf8');

/** `name → status` from the guide's annotation table. */
function guideTable(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of GUIDE.split('\n')) {
    const row = /^\| `([a-z0-9-]+)` \| (supported|approximated|ignored) \|/.exec(line);
    if (row) rows.set(row[1]!, row[2]!);
  }
  return rows;
}

describe('nginx annotation catalog', () => {
  it('has a row with the same status in the migration guide for every annotation, and no other', () => {
    const rows = guideTable();
    const catalog = new Map(Object.entries(NGINX_ANNOTATIONS).map(([name, annotation]) => [name, annotation.status]));
    expect(rows).toEqual(catalog);
  });

  it('exports the keys the dialect reads (supported and approximated) and all it knows', () => {
    expect(NGINX_DIALECT_KEYS.has('nginx.ingress.kubernetes.io/rewrite-target')).toBe(true);
    expect(NGINX_DIALECT_KEYS.has('nginx.ingress.kubernetes.io/ssl-passthrough')).toBe(false);
    expect(NGINX_KNOWN_KEYS.has('nginx.ingress.kubernetes.io/ssl-passthrough')).toBe(true);
    for (const key of NGINX_DIALECT_KEYS) expect(NGINX_KNOWN_KEYS.has(key)).toBe(true);
  });
});

const MANIFESTS = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: { name: nginx }
spec: { controller: k8s.io/ingress-nginx }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: a
  namespace: shop
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /$1
    nginx.ingress.kubernetes.io/ssl-passthrough: "true"
    nginx.ingress.kubernetes.io/made-up: "x"
spec: { ingressClassName: nginx, rules: [{ host: a.example.com, http: { paths: [{ path: /a(.*), pathType: ImplementationSpecific, backend: { service: { name: web, port: { number: 80 } } } }] } }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: b
  namespace: shop
  annotations:
    kubernetes.io/ingress.class: nginx
    nginx.ingress.kubernetes.io/rewrite-target: /
    nginx.ingress.kubernetes.io/proxy-read-timeout: "60"
spec: { rules: [{ host: b.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }] }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: traefik, namespace: shop, annotations: { nginx.ingress.kubernetes.io/rewrite-target: /ignored-here } }
spec: { rules: [{ host: c.example.com, http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] } }] }
`;

describe('migration report', () => {
  const { objects } = parseManifests(MANIFESTS, 'report.yaml');

  it('counts, per annotation of the nginx-dialect Ingresses, how many use it, by status', () => {
    const report = nginxMigrationReport(objects, { ingressNginx: true });
    expect(report.ingresses).toBe(2);
    expect(report.lines.map((line) => [line.name, line.status, line.ingresses])).toEqual([
      ['rewrite-target', 'supported', 2],
      ['proxy-read-timeout', 'approximated', 1],
      ['ssl-passthrough', 'ignored', 1],
      ['made-up', 'unknown', 1],
    ]);
    const text = formatMigrationReport(report);
    expect(text[0]).toBe('ingress-nginx migration report: 2 Ingress(es) read in the nginx dialect, 4 annotation(s) used');
    expect(text[1]).toBe('  supported 1, approximated 1, ignored 1, unknown 1');
  });

  it('names the dialect of every served Ingress', () => {
    expect(ingressDialects(objects, { ingressNginx: true })).toEqual(new Map([['shop/a', 'nginx'], ['shop/b', 'nginx'], ['shop/traefik', 'traefik']]));
    expect(ingressDialects(objects, {})).toEqual(new Map([['shop/traefik', 'traefik']]));
  });
});
