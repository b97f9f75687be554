/**
 * The Publisher contract, run against every implementation: the JSON file
 * (`--out`), a KV binding (`edgress dev`'s Miniflare KV), Workers KV through
 * the Cloudflare API (its stand-in), and the dry run in front of it. The
 * same tables go in; what a reader of that storage then loads (the file
 * parsed, or the pointer, manifest and shards decoded as the worker reads
 * them) must serve the same hosts with the same servers, a republished table
 * writes nothing, and a failing storage rejects the publish with an Error
 * while the table in force stays loadable.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkManifest, checkPointer, POINTER_KEY } from '../../src/storage/layout.ts';
import type { Table } from '../../src/table/schema.ts';
import { decodeShard } from '../../src/storage/wire.ts';
import { CloudflareKvPublisher } from '../../sync/publish/cloudflare/kv-api-publisher.ts';
import { DryRunPublisher } from '../../sync/publish/dry-run-publisher.ts';
import { FilePublisher } from '../../sync/publish/file-publisher.ts';
import { KvBindingPublisher } from '../../sync/publish/kv-binding-publisher.ts';
import type { Publisher } from '../../sync/publish/publisher.ts';
import { hosts, servers } from '../agent/harness.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, InstantClock, NAMESPACE, startStandIn, tableWith } from './helpers.ts';

/** One implementation under test: the publisher, what a reader loads from its storage, and how to make the storage fail. */
interface Target {
  readonly publisher: Publisher;
  /** The table a reader loads now; undefined when nothing is published. */
  load(): Promise<Table | undefined>;
  /** From now on, every write fails. */
  breakStorage(): void;
  /** Whether publishing stores anything (the dry run does not). */
  readonly writes: boolean;
  close(): Promise<void>;
}

/** The table the worker would load from key-value storage: every shard the manifest in force names, merged. */
function loadKv(values: ReadonlyMap<string, string>): Table | undefined {
  const pointer = checkPointer(JSON.parse(values.get(POINTER_KEY) ?? 'null'));
  if (!pointer) return undefined;
  const manifest = checkManifest(JSON.parse(values.get(pointer.manifest) ?? 'null'));
  if (!manifest) throw new Error(`the manifest ${pointer.manifest} is missing`);
  const table: Table = { schema: 1, routers: [], middlewares: {}, services: {} };
  for (const key of [...manifest.buckets, manifest.anyHost]) {
    if (key === null) continue;
    const shard = decodeShard(JSON.parse(values.get(key) ?? 'null'));
    if (!shard) throw new Error(`the shard ${key} is missing`);
    // Service ids are numbered per shard: qualify them so shards merge into one table.
    for (const router of shard.routers) table.routers.push({ ...router, service: `${key}/${router.service}` });
    for (const [id, service] of Object.entries(shard.services)) table.services[`${key}/${id}`] = service;
  }
  return table;
}

async function fileTarget(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), 'edgress-contract-'));
  let path = join(dir, 'table.json');
  let publisher = new FilePublisher(path);
  return {
    get publisher() {
      return publisher;
    },
    load: async () => {
      const text = await readFile(join(dir, 'table.json'), 'utf8').catch(() => undefined);
      return text === undefined ? undefined : (JSON.parse(text) as Table);
    },
    breakStorage: () => {
      path = join(dir, 'missing', 'table.json');
      publisher = new FilePublisher(path);
    },
    writes: true,
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

function kvBindingTarget(): Target {
  const values = new Map<string, string>();
  let broken = false;
  const kv = {
    put: async (key: string, value: string) => {
      if (broken) throw new Error(`KV put ${key} failed`);
      values.set(key, value);
    },
  };
  return { publisher: new KvBindingPublisher(kv), load: async () => loadKv(values), breakStorage: () => (broken = true), writes: true, close: async () => {} };
}

async function cloudflareTarget(): Promise<Target & { readonly standIn: CloudflareApiStandIn }> {
  const standIn = await startStandIn();
  const clock = new InstantClock();
  return {
    standIn,
    publisher: new CloudflareKvPublisher({ kv: connect(standIn, clock).namespace(NAMESPACE), clock }),
    load: async () => loadKv(standIn.values(NAMESPACE)),
    breakStorage: () => standIn.fail({ method: 'PUT', path: /\/bulk$/, status: 500 }),
    writes: true,
    close: () => standIn.close(),
  };
}

async function dryRunTarget(): Promise<Target> {
  const real = await cloudflareTarget();
  const lines: string[] = [];
  const inner = real.publisher as CloudflareKvPublisher;
  return { ...real, publisher: new DryRunPublisher((table) => inner.preview(table), (line) => lines.push(line)), writes: false };
}

const TARGETS: readonly (readonly [string, () => Promise<Target> | Target])[] = [
  ['file (--out)', fileTarget],
  ['KV binding (edgress dev)', kvBindingTarget],
  ['Workers KV through the Cloudflare API', cloudflareTarget],
  ['dry run (--dry-run)', dryRunTarget],
];

const FIRST = tableWith(['shop.example.com', 'blog.example.com'], 8080);
const SECOND = tableWith(['shop.example.com', 'docs.example.com']);

/** What a user observes of a table: the hosts served and each one's servers. */
const served = (table: Table | undefined) => ({ hosts: hosts(table), servers: servers(table) });

describe.each(TARGETS)('Publisher contract: %s', (_name, make) => {
  let target: Target;
  beforeEach(async () => {
    target = await make();
  });
  afterEach(() => target.close());

  it('a published table is what a reader loads; a new one replaces it', async () => {
    const first = await target.publisher.publish(FIRST);
    expect(first).toMatchObject({ changed: true });
    expect(first.version).toMatch(/\S/);
    if (!target.writes) {
      expect(first.valuesWritten).toBe(0);
      expect(await target.load()).toBeUndefined();
      return;
    }
    expect(first.valuesWritten).toBeGreaterThan(0);
    expect(served(await target.load())).toEqual(served(FIRST));
    const second = await target.publisher.publish(SECOND);
    expect(second).toMatchObject({ changed: true });
    expect(second.version).not.toBe(first.version);
    expect(served(await target.load())).toEqual(served(SECOND));
  });

  it('publishing the table in force again writes nothing and keeps its version', async () => {
    const first = await target.publisher.publish(FIRST);
    if (!target.writes) return;
    // An equal table, not the same object: publishers compare content.
    const again = await target.publisher.publish(structuredClone(FIRST));
    expect(again).toEqual({ version: first.version, changed: false, valuesWritten: 0 });
    expect(served(await target.load())).toEqual(served(FIRST));
  });

  it('a failing storage rejects the publish with an Error, and the table in force stays loadable', async () => {
    await target.publisher.publish(FIRST);
    const before = served(await target.load());
    target.breakStorage();
    if (!target.writes) {
      // The dry run reads only; it still answers.
      await expect(target.publisher.publish(SECOND)).resolves.toMatchObject({ valuesWritten: 0 });
      return;
    }
    await expect(target.publisher.publish(SECOND)).rejects.toBeInstanceOf(Error);
    expect(served(await target.load())).toEqual(before);
  });
});
