/**
 * Garbage collection and rollback against the stand-in: the last N tables and
 * those replaced within the grace period stay whole, older values go, nothing
 * goes when what is retained cannot be read, and a rollback only ever points
 * the worker at a complete table.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_PREFIX, POINTER_KEY, SHARD_PREFIX } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import { HISTORY_KEY, parseHistory } from '../../sync/publish/cloudflare/history.ts';
import { CloudflareKvPublisher } from '../../sync/publish/cloudflare/kv-api-publisher.ts';
import { listVersions, rollBack, RollbackError } from '../../sync/publish/cloudflare/rollback.ts';
import { StoredVersions } from '../../sync/publish/cloudflare/stored-versions.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, expectComplete, InstantClock, NAMESPACE, startStandIn, tableWith } from './helpers.ts';

let api: CloudflareApiStandIn;
let clock: InstantClock;

beforeEach(async () => {
  api = await startStandIn();
  clock = new InstantClock();
});
afterEach(() => api.close());

const MINUTE = 60_000;
const kv = () => connect(api, clock).namespace(NAMESPACE);
/** A publisher that collects garbage after every publish. */
const publisher = (keep: number, graceMs: number) => new CloudflareKvPublisher({ kv: kv(), clock, keep, graceMs, gcIntervalMs: 0 });
const tables = [8081, 8082, 8083, 8084].map((port) => tableWith(['shop.example.com'], port));
const layoutKeys = () => [...api.values(NAMESPACE).keys()].filter((key) => key.startsWith(SHARD_PREFIX) || key.startsWith(MANIFEST_PREFIX)).sort();

async function keysOf(index: number): Promise<string[]> {
  return [...(await buildPublication(tables[index]!)).values.keys()];
}

async function publishAll(keep: number, graceMs: number): Promise<void> {
  for (const table of tables) {
    await publisher(keep, graceMs).publish(table);
    clock.advance(10 * MINUTE);
  }
}

describe('garbage collection', () => {
  it('keeps the last N tables whole and deletes the values only older ones named', async () => {
    await publishAll(2, 5 * MINUTE);
    const kept = [...new Set([...(await keysOf(2)), ...(await keysOf(3))])].sort();
    expect(layoutKeys()).toEqual(kept);
    await expectComplete(api.values(NAMESPACE));
    expect(parseHistory(api.values(NAMESPACE).get(HISTORY_KEY)).entries.map((entry) => entry.routes)).toHaveLength(2);
  });

  it('keeps every table replaced less than the grace period ago', async () => {
    await publishAll(1, 60 * MINUTE);
    const all = new Set<string>();
    for (let i = 0; i < tables.length; i++) for (const key of await keysOf(i)) all.add(key);
    expect(layoutKeys()).toEqual([...all].sort());
  });

  it('deletes nothing when a retained manifest cannot be read', async () => {
    await publisher(4, 0).publish(tables[0]!);
    api.namespace(NAMESPACE).set('edgress/shard/orphan', { value: '{}', writtenAt: 0 });
    api.namespace(NAMESPACE).delete((await keysOf(0)).find((key) => key.startsWith(MANIFEST_PREFIX))!);
    clock.advance(10 * MINUTE);
    await publisher(4, 0).publish(tables[1]!);
    expect(api.values(NAMESPACE).has('edgress/shard/orphan')).toBe(true);
  });

  it('never deletes a value written within the grace period, even if nothing names it yet', async () => {
    await publisher(1, 5 * MINUTE).publish(tables[0]!);
    api.namespace(NAMESPACE).set('edgress/shard/in-flight', { value: '{}', metadata: { writtenAt: clock.now() }, writtenAt: Date.now() });
    clock.advance(MINUTE);
    await publisher(1, 5 * MINUTE).publish(tables[1]!);
    expect(api.values(NAMESPACE).has('edgress/shard/in-flight')).toBe(true);
  });

  it('writes a table again in full when it comes back after its values were collected', async () => {
    await publishAll(1, MINUTE);
    const latest = await keysOf(3);
    const own = (await keysOf(0)).filter((key) => !latest.includes(key));
    expect(own).toHaveLength(2);
    expect(layoutKeys().filter((key) => own.includes(key))).toEqual([]);
    await publisher(1, MINUTE).publish(tables[0]!);
    expect((await expectComplete(api.values(NAMESPACE))).version).toBe((await buildPublication(tables[0]!)).version);
  });
});

describe('rollback', () => {
  it('lists the kept tables and puts the previous one back, pointer value as published', async () => {
    await publishAll(3, MINUTE);
    const stored = new StoredVersions(kv());
    const listing = await listVersions(stored);
    expect(listing.entries.map((entry) => entry.version)).toEqual(await Promise.all([3, 2, 1].map(async (i) => (await buildPublication(tables[i]!)).version)));
    expect(listing.inForce?.version).toBe(listing.entries[0]?.version);
    const result = await rollBack(kv(), stored, { now: clock.now() });
    const previous = await buildPublication(tables[2]!);
    expect(result.to.version).toBe(previous.version);
    expect(api.values(NAMESPACE).get(POINTER_KEY)).toBe(previous.pointer);
    await expectComplete(api.values(NAMESPACE));
    const history = parseHistory(api.values(NAMESPACE).get(HISTORY_KEY));
    expect(history.entries[0]).toMatchObject({ version: previous.version, rolledBack: true });
    expect(history.entries[1]?.supersededAt).toBe(clock.now());
  });

  it('rolls back to a version named by a prefix, and refuses unknown, ambiguous or current ones', async () => {
    await publishAll(4, MINUTE);
    const stored = new StoredVersions(kv());
    const first = (await buildPublication(tables[0]!)).version;
    expect((await rollBack(kv(), stored, { to: first.slice(0, 8), now: clock.now() })).to.version).toBe(first);
    await expect(rollBack(kv(), stored, { to: first, now: clock.now() })).rejects.toThrow(/already in force/);
    await expect(rollBack(kv(), stored, { to: 'zzz', now: clock.now() })).rejects.toThrow(/no retained table/);
    await expect(rollBack(kv(), stored, { to: '', now: clock.now() })).rejects.toThrow(/ambiguous/);
  });

  it('refuses a table with a missing value, leaving the pointer', async () => {
    await publishAll(2, MINUTE);
    const inForce = api.values(NAMESPACE).get(POINTER_KEY);
    const inForceKeys = await keysOf(3);
    const previousShard = (await keysOf(2)).find((key) => key.startsWith(SHARD_PREFIX) && !inForceKeys.includes(key));
    api.namespace(NAMESPACE).set(previousShard!, { value: '{"tampered":true}', writtenAt: 0 });
    const error = await rollBack(kv(), new StoredVersions(kv()), { now: clock.now() }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RollbackError);
    expect((error as RollbackError).choice).toBe(false);
    expect(api.values(NAMESPACE).get(POINTER_KEY)).toBe(inForce);
  });
});
