// SECURITY.md finding 3: an access-restricting annotation whose value lists
// nothing (any mix of commas and whitespace) fails closed with an error;
// it never compiles to a route without protection.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, parseManifests } from '../../src/compile/index.ts';

function compiled(annotations: Record<string, string>, dialect: 'traefik' | 'nginx' = 'traefik') {
  const manifests = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'app', namespace: 'shop', annotations },
      spec: { ...(dialect === 'nginx' ? { ingressClassName: 'nginx' } : {}), rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
  ].map((object) => JSON.stringify(object)).join('\n---\n');
  const { objects } = parseManifests(manifests, 'blank.yaml');
  const { table, diagnostics } = compile(objects, dialect === 'nginx' ? { ingressNginx: true } : {});
  const router = table.routers.find((candidate) => candidate.host === 'app.example.com');
  const first = router?.middlewares[0];
  return { first: first === undefined ? undefined : table.middlewares[first], errors: diagnostics.filter((d) => d.severity === 'error') };
}

const blank = fc.stringMatching(/^[ ,\t]*$/);

describe('access annotations that list nothing fail closed', () => {
  it('whitelist-source-range: 403 for everyone, with an error', () => {
    fc.assert(
      fc.property(blank, fc.constantFrom('ingress.kubernetes.io/', 'traefik.ingress.kubernetes.io/'), (value, prefix) => {
        const { first, errors } = compiled({ [`${prefix}whitelist-source-range`]: value });
        expect(first).toMatchObject({ kind: 'deny', status: 403 });
        expect(errors.map((e) => e.code)).toEqual(['InvalidAllowList']);
      }),
    );
  });

  it('allowed-hosts: the routes fail closed, with an error', () => {
    fc.assert(
      fc.property(blank, (value) => {
        const { first, errors } = compiled({ 'ingress.kubernetes.io/allowed-hosts': value });
        expect(first).toMatchObject({ kind: 'deny' });
        expect(errors).toHaveLength(1);
      }),
    );
  });

  it('a blank auth-type beside auth options: 404, with an error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t]*$/), fc.constantFrom('auth-secret', 'auth-url', 'auth-header-field'), (value, option) => {
        const { first, errors } = compiled({ 'ingress.kubernetes.io/auth-type': value, [`ingress.kubernetes.io/${option}`]: 'x' });
        expect(first).toMatchObject({ kind: 'deny', status: 404 });
        expect(errors.map((e) => e.code)).toEqual(['InvalidAuth']);
      }),
    );
  });

  it('an absent or exactly empty auth-type alone is still no auth (as in Traefik)', () => {
    expect(compiled({}).first).toBeUndefined();
    expect(compiled({ 'ingress.kubernetes.io/auth-type': '' }).first).toBeUndefined();
  });

  it('nginx dialect: a blank allow-, white- or denylist-source-range answers 503, with an error', () => {
    fc.assert(
      fc.property(blank, fc.constantFrom('allowlist-source-range', 'whitelist-source-range', 'denylist-source-range'), (value, name) => {
        const { first, errors } = compiled({ [`nginx.ingress.kubernetes.io/${name}`]: value }, 'nginx');
        expect(first).toMatchObject({ kind: 'deny', status: 503 });
        expect(errors.map((e) => e.code)).toEqual(['InvalidAllowList']);
      }),
    );
  });

  it('nginx dialect: a blank auth-url answers 503, with an error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t]*$/), (value) => {
        const { first, errors } = compiled({ 'nginx.ingress.kubernetes.io/auth-url': value }, 'nginx');
        expect(first).toMatchObject({ kind: 'deny', status: 503 });
        expect(errors.map((e) => e.code)).toEqual(['InvalidAuth']);
      }),
    );
  });

  it('nginx dialect: a blank auth-type beside auth-secret answers 503, with an error', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ \t]*$/), (value) => {
        const { first, errors } = compiled({ 'nginx.ingress.kubernetes.io/auth-type': value, 'nginx.ingress.kubernetes.io/auth-secret': 'users' }, 'nginx');
        expect(first).toMatchObject({ kind: 'deny', status: 503 });
        expect(errors.map((e) => e.code)).toEqual(['InvalidAuth']);
      }),
    );
  });
});
