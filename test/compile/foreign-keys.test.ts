// Nothing dropped without a word: every annotation key edgress does not read gets a diagnostic.
// GKE's keys live under kubernetes.io/ingress., beside the class annotation
// edgress does read; dropping them silently (allow-http: "false" serves
// plain HTTP after all) is what the issue forbids.
import { describe, expect, it } from 'vitest';
import { compile, parseManifests } from '../../src/compile/index.ts';

function diagnosticsFor(annotations: Record<string, string>) {
  const manifests = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'app', namespace: 'shop', annotations },
      spec: { rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
  ].map((object) => JSON.stringify(object)).join('\n---\n');
  const { objects } = parseManifests(manifests, 'foreign.yaml');
  return compile(objects, {}).diagnostics.filter((d) => d.code !== 'NoReadyEndpoints');
}

describe('GKE keys under kubernetes.io/ingress.', () => {
  it.each(['kubernetes.io/ingress.allow-http', 'kubernetes.io/ingress.global-static-ip-name', 'kubernetes.io/ingress.regional-static-ip-name'])(
    '%s: a warning naming GKE Ingress',
    (key) => {
      const diagnostics = diagnosticsFor({ [key]: 'false' });
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]).toMatchObject({ severity: 'warning', code: 'ForeignAnnotation' });
      expect(diagnostics[0]?.message).toMatch(/GKE Ingress/);
    },
  );

  it('the class annotation edgress reads is not reported', () => {
    expect(diagnosticsFor({ 'kubernetes.io/ingress.class': 'traefik' })).toEqual([]);
  });
});

describe('a regex-looking path in the nginx dialect without use-regex', () => {
  function compiled(annotations: Record<string, string>) {
    const manifests = [
      { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'app', namespace: 'shop', annotations },
        spec: { ingressClassName: 'nginx', rules: [{ host: 'app.example.com', http: { paths: [{ path: '/app(/|$)(.*)', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80, targetPort: 8080 }] } },
    ].map((object) => JSON.stringify(object)).join('\n---\n');
    const { objects } = parseManifests(manifests, 'regex.yaml');
    return compile(objects, { ingressNginx: true }).diagnostics.filter((d) => d.code === 'RegexLikePath');
  }

  it('warns that it is matched as literal text, naming use-regex', () => {
    const warnings = compiled({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/matched as literal text.*nginx\.ingress\.kubernetes\.io\/use-regex/);
  });

  it('says nothing when use-regex makes it a regex', () => {
    expect(compiled({ 'nginx.ingress.kubernetes.io/use-regex': 'true' })).toEqual([]);
  });
});
