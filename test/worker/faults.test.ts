// The table store's faults as an isolate meets them: KV missing the pointer
// or a value, holding a corrupt value or a newer schema, failing or hanging.
// A warm isolate keeps serving its last good table; a cold one answers 503
// with a clear body; both log the fault. Each test binds its own KV (an
// in-memory stand-in with fault injection), so it starts as a cold isolate.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MANIFEST_PREFIX, POINTER_KEY, SHARD_PREFIX } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import type { Table } from '../../src/table/schema.ts';
import { echoOf, echoPool, expectEdgeText, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

type Fault = 'none' | 'throw' | 'hang' | 'slow';

/** A KV namespace in memory whose reads can fail, hang or be slow. */
class FaultyKv {
  readonly values = new Map<string, string>();
  fault: Fault = 'none';

  async get(key: string): Promise<string | null> {
    if (this.fault === 'throw') throw new Error('KV GET failed: 503');
    if (this.fault === 'hang') return new Promise(() => {});
    if (this.fault === 'slow') await new Promise((resolve) => setTimeout(resolve, 30));
    return this.values.get(key) ?? null;
  }

  async publish(next: Table): Promise<{ version: string; keys: string[] }> {
    const publication = await buildPublication(next);
    for (const [key, value] of publication.values) this.values.set(key, value);
    this.values.set(POINTER_KEY, publication.pointer);
    return { version: publication.version, keys: [...publication.values.keys()] };
  }
}

const servedBy = (name: 'a' | 'b'): Table => table({ routers: [router('shop.example.com', '/', 'web')], services: { web: echoPool(name) } });

function isolate() {
  const kv = new FaultyKv();
  const bindings = { TABLE: kv as unknown as KVNamespace, TABLE_READ_TIMEOUT_MS: '100' };
  return { kv, get: () => send('http://shop.example.com/', undefined, bindings) };
}

/** The structured log lines printed while `run` runs. */
async function logged(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('a cold isolate without a usable table', () => {
  it.each([
    ['the pointer is missing', async (_kv: FaultyKv) => {}, { level: 'warn', event: 'pointer-missing' }],
    ['KV fails', async (kv: FaultyKv) => void (kv.fault = 'throw'), { level: 'error', event: 'read-failed', key: POINTER_KEY }],
    ['KV hangs', async (kv: FaultyKv) => void (kv.fault = 'hang'), { event: 'read-failed', error: expect.stringContaining('took longer than 100 ms') }],
    ['the pointer names a newer schema', async (kv: FaultyKv) => {
      await kv.publish(servedBy('a'));
      kv.values.set(POINTER_KEY, JSON.stringify({ ...JSON.parse(kv.values.get(POINTER_KEY) ?? '{}'), schema: 2 }));
    }, { event: 'unsupported-schema', schema: 2 }],
    ['the pointer is corrupt', async (kv: FaultyKv) => void kv.values.set(POINTER_KEY, '\u0000garbage'), { event: 'invalid-value', key: POINTER_KEY }],
  ])('answers 503 "no routing table is loaded" when %s, and logs why', async (_, breakIt, expected) => {
    const { kv, get } = isolate();
    await breakIt(kv);
    const lines = await logged(async () => expectEdgeText(await get(), 503, 'no routing table is loaded'));
    expect(lines).toContainEqual(expect.objectContaining({ source: 'table-store', ...expected }));
  });

  it('serves the table as soon as KV has one', async () => {
    const { kv, get } = isolate();
    await logged(async () => expectEdgeText(await get(), 503, 'no routing table is loaded'));
    await kv.publish(servedBy('a'));
    expect((await echoOf(await get())).name).toBe('a');
  });
});

describe('table versions in the log', () => {
  it('logs nothing for a cold isolate\'s first table, then each newer one with the version it replaces', async () => {
    const { kv, get } = isolate();
    const first = await kv.publish(servedBy('a'));
    const coldLines = await logged(async () => expect((await echoOf(await get())).name).toBe('a'));
    expect(coldLines).toEqual([]);
    const second = await kv.publish(servedBy('b'));
    const lines = await logged(async () => expect((await echoOf(await get())).name).toBe('b'));
    expect(lines).toEqual([{ level: 'info', event: 'table-loaded', source: 'table-store', version: second.version, previous: first.version }]);
  });
});

describe('a warm isolate keeps serving its last good table', () => {
  it.each([
    ['the pointer disappears', (kv: FaultyKv) => void kv.values.delete(POINTER_KEY), { event: 'pointer-missing' }],
    ['KV fails', (kv: FaultyKv) => void (kv.fault = 'throw'), { event: 'read-failed' }],
    ['KV hangs', (kv: FaultyKv) => void (kv.fault = 'hang'), { event: 'read-failed', error: expect.stringContaining('took longer') }],
  ])('when %s, and logs it', async (_, breakIt, expected) => {
    const { kv, get } = isolate();
    await kv.publish(servedBy('a'));
    expect((await echoOf(await get())).name).toBe('a');
    const lines = await logged(async () => {
      breakIt(kv);
      for (let i = 0; i < 3; i++) expect((await echoOf(await get())).name).toBe('a');
    });
    expect(lines).toContainEqual(expect.objectContaining({ source: 'table-store', ...expected }));
    kv.fault = 'none';
    await kv.publish(servedBy('b'));
    expect((await echoOf(await get())).name).toBe('b');
  });

  it('when KV is slow (but within the read timeout): the new table, a little later', async () => {
    const { kv, get } = isolate();
    await kv.publish(servedBy('a'));
    expect((await echoOf(await get())).name).toBe('a');
    kv.fault = 'slow';
    await kv.publish(servedBy('b'));
    expect((await echoOf(await get())).name).toBe('b');
  });

  it.each([
    ['its manifest is missing', (keys: string[]) => keys.find((key) => key.startsWith(MANIFEST_PREFIX)), 'delete', 'value missing'],
    ['a shard is missing', (keys: string[]) => keys.find((key) => key.startsWith(SHARD_PREFIX)), 'delete', 'value missing'],
    ['a shard is corrupt', (keys: string[]) => keys.find((key) => key.startsWith(SHARD_PREFIX)), 'corrupt', 'content hash'],
    ['its manifest is corrupt', (keys: string[]) => keys.find((key) => key.startsWith(MANIFEST_PREFIX)), 'corrupt', 'content hash'],
  ] as const)('when a new publication is broken: %s', async (_, pick, how, error) => {
    const { kv, get } = isolate();
    await kv.publish(servedBy('a'));
    expect((await echoOf(await get())).name).toBe('a');
    const next = await buildPublication(servedBy('b'));
    const broken = pick([...next.values.keys()]);
    expect(broken).toBeDefined();
    for (const [key, value] of next.values) if (key !== broken || how === 'corrupt') kv.values.set(key, key === broken ? `${value} ` : value);
    const lines = await logged(async () => {
      kv.values.set(POINTER_KEY, next.pointer);
      expect((await echoOf(await get())).name).toBe('a');
    });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'invalid-value', key: broken, error: expect.stringContaining(error) }));
  });
});
