/**
 * The incremental compiler's contract: after any sequence of changes, its
 * result is exactly what `compile()` gives on the same objects (table,
 * diagnostics in order, served), compared as JSON so key order counts too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompileResult, KubeObject, ProviderOptions } from '../api.ts';
import { compile, parseManifests } from '../index.ts';
import { createIncrementalCompiler, type ObjectChange } from './index.ts';
import { arbitraryObject, objectKey, PROVIDER_OPTIONS } from '../../../test/unit/cluster-arbitraries.ts';

/** A batch of changes: objects to upsert, or (`delete`) whose key to remove. */
type Step = readonly { readonly remove: boolean; readonly object: KubeObject }[];

/** Applies the steps to an incremental compiler and to a plain map, comparing with `compile()` after each. */
function check(options: ProviderOptions, steps: readonly Step[], viaSync: boolean): void {
  const compiler = createIncrementalCompiler(options);
  const objects = new Map<string, KubeObject>();
  for (const step of steps) {
    const changes: ObjectChange[] = step.map(({ remove, object }) => ({ type: remove ? 'delete' : 'upsert', object }));
    for (const { type, object } of changes) {
      if (type === 'delete') objects.delete(objectKey(object));
      else objects.set(objectKey(object), object);
    }
    if (viaSync) {
      // A list says nothing of order between passes: objects keep the place they were first seen in.
      const got = compiler.sync([...objects.values()]);
      expect(new Set(compiler.objects())).toEqual(new Set([...objects.values()].filter((object) => isRead(object, options))));
      expectSame(got, compile(compiler.objects(), options));
    } else expectSame(compiler.update(changes), compile([...objects.values()], options));
  }
}

/** Whether the compiler reads the object at all (a kind it knows, in a namespace it watches). */
function isRead(object: KubeObject, options: ProviderOptions): boolean {
  const namespace = (object.metadata as { namespace?: string }).namespace || 'default';
  if (object.kind === 'IngressClass') return true;
  return ['Ingress', 'Service', 'Endpoints', 'EndpointSlice', 'Secret', 'ConfigMap'].includes(String(object.kind)) && (!options.namespaces?.length || options.namespaces.includes(namespace));
}

function expectSame(got: CompileResult, want: CompileResult): void {
  expect(JSON.stringify(got, null, 1)).toBe(JSON.stringify(want, null, 1));
}

const steps = (object: fc.Arbitrary<KubeObject>) =>
  fc.array(fc.array(fc.record({ remove: fc.integer({ min: 0, max: 3 }).map((n) => n === 0), object }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 });

describe('incremental compile equals a full compile', () => {
  it('on random clusters changed at random (generated objects)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROVIDER_OPTIONS), steps(arbitraryObject), fc.boolean(), (options, batches, viaSync) => check(options, batches, viaSync)),
      { numRuns: 400 },
    );
  }, 60_000);

  it('on the golden fixtures mixed and changed at random', () => {
    const universe = fixtureObjects();
    fc.assert(
      fc.property(fc.constantFrom<ProviderOptions>({}, ...fixtureOptions()), steps(fc.constantFrom(...universe)), (options, batches) => check(options, batches, false)),
      { numRuns: 200 },
    );
  }, 60_000);

  it('one golden case at a time, added in one batch and then removed one object at a time', () => {
    for (const { options, objects } of fixtureCases()) {
      const compiler = createIncrementalCompiler(options);
      expectSame(compiler.update(objects.map((object) => ({ type: 'upsert', object }))), compile(compiler.objects(), options));
      for (const object of objects) expectSame(compiler.update([{ type: 'delete', object }]), compile(compiler.objects(), options));
      expect(compiler.objects()).toEqual([]);
    }
  }, 60_000);
});

describe('createIncrementalCompiler', () => {
  const service = (ready: string[]): KubeObject[] => [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'web-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      ports: [{ name: 'http', port: 8080 }], endpoints: ready.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
    },
  ];
  const ingress = (name: string, host: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop' },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
  });
  const upsert = (object: KubeObject): ObjectChange => ({ type: 'upsert', object });

  it('hands out the same result when nothing it depends on changed', () => {
    const compiler = createIncrementalCompiler({});
    const first = compiler.update([...service(['10.0.0.1']), ingress('a', 'a.example.com')].map(upsert));
    expect(compiler.update([upsert({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } })])).toBe(first);
    expect(compiler.update([])).toBe(first);
  });

  it('keeps routers and untouched services when only endpoints change', () => {
    const compiler = createIncrementalCompiler({});
    const first = compiler.update([...service(['10.0.0.1']), ingress('a', 'a.example.com'), ingress('b', 'b.example.com')].map(upsert));
    const pool = first.table.services['shop/web:80'];
    const next = compiler.update([upsert(service(['10.0.0.2'])[1]!)]);
    expect(next.table).not.toBe(first.table);
    expect(next.table.routers).toBe(first.table.routers);
    // Only a value changed: the record is shared and the value replaced, not mutated.
    expect(next.table.services).toBe(first.table.services);
    expect(next.table.services['shop/web:80']).not.toBe(pool);
    expect(pool).toMatchObject({ servers: [{ address: '10.0.0.1:8080' }] });
    expectSame(next, compile(compiler.objects(), {}));
  });

  it('recompiles only the Ingress that changed', () => {
    const compiler = createIncrementalCompiler({});
    const first = compiler.update([...service(['10.0.0.1']), ingress('a', 'a.example.com'), ingress('b', 'b.example.com')].map(upsert));
    const next = compiler.update([upsert(ingress('b', 'c.example.com'))]);
    expect(next.table.routers[0]).toBe(first.table.routers[0]);
    expect(next.table.routers[1]?.host).toBe('c.example.com');
  });

  it('syncs with an object list: same objects or same resourceVersion are no change', () => {
    const compiler = createIncrementalCompiler({});
    const objects = [...service(['10.0.0.1']), ingress('a', 'a.example.com')].map((object, i) => ({ ...object, metadata: { ...(object.metadata as object), resourceVersion: String(i + 1) } }));
    const first = compiler.sync(objects);
    expect(compiler.sync([...objects])).toBe(first);
    expect(compiler.sync(objects.map((object) => ({ ...object })))).toBe(first);
    const removed = compiler.sync(objects.slice(0, 2));
    expect(removed.table.routers).toEqual([]);
    expectSame(removed, compile(compiler.objects(), {}));
  });
});

const FIXTURES = new URL('../../../test/compile/fixtures/', import.meta.url);

function fixtureCases(): { options: ProviderOptions; objects: KubeObject[] }[] {
  return readdirSync(FIXTURES).filter((file) => file.endsWith('.yaml')).sort().map((file) => {
    const optionsFile = new URL(file.replace(/\.yaml$/, '.options.json'), FIXTURES);
    const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as ProviderOptions) : {};
    return { options, objects: parseManifests(readFileSync(new URL(file, FIXTURES), 'utf8'), file).objects };
  });
}

function fixtureObjects(): KubeObject[] {
  return fixtureCases().flatMap((entry) => entry.objects);
}

function fixtureOptions(): ProviderOptions[] {
  return fixtureCases().map((entry) => entry.options).filter((options) => Object.keys(options).length > 0);
}

describe('createIncrementalCompiler with Gateway API objects', () => {
  const gatewayObjects: KubeObject[] = [
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'edgress' }, spec: { controllerName: 'edgress.dev/gateway-controller' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { gatewayClassName: 'edgress', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
  ];
  const route = (path: string): KubeObject => ({
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop', resourceVersion: path },
    spec: { parentRefs: [{ name: 'edge' }], rules: [{ matches: [{ path: { value: path } }], backendRefs: [{ name: 'web', port: 80 }] }] },
  });

  it('recompiles the Gateway API part when an HTTPRoute changes, and holds the objects for objects()', () => {
    const compiler = createIncrementalCompiler({});
    const first = compiler.sync([...gatewayObjects, route('/a')]);
    expect(first.table.routers.map((router) => router.match)).toEqual([{ type: 'prefix', path: '/a' }]);
    const next = compiler.sync([...gatewayObjects, route('/b')]);
    expect(next.table.routers.map((router) => router.match)).toEqual([{ type: 'prefix', path: '/b' }]);
    expect(compiler.objects()).toHaveLength(4);
    expectSame(next, compile(compiler.objects(), {}));
    const gone = compiler.sync(gatewayObjects);
    expect(gone.table.routers).toEqual([]);
    expect(gone.gateway?.httpRoutes).toEqual([]);
    expectSame(gone, compile(compiler.objects(), {}));
  });

  it('reuses the Gateway API part when nothing it reads changed, and rebuilds it when endpoints change', () => {
    const compiler = createIncrementalCompiler({});
    const slice = (ip: string): KubeObject => ({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      ports: [{ port: 8080 }], endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    });
    const first = compiler.update([...gatewayObjects, route('/a'), slice('10.0.0.1')].map((object) => ({ type: 'upsert' as const, object })));
    expect(compiler.update([{ type: 'upsert', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }])).toBe(first);
    const moved = compiler.update([{ type: 'upsert', object: slice('10.0.0.9') }]);
    expect(moved.table.services['shop/web:80']).toMatchObject({ servers: [{ address: '10.0.0.9:8080' }] });
    expectSame(moved, compile(compiler.objects(), {}));
  });
});
