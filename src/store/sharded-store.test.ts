import { describe, expect, it } from 'vitest';
import { pool, prefix, router, table } from '../../test/table-builders.ts';
import { selectRoute } from '../match/select.ts';
import { POINTER_KEY, SHARD_PREFIX } from '../storage/layout.ts';
import { tamperedPublication } from '../../test/unit/tamper.ts';
import { buildPublication, SHARD_LIMITS, type Publication } from '../storage/publication.ts';
import type { Table } from '../table/schema.ts';
import { ShardedTableStore, type StoreEvent } from './sharded-store.ts';

/** A Map standing in for KV, with reads counted and faults injectable. */
class FakeKv {
  readonly data = new Map<string, string>();
  readonly reads: string[] = [];
  failing = false;
  async get(key: string): Promise<string | null> {
    this.reads.push(key);
    if (this.failing) throw new Error('KV unavailable');
    return this.data.get(key) ?? null;
  }
  async publish(t: Table, previousBucketCount?: number) {
    return this.write(await buildPublication(t, { previousBucketCount }));
  }
  write(publication: Publication) {
    for (const [key, value] of publication.values) this.data.set(key, value);
    this.data.set(POINTER_KEY, publication.pointer);
    return publication;
  }
}

function storeOver(kv: FakeKv, events: StoreEvent[] = []) {
  let now = 0;
  const store = new ShardedTableStore(kv, { refreshMs: 1000, now: () => now, onEvent: (e) => events.push(e) });
  return { store, advance: (ms: number) => (now += ms) };
}

async function serviceFor(store: ShardedTableStore, host: string, path = '/') {
  const lookup = await store.forHost(host);
  if (!lookup) return 'no-table';
  const service = selectRoute(lookup.view, path, 'http')?.route.service;
  return service?.kind === 'servers' ? (service.target?.name ?? '?') : '404';
}

/** N hosts with one route each, enough to need several buckets. */
function manyHosts(n: number, tag = 'v1'): Table {
  return table({
    routers: Array.from({ length: n }, (_, i) => router(`h${i}.example.com`, prefix('/'), `svc-${i}-${tag}`, { id: `ns/i${i}#0.0` })),
    defaultRouter: router('', prefix('/'), 'default', { id: 'ns/d#default' }),
  });
}

describe('buildPublication', () => {
  it('splits a large table into buckets no bigger than the limit and is deterministic', async () => {
    const big = manyHosts(3000);
    const a = await buildPublication(big);
    const b = await buildPublication(big);
    expect(a.version).toBe(b.version);
    expect(a.bucketCount).toBeGreaterThan(1);
    for (const [key, value] of a.values) {
      if (key.startsWith(SHARD_PREFIX)) expect(value.length).toBeLessThanOrEqual(SHARD_LIMITS.maxBytes);
    }
  });

  it('keeps unchanged shards under the same keys when one host changes', async () => {
    const before = await buildPublication(manyHosts(3000));
    const changed = manyHosts(3000);
    changed.routers[7] = router('h7.example.com', prefix('/'), 'moved', { id: 'ns/i7#0.0' });
    changed.services.moved = pool('moved', ['10.9.9.9:80']);
    const after = await buildPublication(changed, { previousBucketCount: before.bucketCount });
    const added = [...after.values.keys()].filter((key) => !before.values.has(key));
    expect(after.version).not.toBe(before.version);
    expect(added).toHaveLength(2); // one shard and the manifest
  });
});

describe('ShardedTableStore', () => {
  it('serves every host of a sharded table, wildcard and default included, reading only what a host needs', async () => {
    const kv = new FakeKv();
    const t = manyHosts(20_000);
    t.routers.push(router('*.wild.example.com', prefix('/'), 'wild', { id: 'ns/w#0.0' }));
    t.services.wild = pool('wild');
    const publication = await kv.publish(t);
    const { store } = storeOver(kv);
    expect(await serviceFor(store, 'h42.example.com')).toBe('svc-42-v1');
    expect(await serviceFor(store, 'x.wild.example.com')).toBe('wild');
    expect(await serviceFor(store, 'unknown.example.org')).toBe('default');
    // Three hosts: each needs its bucket and its wildcard bucket; the host-less shard is read once.
    expect(publication.bucketCount).toBeGreaterThan(8);
    expect(kv.reads.filter((key) => key.startsWith(SHARD_PREFIX)).length).toBeLessThanOrEqual(7);
  });

  it('re-reads the pointer only after the refresh interval, then switches versions', async () => {
    const kv = new FakeKv();
    await kv.publish(manyHosts(10, 'v1'));
    const { store, advance } = storeOver(kv);
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v1');
    await kv.publish(manyHosts(10, 'v2'));
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v1');
    advance(1000);
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v2');
    expect(kv.reads.filter((key) => key === POINTER_KEY)).toHaveLength(2);
  });

  describe('never makes a request wait on a KV read another request started', () => {
    // In workerd that read belongs to the other request, and awaiting it moves this one into that request's context.
    /** Holds the next read of `key` until released; later reads of it go through. */
    function holdNextRead(kv: FakeKv, key: (k: string) => boolean) {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const get = kv.get.bind(kv);
      let held = false;
      kv.get = async (k: string) => {
        if (!held && key(k)) {
          held = true;
          await gate;
        }
        return get(k);
      };
      return release;
    }
    const settledSoon = async <T>(promise: Promise<T>) =>
      Promise.race([promise.then((value) => ({ value })), new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 50))]);

    it('serves the loaded version while another request re-reads the pointer', async () => {
      const kv = new FakeKv();
      await kv.publish(manyHosts(5, 'v1'));
      const { store, advance } = storeOver(kv);
      expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v1');
      await kv.publish(manyHosts(5, 'v2'));
      advance(1000);
      const release = holdNextRead(kv, (k) => k === POINTER_KEY);
      const first = serviceFor(store, 'h1.example.com');
      expect(await settledSoon(serviceFor(store, 'h1.example.com'))).toEqual({ value: 'svc-1-v1' });
      release();
      expect(await first).toBe('svc-1-v2');
      expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v2');
      expect(kv.reads.filter((key) => key === POINTER_KEY)).toHaveLength(2);
    });

    it('reads the pointer and a shard itself while another request is still reading them', async () => {
      const kv = new FakeKv();
      await kv.publish(manyHosts(5, 'v1'));
      const { store } = storeOver(kv);
      const releasePointer = holdNextRead(kv, (k) => k === POINTER_KEY);
      const first = serviceFor(store, 'h1.example.com');
      expect(await settledSoon(serviceFor(store, 'h1.example.com'))).toEqual({ value: 'svc-1-v1' });
      const releaseShard = holdNextRead(kv, (k) => k.startsWith(SHARD_PREFIX));
      const third = serviceFor(store, 'h2.example.com');
      expect(await settledSoon(serviceFor(store, 'h2.example.com'))).toEqual({ value: 'svc-2-v1' });
      releasePointer();
      releaseShard();
      expect(await first).toBe('svc-1-v1');
      expect(await third).toBe('svc-2-v1');
    });
  });

  it('reports a loaded version with the one it replaces, none on the first load', async () => {
    const kv = new FakeKv();
    const events: StoreEvent[] = [];
    const { store, advance } = storeOver(kv, events);
    const first = await kv.publish(manyHosts(3, 'v1'));
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v1');
    expect(events).toEqual([{ type: 'table-loaded', version: first.version }]);
    const second = await kv.publish(manyHosts(3, 'v2'));
    advance(1000);
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v2');
    expect(events.at(-1)).toEqual({ type: 'table-loaded', version: second.version, previous: first.version });
  });

  it('answers null until a table exists, then serves it', async () => {
    const kv = new FakeKv();
    const events: StoreEvent[] = [];
    const { store, advance } = storeOver(kv, events);
    expect(await store.forHost('h1.example.com')).toBeNull();
    expect(events).toContainEqual({ type: 'pointer-missing' });
    await kv.publish(manyHosts(3));
    advance(1000);
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-v1');
  });

  it('keeps the last good table when KV fails, the pointer vanishes or a new table is invalid', async () => {
    const kv = new FakeKv();
    const events: StoreEvent[] = [];
    const { store, advance } = storeOver(kv, events);
    await kv.publish(manyHosts(5, 'good'));
    expect(await serviceFor(store, 'h2.example.com')).toBe('svc-2-good');

    kv.failing = true;
    advance(1000);
    expect(await serviceFor(store, 'h2.example.com')).toBe('svc-2-good');
    kv.failing = false;

    kv.data.delete(POINTER_KEY);
    advance(1000);
    expect(await serviceFor(store, 'h2.example.com')).toBe('svc-2-good');

    const bad = await kv.publish(manyHosts(5, 'bad'));
    for (const key of bad.values.keys()) if (key.startsWith(SHARD_PREFIX)) kv.data.set(key, '{"schema":1,"routers":[');
    advance(1000);
    expect(await serviceFor(store, 'h2.example.com')).toBe('svc-2-good');
    expect(events.some((e) => e.type === 'invalid-value')).toBe(true);

    kv.data.set(POINTER_KEY, JSON.stringify({ schema: 2, version: 'future', manifest: 'edgress/manifest/x' }));
    advance(1000);
    expect(await serviceFor(store, 'h2.example.com')).toBe('svc-2-good');
    expect(events).toContainEqual({ type: 'unsupported-schema', schema: 2 });
  });

  it('keeps serving the last good table through several broken publications in a row', async () => {
    const kv = new FakeKv();
    const { store, advance } = storeOver(kv);
    await kv.publish(manyHosts(5, 'good'));
    expect(await serviceFor(store, 'h3.example.com')).toBe('svc-3-good');
    for (const tag of ['bad1', 'bad2', 'bad3']) {
      const bad = await kv.publish(manyHosts(5, tag));
      for (const key of bad.values.keys()) if (key.startsWith(SHARD_PREFIX)) kv.data.set(key, 'not json');
      advance(1000);
      expect(await serviceFor(store, 'h3.example.com')).toBe('svc-3-good');
    }
    await kv.publish(manyHosts(5, 'fixed'));
    advance(1000);
    expect(await serviceFor(store, 'h3.example.com')).toBe('svc-3-fixed');
  });

  it('refuses a value that does not match its content hash, and one whose middleware entry is invalid', async () => {
    const kv = new FakeKv();
    const events: StoreEvent[] = [];
    const { store, advance } = storeOver(kv, events);
    await kv.publish(manyHosts(3, 'good'));
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-good');

    const corrupted = await buildPublication(manyHosts(3, 'corrupt'));
    kv.write(corrupted);
    for (const [key, value] of corrupted.values) if (key.startsWith(SHARD_PREFIX)) kv.data.set(key, value.replace('svc-1-corrupt', 'svc-1-evil'));
    advance(1000);
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-good');
    expect(events.some((e) => e.type === 'invalid-value' && e.error.includes('content hash'))).toBe(true);

    const withMiddleware = manyHosts(3, 'mw');
    withMiddleware.routers[1] = { ...withMiddleware.routers[1]!, middlewares: ['strip'] };
    withMiddleware.middlewares.strip = { kind: 'strip-prefix', prefix: '/x' };
    kv.write(await tamperedPublication(await buildPublication(withMiddleware), (shard) => shard.replace('"prefix":"/x"', '"prefix":"no-slash"')));
    advance(1000);
    expect(await serviceFor(store, 'h1.example.com')).toBe('svc-1-good');
    expect(events.some((e) => e.type === 'invalid-value' && e.error.includes('middleware m0 is invalid'))).toBe(true);
  });

  it('lets a host-less priority route win over an exact host, through the shards', async () => {
    const kv = new FakeKv();
    const t = manyHosts(2000);
    t.routers.push(router('', prefix('/maintenance'), 'maintenance', { id: 'ns/p#0.0', priority: 10 }));
    t.services.maintenance = pool('maintenance');
    await kv.publish(t);
    const { store } = storeOver(kv);
    expect(await serviceFor(store, 'h5.example.com', '/maintenance/x')).toBe('maintenance');
    expect(await serviceFor(store, 'h5.example.com', '/other')).toBe('svc-5-v1');
  });

  it('refuses a shard whose weighted services form a cycle', async () => {
    const kv = new FakeKv();
    const events: StoreEvent[] = [];
    const t = table({ routers: [router('a.example.com', prefix('/'), 'split', { id: 'ns/a#0.0' })] });
    t.services.split = { kind: 'weighted', services: [{ service: 'a', weight: 1 }] };
    t.services.a = pool('a');
    // Point the weighted group (service 0) at itself.
    kv.write(await tamperedPublication(await buildPublication(t), (shard) => shard.replace('{"weighted":[[1,1]]}', '{"weighted":[[0,1]]}')));
    const { store } = storeOver(kv, events);
    // No good version holds this host's routes: the store has nothing to serve (the worker answers 503).
    expect(await serviceFor(store, 'a.example.com')).toBe('no-table');
    expect(events.some((e) => e.type === 'invalid-value' && e.error.includes('cycle'))).toBe(true);
  });

  it('never serves a shard whose references are broken', async () => {
    const kv = new FakeKv();
    const events: StoreEvent[] = [];
    const publication = await buildPublication(table({ routers: [router('a.example.com', prefix('/'), 'svc', { id: 'ns/a#0.0' })] }));
    // The router's middleware index 0 and service index 5 exist in no array of the shard.
    kv.write(await tamperedPublication(publication, (shard) => shard.replace('[0,"p/",0]', '[0,"p/",5,[0]]')));
    const { store } = storeOver(kv, events);
    expect(await serviceFor(store, 'a.example.com')).toBe('no-table');
    expect(events.some((e) => e.type === 'invalid-value' && e.error.includes('unknown'))).toBe(true);
  });
});
