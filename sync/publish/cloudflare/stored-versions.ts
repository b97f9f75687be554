/**
 * Reading published tables back from Workers KV: the pointer and history in
 * one request, manifests (remembered once read or written: they never
 * change), and whole versions, every value checked against its content hash
 * as the worker checks it.
 *
 * @example
 * ```ts
 * const stored = new StoredVersions(kv);
 * const { pointer, history } = await stored.head();
 * const check = pointer && (await stored.check(pointer.manifest));
 * ```
 */
import { checkManifest, checkPointer, contentHash, MANIFEST_PREFIX, POINTER_KEY, SHARD_PREFIX, type Manifest, type Pointer } from '../../../src/storage/layout.ts';
import { TABLE_SCHEMA_VERSION, type Table } from '../../../src/table/schema.ts';
import { decodeShard } from '../../../src/storage/wire.ts';
import { HISTORY_KEY, parseHistory, type History } from './history.ts';
import type { KvNamespaceApi } from './kv-api.ts';

export interface Head {
  readonly pointer: Pointer | undefined;
  readonly history: History;
}

/** A version as stored: its manifest and shard values, and what is missing or does not match its hash. */
export interface VersionCheck {
  readonly manifest: Manifest | undefined;
  readonly shards: ReadonlyMap<string, string>;
  /** Keys that are absent or whose value does not match the key's hash. */
  readonly broken: readonly string[];
}

export class StoredVersions {
  readonly #kv: KvNamespaceApi;
  readonly #manifests = new Map<string, Manifest>();

  constructor(kv: KvNamespaceApi) {
    this.#kv = kv;
  }

  /** The pointer in force and the history, in one request. */
  async head(): Promise<Head> {
    const values = await this.#kv.getMany([POINTER_KEY, HISTORY_KEY]);
    const text = values.get(POINTER_KEY);
    return { pointer: text === undefined ? undefined : checkPointer(parseJson(text)), history: parseHistory(values.get(HISTORY_KEY)) };
  }

  /** Remembers a manifest this process wrote. */
  remember(key: string, json: string): void {
    const manifest = checkManifest(parseJson(json));
    if (manifest) this.#manifests.set(key, manifest);
  }

  /** Manifests by key, read when not remembered; a missing or invalid one is left out. */
  async manifests(keys: readonly string[]): Promise<Map<string, Manifest>> {
    const unknown = [...new Set(keys)].filter((key) => !this.#manifests.has(key));
    if (unknown.length > 0) {
      for (const [key, value] of await this.#kv.getMany(unknown)) {
        if (await matchesHash(key, value)) this.remember(key, value);
      }
    }
    const found = new Map<string, Manifest>();
    for (const key of keys) {
      const manifest = this.#manifests.get(key);
      if (manifest) found.set(key, manifest);
    }
    return found;
  }

  /** Reads a whole version and checks every value against its content hash. */
  async check(manifestKey: string): Promise<VersionCheck> {
    const manifest = (await this.manifests([manifestKey])).get(manifestKey);
    if (!manifest) return { manifest: undefined, shards: new Map(), broken: [manifestKey] };
    const keys = shardKeys(manifest);
    const values = await this.#kv.getMany(keys);
    const shards = new Map<string, string>();
    const broken: string[] = [];
    for (const key of keys) {
      const value = values.get(key);
      if (value !== undefined && (await matchesHash(key, value))) shards.set(key, value);
      else broken.push(key);
    }
    return { manifest, shards, broken };
  }

  /**
   * The routes of the version in force, as a table of routers only (the
   * baseline of the mass-removal guard, which compares routes); undefined
   * when nothing is published. Throws when the version cannot be read whole.
   */
  async routesInForce(): Promise<Table | undefined> {
    const { pointer } = await this.head();
    if (!pointer) return undefined;
    const version = await this.check(pointer.manifest);
    if (version.broken.length > 0) throw new Error(`the table in force (${pointer.version}) is incomplete: ${version.broken.length} values missing or damaged`);
    const table: Table = { schema: TABLE_SCHEMA_VERSION, routers: [], middlewares: {}, services: {} };
    for (const value of version.shards.values()) {
      const shard = decodeShard(parseJson(value));
      if (!shard) throw new Error(`the table in force (${pointer.version}) has a shard that is not valid`);
      table.routers.push(...shard.routers);
      if (shard.defaultRouter) table.defaultRouter = shard.defaultRouter;
    }
    return table;
  }
}

/** Every shard key a manifest names. */
export function shardKeys(manifest: Manifest): string[] {
  const keys = manifest.buckets.filter((key): key is string => key !== null);
  if (manifest.anyHost) keys.push(manifest.anyHost);
  return [...new Set(keys)];
}

/** Whether a content-addressed value matches the hash in its key (other keys always do). */
export async function matchesHash(key: string, value: string): Promise<boolean> {
  const prefix = [MANIFEST_PREFIX, SHARD_PREFIX].find((candidate) => key.startsWith(candidate));
  return prefix === undefined || key.slice(prefix.length) === (await contentHash(value));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
