/**
 * `error-pages` naming another rule's backend the way Traefik 1.7 did
 * (docs/design/decisions.md#decision-19-error-page-backends-are-services-first):
 * the page follows that rule as it appears, changes and goes, and the
 * incremental compiler, which recompiles only what a change touches, agrees
 * with a full compile at every step.
 */
import { describe, expect, it } from 'vitest';
import { compile, type CompileResult, type KubeObject } from '../../src/compile/index.ts';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';

/** An Ingress with one rule without a path (Traefik's backend name is then the host alone). */
const ingress = (name: string, annotations: Record<string, string>, host: string, service: string, port = 80): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'shop', annotations },
  spec: { rules: [{ host, http: { paths: [{ pathType: 'ImplementationSpecific', backend: { service: { name: service, port: { number: port } } } }] } }] },
});

const app: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: {
    name: 'app',
    namespace: 'shop',
    creationTimestamp: '2026-01-01T00:00:00Z',
    annotations: { 'traefik.ingress.kubernetes.io/error-pages': 'oops: {status: ["500-599"], backend: errors.example.com/pages, query: "/{status}.html"}' },
  },
  spec: { rules: [{ host: 'app.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
};

const errors = (service: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'errors', namespace: 'shop', creationTimestamp: '2026-01-02T00:00:00Z' },
  spec: { rules: [{ host: 'errors.example.com', http: { paths: [{ path: '/pages', pathType: 'ImplementationSpecific', backend: { service: { name: service, port: { number: 8080 } } } }] } }] },
});

const service = (name: string, port: number): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { ports: [{ port }] } });

/** The Service of the page, or undefined when the page was dropped. */
function pageService(result: CompileResult): string | undefined {
  const pages = Object.values(result.table.middlewares).find((middleware) => middleware.kind === 'error-pages');
  return pages?.kind === 'error-pages' ? pages.pages[0]?.service : undefined;
}

describe('an error page naming another rule', () => {
  it('follows the rule as it appears, changes and goes, incrementally as in a full compile', () => {
    const compiler = createIncrementalCompiler({});
    const steps: { change: { type: 'upsert' | 'delete'; object: KubeObject }; page: string | undefined }[] = [
      { change: { type: 'upsert', object: app }, page: undefined },
      { change: { type: 'upsert', object: service('web', 80) }, page: undefined },
      { change: { type: 'upsert', object: service('pages', 8080) }, page: undefined },
      { change: { type: 'upsert', object: errors('pages') }, page: 'shop/pages:8080' },
      { change: { type: 'upsert', object: errors('other-pages') }, page: 'shop/other-pages:8080' },
      { change: { type: 'delete', object: errors('other-pages') }, page: undefined },
    ];
    for (const { change, page } of steps) {
      const result = compiler.update([change]);
      expect(pageService(result)).toBe(page);
      expect(JSON.stringify(result)).toBe(JSON.stringify(compile(compiler.objects(), {})));
    }
  });

  it('is a Service of the namespace first, when one has that name', () => {
    const named = ingress('app', { 'ingress.kubernetes.io/error-pages': 'oops: {status: ["404"], backend: errors}' }, 'app.example.com', 'web');
    const rule = ingress('errors', {}, 'errors', 'pages', 8080);
    expect(pageService(compile([named, rule, service('pages', 8080)], {}))).toBe('shop/pages:8080');
    expect(pageService(compile([named, rule, service('pages', 8080), service('errors', 80)], {}))).toBe('shop/errors:80');
  });
});
