/**
 * One Workers KV namespace through the official `cloudflare` client, with
 * the platform's limits built in: writes go in bulk (≤ 10,000 pairs and well
 * under 100 MB per request), keys a bulk write reports as unsuccessful are
 * written again, no key is written twice within KV's one-write-per-second,
 * reads of several keys go 100 at a time, and every request passes the
 * {@link RequestGate} (budget, retries).
 *
 * @example
 * ```ts
 * const kv = new KvNamespaceApi(client, { accountId, namespaceId }, gate, clock);
 * await kv.putMany([{ key: 'edgress/shard/…', value: json }]);
 * const pointer = await kv.get('edgress/current');
 * ```
 */
import type Cloudflare from 'cloudflare';
import type { Clock } from '../../common/clock.ts';
import { CLOUDFLARE_LIMITS } from './limits.ts';
import type { RequestGate } from './request-gate.ts';

export interface KvPair {
  readonly key: string;
  readonly value: string;
  readonly metadata?: unknown;
}

export interface ListedKey {
  readonly name: string;
  readonly metadata?: unknown;
}

export interface NamespaceRef {
  readonly accountId: string;
  readonly namespaceId: string;
}

/** Rounds of re-writing keys a bulk write reported as unsuccessful before giving up. */
const UNSUCCESSFUL_KEY_ROUNDS = 4;

export class KvNamespaceApi {
  readonly #client: Cloudflare;
  readonly #ref: NamespaceRef;
  readonly #gate: RequestGate;
  readonly #clock: Clock;
  /** When each key was last written by this process, for KV's per-key write rate. */
  readonly #lastWrite = new Map<string, number>();

  constructor(client: Cloudflare, ref: NamespaceRef, gate: RequestGate, clock: Clock) {
    this.#client = client;
    this.#ref = ref;
    this.#gate = gate;
    this.#clock = clock;
  }

  get namespaceId(): string {
    return this.#ref.namespaceId;
  }

  /** The value of `key`, or null when there is none. */
  async get(key: string): Promise<string | null> {
    const values = await this.getMany([key]);
    return values.get(key) ?? null;
  }

  /** Values by key; absent keys are left out. */
  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const chunk of chunks(keys, CLOUDFLARE_LIMITS.bulkGetKeys)) {
      const result = await this.#gate.call(`read ${chunk.length} KV values`, () =>
        this.#client.kv.namespaces.bulkGet(this.#ref.namespaceId, { account_id: this.#ref.accountId, keys: chunk, type: 'text' }),
      );
      for (const [key, value] of Object.entries(result?.values ?? {})) if (typeof value === 'string') found.set(key, value);
    }
    return found;
  }

  /** Writes every pair, in as few requests as the limits allow; throws unless every key was written. */
  async putMany(pairs: readonly KvPair[]): Promise<void> {
    let pending = [...pairs];
    for (let round = 0; pending.length > 0; round++) {
      if (round > UNSUCCESSFUL_KEY_ROUNDS) throw new Error(`KV did not write ${pending.length} keys: ${pending.slice(0, 3).map((pair) => pair.key).join(', ')}`);
      const failed: KvPair[] = [];
      for (const batch of writeBatches(pending)) failed.push(...(await this.#putBatch(batch)));
      pending = failed;
    }
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    for (const chunk of chunks(keys, CLOUDFLARE_LIMITS.bulkDeleteKeys)) {
      await this.#gate.call(`delete ${chunk.length} KV keys`, () => this.#client.kv.namespaces.bulkDelete(this.#ref.namespaceId, { account_id: this.#ref.accountId, body: chunk }));
    }
  }

  /** Every key under `prefix`, with its metadata (one request per page of 1000). */
  async list(prefix: string): Promise<ListedKey[]> {
    const keys: ListedKey[] = [];
    let page = await this.#gate.call('list KV keys', () => this.#client.kv.namespaces.keys.list(this.#ref.namespaceId, { account_id: this.#ref.accountId, prefix }));
    for (;;) {
      for (const key of page.getPaginatedItems()) keys.push({ name: key.name, ...(key.metadata !== undefined ? { metadata: key.metadata } : {}) });
      if (!page.hasNextPage()) return keys;
      const current = page;
      page = await this.#gate.call('list KV keys', () => current.getNextPage());
    }
  }

  /** One bulk request; resolves with the pairs KV reported as not written. */
  async #putBatch(batch: readonly KvPair[]): Promise<KvPair[]> {
    await this.#paceWrites(batch);
    const body = batch.map((pair) => ({ key: pair.key, value: pair.value, ...(pair.metadata !== undefined ? { metadata: pair.metadata } : {}) }));
    const result = await this.#gate.call(`write ${batch.length} KV values`, () => this.#client.kv.namespaces.bulkUpdate(this.#ref.namespaceId, { account_id: this.#ref.accountId, body }));
    const now = this.#clock.now();
    for (const pair of batch) this.#lastWrite.set(pair.key, now);
    const unsuccessful = new Set(result?.unsuccessful_keys ?? []);
    return batch.filter((pair) => unsuccessful.has(pair.key));
  }

  /** Waits until no key of the batch was written less than `keyWriteIntervalMs` ago. */
  async #paceWrites(batch: readonly KvPair[]): Promise<void> {
    const now = this.#clock.now();
    const interval = CLOUDFLARE_LIMITS.keyWriteIntervalMs;
    for (const [key, at] of this.#lastWrite) if (now - at >= interval) this.#lastWrite.delete(key);
    const latest = Math.max(...batch.map((pair) => this.#lastWrite.get(pair.key) ?? -Infinity));
    if (Number.isFinite(latest)) await this.#clock.sleep(latest + interval - now);
  }
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Pairs grouped into requests within the pair-count and byte limits, order kept. */
function* writeBatches(pairs: readonly KvPair[]): Generator<KvPair[]> {
  let batch: KvPair[] = [];
  let bytes = 0;
  for (const pair of pairs) {
    const size = Buffer.byteLength(JSON.stringify(pair)) + 1;
    if (batch.length > 0 && (batch.length >= CLOUDFLARE_LIMITS.bulkWritePairs || bytes + size > CLOUDFLARE_LIMITS.bulkWriteBytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(pair);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
