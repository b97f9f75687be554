import { describe, expect, it } from 'vitest';
import type { KubeObject } from './api.ts';
import { compile, formatDiagnostic, parseManifests } from './index.ts';

const ingress = (spec: unknown): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'shop' },
  spec,
});

describe('compile never throws', () => {
  const junk: unknown[] = [null, 0, 'x', [], {}, { a: 1 }, [null], { service: null }, { paths: 'x' }, { http: { paths: [null, 1, {}] } }];
  it.each(junk.map((value) => [JSON.stringify(value), value] as const))('with %s at every level of an Ingress', (_, value) => {
    for (const object of [ingress(value), ingress({ rules: [value] }), ingress({ rules: [{ http: value }] }), ingress({ defaultBackend: value, tls: [value] })]) {
      expect(() => compile([object, { kind: 'Service', metadata: value, spec: value }], {})).not.toThrow();
    }
  });

  it('reports a defect while reading an object as InternalError and compiles the rest', () => {
    const exploding = ingress({});
    Object.defineProperty(exploding, 'spec', { get: () => ({ get rules(): unknown { throw new Error('boom'); } }) });
    const other = { ...ingress({ defaultBackend: { service: { name: 'web', port: { number: 80 } } } }), metadata: { name: 'other', namespace: 'shop' } };
    const result = compile([exploding, other], {});
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'error InternalError Ingress shop/web: reading this object failed: "boom"',
      'error ServiceNotFound Ingress shop/other spec.defaultBackend: Service "web" not found in namespace shop; the route answers 503',
    ]);
    expect(result.served).toEqual(['shop/other']);
  });

  it('reports a defect outside any object as InternalError with an empty table', () => {
    const objects = new Proxy([], { get: () => { throw new Error('boom'); } });
    const result = compile(objects, {});
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['error InternalError ProviderOptions provider: compile failed: "boom"']);
    expect(result.table).toEqual({ schema: 1, routers: [], middlewares: {}, services: {} });
  });
});

describe('formatDiagnostic', () => {
  it('prints one line with severity, code, object, field and message', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        code: 'InvalidHost',
        object: { kind: 'Ingress', namespace: 'shop', name: 'web' },
        field: 'spec.rules[0].host',
        message: 'host "A\nB" is bad',
      }),
    ).toBe('error InvalidHost Ingress shop/web spec.rules[0].host: host "A B" is bad');
  });
  it('prints cluster-scoped objects without a namespace', () => {
    expect(formatDiagnostic({ severity: 'warning', code: 'DuplicateObject', object: { kind: 'IngressClass', name: 'edgress' }, message: 'x' })).toBe(
      'warning DuplicateObject IngressClass edgress: x',
    );
  });
});

describe('parseManifests', () => {
  it('flattens Lists, skips empty documents and keeps the good documents around a bad one', () => {
    const text = ['---', '# only a comment', '---', 'kind: List', 'items:', '  - {kind: Service, metadata: {name: a}}', '---', 'kind: [', '---', 'kind: Secret'].join('\n');
    const { objects, errors } = parseManifests(text, 'm.yaml');
    expect(objects.map((o) => o.kind)).toEqual(['Service', 'Secret']);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'm.yaml', line: 8 });
  });
});
