/**
 * Publishing to Workers KV through the official client, against the local
 * stand-in of the Cloudflare API: what is written and in which order, what
 * is not written again, bulk limits, retries on 429 and 5xx, and that a
 * failure never leaves the pointer on an incomplete table; `--dry-run`
 * writes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import { systemClock } from '../../sync/common/clock.ts';
import { HISTORY_KEY, parseHistory } from '../../sync/publish/cloudflare/history.ts';
import { CloudflareKvPublisher } from '../../sync/publish/cloudflare/kv-api-publisher.ts';
import { CloudflareApiError } from '../../sync/publish/cloudflare/request-gate.ts';
import { DryRunPublisher } from '../../sync/publish/dry-run-publisher.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, expectComplete, InstantClock, NAMESPACE, startStandIn, tableWith } from './helpers.ts';

let api: CloudflareApiStandIn;
let clock: InstantClock;

beforeEach(async () => {
  api = await startStandIn();
  clock = new InstantClock();
});
afterEach(() => api.close());

const publisher = (options: { keep?: number; graceMs?: number } = {}) => new CloudflareKvPublisher({ kv: connect(api, clock).namespace(NAMESPACE), clock, ...options });
const bulkWrites = () => api.requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/bulk'));

describe('CloudflareKvPublisher', () => {
  it('writes exactly the values buildPublication returns, then the history, then the pointer', async () => {
    const table = tableWith(['shop.example.com', 'blog.example.com'], 8080);
    const outcome = await publisher().publish(table);
    const expected = await buildPublication(table);
    expect(outcome).toMatchObject({ version: expected.version, changed: true });
    const stored = api.values(NAMESPACE);
    for (const [key, value] of expected.values) expect(stored.get(key)).toBe(value);
    expect(stored.get(POINTER_KEY)).toBe(expected.pointer);
    await expectComplete(stored);
    const writes = bulkWrites().map((request) => request.keys);
    expect(writes.at(-2)).toEqual([HISTORY_KEY]);
    expect(writes.at(-1)).toEqual([POINTER_KEY]);
    expect(writes.slice(0, -2).flat().sort()).toEqual([...expected.values.keys()].sort());
    expect(parseHistory(stored.get(HISTORY_KEY)).entries).toMatchObject([{ version: expected.version, pointer: expected.pointer, routes: 2 }]);
    expect(api.namespace(NAMESPACE).get([...expected.values.keys()][0]!)?.metadata).toEqual({ writtenAt: clock.now() });
  });

  it('writes nothing for the table in force, even from a new process', async () => {
    const table = tableWith(['shop.example.com']);
    await publisher().publish(table);
    api.requests.length = 0;
    expect(await publisher().publish(table)).toMatchObject({ changed: false, valuesWritten: 0 });
    expect(bulkWrites()).toEqual([]);
  });

  it('does not write again values a kept table already stores', async () => {
    await publisher().publish(tableWith(['shop.example.com'], 8080));
    api.requests.length = 0;
    const next = tableWith(['shop.example.com'], 9090);
    const shared = (await buildPublication(next)).values;
    await publisher().publish(next);
    const written = bulkWrites().flatMap((request) => request.keys ?? []);
    // Only the default backend's shard and the manifest changed.
    expect(written.filter((key) => shared.has(key))).toHaveLength(2);
    expect(shared.size).toBe(3);
    await expectComplete(api.values(NAMESPACE));
  });

  it('retries a 429 after its Retry-After, and 5xx with backoff', async () => {
    api.fail({ path: /\/bulk$/, status: 429, retryAfter: '7', times: 1 });
    api.fail({ path: /\/bulk\/get$/, status: 503, times: 2 });
    await publisher().publish(tableWith(['shop.example.com']));
    await expectComplete(api.values(NAMESPACE));
    expect(clock.sleeps.some((ms) => ms >= 7_000)).toBe(true);
    expect(api.requests.filter((request) => request.status >= 429).map((request) => request.status).sort()).toEqual([429, 503, 503]);
  });

  it('writes again the keys a bulk write reports as unsuccessful', async () => {
    const table = tableWith(['shop.example.com']);
    const [firstKey] = (await buildPublication(table)).values.keys();
    api.fail({ path: /\/bulk$/, unsuccessfulKeys: [firstKey!], times: 1 });
    await publisher().publish(table);
    await expectComplete(api.values(NAMESPACE));
    expect(bulkWrites().filter((request) => request.keys?.length === 1 && request.keys[0] === firstKey)).toHaveLength(1);
  });

  it.each([
    ['the values', { path: /\/bulk$/ }],
    ['the history', { key: HISTORY_KEY }],
    ['the pointer', { key: POINTER_KEY }],
  ])('leaves the complete table in force when writing %s keeps failing (500)', async (_, where) => {
    const before = tableWith(['shop.example.com']);
    await publisher().publish(before);
    const inForce = api.values(NAMESPACE).get(POINTER_KEY);
    api.fail({ ...where, status: 500 });
    const error = await publisher().publish(tableWith(['shop.example.com', 'new.example.com'])).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(CloudflareApiError);
    expect((error as CloudflareApiError).message).toContain('HTTP 500');
    expect(api.values(NAMESPACE).get(POINTER_KEY)).toBe(inForce);
    expect((await expectComplete(api.values(NAMESPACE))).version).toBe((await buildPublication(before)).version);
  });

  it('stops at once on 403 (a token without the permission)', async () => {
    api.fail({ status: 403 });
    await expect(publisher().publish(tableWith(['a.example.com']))).rejects.toThrow(/HTTP 403/);
    expect(api.requests).toHaveLength(1);
  });

  it('writes the pointer at most once a second, so two quick publishes never meet a 429', async () => {
    await api.close();
    api = await startStandIn({ keyWriteIntervalMs: 1_000 });
    const realTime = new CloudflareKvPublisher({ kv: connect(api, systemClock).namespace(NAMESPACE), clock: systemClock });
    await realTime.publish(tableWith(['a.example.com']));
    await realTime.publish(tableWith(['b.example.com']));
    expect(api.requests.filter((request) => request.status !== 200)).toEqual([]);
    expect(JSON.parse(api.values(NAMESPACE).get(POINTER_KEY)!)).toMatchObject({ version: (await buildPublication(tableWith(['b.example.com']))).version });
  });

  it('reads back the routes in force (the mass-removal baseline)', async () => {
    const kvPublisher = publisher();
    expect(await kvPublisher.stored.routesInForce()).toBeUndefined();
    await kvPublisher.publish(tableWith(['shop.example.com', 'blog.example.com'], 8080));
    const routes = await publisher().stored.routesInForce();
    expect(routes?.routers.map((router) => router.host).sort()).toEqual(['blog.example.com', 'shop.example.com']);
    expect(routes?.defaultRouter).toBeDefined();
  });
});

describe('KvNamespaceApi', () => {
  it('splits bulk writes at 10,000 pairs and reads 100 keys per request', async () => {
    const kv = connect(api, clock).namespace(NAMESPACE);
    const pairs = Array.from({ length: 10_001 }, (_, i) => ({ key: `k/${String(i).padStart(5, '0')}`, value: String(i) }));
    await kv.putMany(pairs);
    expect(bulkWrites().map((request) => request.keys?.length)).toEqual([10_000, 1]);
    const read = await kv.getMany(pairs.slice(0, 250).map((pair) => pair.key));
    expect(read.size).toBe(250);
    expect(api.requests.filter((request) => request.path.endsWith('/bulk/get'))).toHaveLength(3);
  });

  it('lists keys across pages', async () => {
    await api.close();
    api = await startStandIn({ pageSize: 3 });
    const kv = connect(api, clock).namespace(NAMESPACE);
    await kv.putMany(Array.from({ length: 7 }, (_, i) => ({ key: `edgress/shard/${i}`, value: 'x', metadata: { writtenAt: i } })));
    const listed = await kv.list('edgress/');
    expect(listed.map((key) => key.name)).toHaveLength(7);
    expect(listed[6]).toEqual({ name: 'edgress/shard/6', metadata: { writtenAt: 6 } });
    expect(api.requests.filter((request) => request.path.endsWith('/keys'))).toHaveLength(3);
  });
});

describe('DryRunPublisher over Workers KV', () => {
  it('prints the values and pointer it would write, and writes nothing', async () => {
    const kv = publisher();
    const inForce = await kv.publish(tableWith(['a.example.com']));
    const before = new Map(api.values(NAMESPACE));
    const mark = api.requests.length;
    const lines: string[] = [];
    const dryRun = new DryRunPublisher((table) => kv.preview(table), (line) => lines.push(line));
    const outcome = await dryRun.publish(tableWith(['a.example.com', 'b.example.com']));
    expect(outcome).toMatchObject({ changed: true, valuesWritten: 0 });
    expect(outcome.version).not.toBe(inForce.version);
    expect(lines.join('\n')).toContain(`edgress/current → version ${outcome.version} (2 routes; in force now: ${inForce.version})`);
    expect(api.values(NAMESPACE)).toEqual(before);
    const writes = api.requests.slice(mark).filter((request) => request.method === 'PUT' || request.method === 'DELETE' || request.path.endsWith('/bulk/delete'));
    expect(writes).toEqual([]);
    const same = await dryRun.publish(tableWith(['a.example.com']));
    expect(same).toMatchObject({ changed: false, version: inForce.version });
    expect(lines.at(-1)).toContain('kv unchanged');
  });
});
