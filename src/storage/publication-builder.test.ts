import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCluster } from '../../bench/generate.ts';
import { arbitraryObject } from '../../test/unit/cluster-arbitraries.ts';
import { prefix, router, table } from '../../test/table-builders.ts';
import type { KubeObject } from '../compile/api.ts';
import { createIncrementalCompiler, type ObjectChange } from '../compile/incremental/index.ts';
import { buildPublication, type Publication } from './publication.ts';
import { PublicationBuilder } from './publication-builder.ts';
import type { Table } from '../table/schema.ts';

/** The builder's publication is `buildPublication`'s, given the same previous bucket count. */
async function expectSamePublication(builder: PublicationBuilder, t: Table, previousBucketCount: number | undefined): Promise<Publication> {
  const got = await builder.build(t);
  const want = await buildPublication(t, { previousBucketCount });
  expect(got.pointer).toBe(want.pointer);
  expect(got.bucketCount).toBe(want.bucketCount);
  expect([...got.values].sort()).toEqual([...want.values].sort());
  return got;
}

const upsert = (object: KubeObject): ObjectChange => ({ type: 'upsert', object });

describe('PublicationBuilder', () => {
  it('publishes what buildPublication does while a generated cluster changes, encoding only changed shards', async () => {
    const cluster = generateCluster(1500, 3);
    const compiler = createIncrementalCompiler({});
    const builder = new PublicationBuilder();
    let publication = await expectSamePublication(builder, compiler.update(cluster.objects.map(upsert)).table, undefined);
    expect(publication.bucketCount).toBeGreaterThan(4);
    expect(builder.encoded).toBe(publication.bucketCount);

    const slice = cluster.objects.find((object) => object.kind === 'EndpointSlice') as KubeObject & { endpoints: unknown[] };
    const grown = { ...slice, endpoints: [...slice.endpoints, { addresses: ['10.250.0.1'], conditions: { ready: true } }] };
    publication = await expectSamePublication(builder, compiler.update([upsert(grown)]).table, publication.bucketCount);
    expect(builder.encoded).toBe(1);

    const ingress = cluster.objects.find((object) => object.kind === 'Ingress') as KubeObject & { metadata: Record<string, unknown> };
    const moved = { ...ingress, spec: { rules: [{ host: 'moved.example.com', http: (ingress['spec'] as { rules: { http: unknown }[] }).rules[0]!.http }] } };
    publication = await expectSamePublication(builder, compiler.update([upsert(moved)]).table, publication.bucketCount);
    expect(builder.encoded).toBeLessThanOrEqual(2);

    const defaultBackend = { ...moved, spec: { ...moved.spec, defaultBackend: { service: { name: 'app-0-a', port: { number: 80 } } } } };
    publication = await expectSamePublication(builder, compiler.update([upsert(defaultBackend)]).table, publication.bucketCount);
    publication = await expectSamePublication(builder, compiler.update([{ type: 'delete', object: ingress }]).table, publication.bucketCount);
    publication = await expectSamePublication(builder, compiler.update([]).table, publication.bucketCount);
    expect(builder.encoded).toBe(0);
  });

  it('publishes what buildPublication does for random clusters changed at random', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(fc.record({ remove: fc.boolean(), object: arbitraryObject }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }), async (steps) => {
        const compiler = createIncrementalCompiler({});
        const builder = new PublicationBuilder();
        let count: number | undefined;
        for (const step of steps) {
          const { table: t } = compiler.update(step.map(({ remove, object }) => ({ type: remove ? 'delete' : 'upsert', object })));
          count = (await expectSamePublication(builder, t, count)).bucketCount;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('publishes what buildPublication does while random objects of a many-bucket cluster change', async () => {
    const cluster = generateCluster(800, 5);
    const compiler = createIncrementalCompiler({});
    const builder = new PublicationBuilder();
    let count = (await expectSamePublication(builder, compiler.update(cluster.objects.map(upsert)).table, undefined)).bucketCount;
    const edit = fc.record({ index: fc.nat(cluster.objects.length - 1), how: fc.constantFrom('delete', 'restore', 'host', 'endpoints'), seed: fc.nat(1000) });
    await fc.assert(
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 5 }), async (edits) => {
        const changes = edits.map(({ index, how, seed }): ObjectChange => {
          const object = cluster.objects[index]!;
          if (how === 'delete') return { type: 'delete', object };
          if (how === 'host' && object.kind === 'Ingress') {
            const rules = (object['spec'] as { rules: { http: unknown }[] }).rules;
            return upsert({ ...object, spec: { rules: [{ host: `h${seed % 50}.example.com`, http: rules[0]!.http }] } });
          }
          if (how === 'endpoints' && object.kind === 'EndpointSlice') {
            return upsert({ ...object, endpoints: [{ addresses: [`10.9.${seed % 4}.1`], conditions: { ready: seed % 3 !== 0 } }] });
          }
          return upsert(object);
        });
        count = (await expectSamePublication(builder, compiler.update(changes).table, count)).bucketCount;
      }),
      { numRuns: 60 },
    );
  });

  it('doubles the bucket count as buildPublication does when a changed shard grows too large', async () => {
    const routers = Array.from({ length: 400 }, (_, i) => router(`h${i}.example.com`, prefix('/'), `svc-${i}`, { id: `ns/i${i}#0.0` }));
    const small = table({ routers });
    const builder = new PublicationBuilder();
    const first = await expectSamePublication(builder, small, undefined);
    const huge = { kind: 'custom-headers', request: { set: [['X-Big', 'x'.repeat(300 * 1024)]], remove: [] }, response: { set: [], remove: [] } };
    const grown: Table = { ...small, routers: routers.map((r, i) => (i === 7 ? { ...r, middlewares: ['big'] } : r)), middlewares: { big: huge as never } };
    const second = await expectSamePublication(builder, grown, first.bucketCount);
    expect(second.bucketCount).toBeGreaterThan(first.bucketCount);
    await expectSamePublication(builder, small, second.bucketCount);
  });

  it('keeps a previous bucket count given for its first build', async () => {
    const routers = Array.from({ length: 50 }, (_, i) => router(`h${i}.example.com`, prefix('/'), `svc-${i}`, { id: `ns/i${i}#0.0` }));
    const t = table({ routers, defaultRouter: router('', prefix('/'), 'default', { id: 'ns/d#default' }) });
    await expectSamePublication(new PublicationBuilder({ previousBucketCount: 2 }), t, 2);
  });
});
