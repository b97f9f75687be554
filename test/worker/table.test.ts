// The table as isolates see it: a new publication is served once the pointer
// moves, and a publication that fails validation is never served.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import { tamperedPublication } from '../unit/tamper.ts';
import type { Table } from '../../src/table/schema.ts';
import { echoOf, echoPool, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const servedBy = (name: 'a' | 'b' | 'c', host = 'shop.example.com'): Table =>
  table({ routers: [router(host, '/', 'web')], services: { web: echoPool(name) } });

const answerer = async () => (await echoOf(await send('http://shop.example.com/'))).name;

/** Captures the structured log lines the worker prints while `run` runs. */
async function logged(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  await run();
  vi.restoreAllMocks();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.restoreAllMocks());

describe('table versions', () => {
  it('switches to a new table when the pointer moves', async () => {
    await publish(servedBy('a'));
    expect(await answerer()).toBe('a');
    await publish(servedBy('b'));
    expect(await answerer()).toBe('b');
  });

  it('keeps serving the previous table when the pointer is not JSON', async () => {
    await publish(servedBy('a'));
    expect(await answerer()).toBe('a');
    const lines = await logged(async () => {
      await env.TABLE.put(POINTER_KEY, '{"schema": 1, "vers');
      expect(await answerer()).toBe('a');
    });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', event: 'invalid-value', key: POINTER_KEY, source: 'table-store' }));
  });

  it('keeps serving the previous table when the pointer names another schema version', async () => {
    await publish(servedBy('a'));
    expect(await answerer()).toBe('a');
    const next = await buildPublication(servedBy('b'));
    for (const [key, value] of next.values) await env.TABLE.put(key, value);
    const lines = await logged(async () => {
      await env.TABLE.put(POINTER_KEY, JSON.stringify({ ...JSON.parse(next.pointer), schema: 2 }));
      expect(await answerer()).toBe('a');
    });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'unsupported-schema', schema: 2 }));
  });

  it('keeps serving the previous table when a shard refers to a service it lacks', async () => {
    await publish(servedBy('a'));
    expect(await answerer()).toBe('a');
    // The publisher cannot produce such a shard; write one by hand, its router pointing past the services.
    const next = await tamperedPublication(await buildPublication(servedBy('b')), (shard) => shard.replace(/("p\/",)0\]/, '$17]'));
    for (const [key, value] of next.values) await env.TABLE.put(key, value);
    const lines = await logged(async () => {
      await env.TABLE.put(POINTER_KEY, next.pointer);
      expect(await answerer()).toBe('a');
    });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'invalid-value', error: expect.stringContaining('unknown service') }));
  });

  it('keeps serving the previous table when a shard fails schema validation', async () => {
    await publish(servedBy('a'));
    expect(await answerer()).toBe('a');
    const next = await tamperedPublication(await buildPublication(servedBy('b')), (shard) => shard.replace('"schema":1', '"schema":"one"'));
    for (const [key, value] of next.values) await env.TABLE.put(key, value);
    const lines = await logged(async () => {
      await env.TABLE.put(POINTER_KEY, next.pointer);
      expect(await answerer()).toBe('a');
    });
    expect(lines).toContainEqual(expect.objectContaining({ event: 'invalid-value', error: expect.stringContaining('structure') }));
    // Once a good publication arrives it is served.
    await publish(servedBy('c'));
    expect(await answerer()).toBe('c');
  });
});
