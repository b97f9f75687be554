/**
 * Publishes to Workers KV through the Cloudflare API (`edgress sync
 * --kv-namespace-id`). One publish:
 *
 * 1. reads the pointer in force and the history (one request); a table
 *    already in force is not written again;
 * 2. writes the content-addressed values of the publication, exactly as
 *    built (the worker checks each against its hash), in bulk, except those
 *    a retained version already names (they are stored and stay);
 * 3. writes the history with the new version first, then the pointer, each
 *    only once everything before it succeeded.
 * A failure at any step throws and leaves the pointer, so the worker keeps a
 * complete table. Afterwards, at most every `gcIntervalMs`, values no
 * retained version names are deleted (`./gc.ts`); a GC failure is logged,
 * never a publish failure.
 *
 * The publication comes from one `PublicationBuilder` kept for the life of
 * the publisher, so a publish encodes and hashes only the shards whose
 * routers, services or middlewares changed (by identity, as the incremental
 * compiler hands them over), and the first build keeps the bucket count of
 * the table in force so unchanged shards keep their keys.
 *
 * @example
 * ```ts
 * const publisher = new CloudflareKvPublisher({ kv, clock: systemClock, log });
 * await publisher.publish(table);
 * ```
 */
import { POINTER_KEY, type Pointer } from '../../../src/storage/layout.ts';
import { PublicationBuilder } from '../../../src/storage/publication-builder.ts';
import type { Publication } from '../../../src/storage/publication.ts';
import type { Table } from '../../../src/table/schema.ts';
import type { Clock } from '../../common/clock.ts';
import { silentLogger, type Logger } from '../../common/log.ts';
import type { PublishOutcome, Publisher } from '../publisher.ts';
import type { PublishPreview } from '../dry-run-publisher.ts';
import { collectGarbage, liveKeys, parsePointer, type ValueMetadata } from './gc.ts';
import { HISTORY_KEY, pruned, recordInForce, RETENTION_DEFAULTS, serializeHistory, type History, type Retention } from './history.ts';
import type { KvNamespaceApi } from './kv-api.ts';
import { describeApiError } from './request-gate.ts';
import { StoredVersions } from './stored-versions.ts';

/** Garbage is collected at most this often (each collection lists the namespace's keys). */
export const GC_INTERVAL_MS = 10 * 60_000;

export interface CloudflareKvPublisherOptions {
  readonly kv: KvNamespaceApi;
  readonly clock: Clock;
  readonly log?: Logger;
  /** Tables kept for `edgress rollback` (`--keep-tables`). */
  readonly keep?: number;
  /** How long a superseded table's values stay (`--gc-grace`). */
  readonly graceMs?: number;
  readonly gcIntervalMs?: number;
}

export class CloudflareKvPublisher implements Publisher {
  readonly stored: StoredVersions;
  readonly #options: CloudflareKvPublisherOptions;
  readonly #log: Logger;
  #lastGc = Number.NEGATIVE_INFINITY;
  /** Made at the first publish, from the bucket count in force then. */
  #builder: PublicationBuilder | undefined;

  constructor(options: CloudflareKvPublisherOptions) {
    this.#options = options;
    this.#log = options.log ?? silentLogger;
    this.stored = new StoredVersions(options.kv);
  }

  async publish(table: Table): Promise<PublishOutcome> {
    const { kv, clock } = this.#options;
    const { pointer: inForce, history } = await this.stored.head();
    const publication = await this.#build(table, inForce);
    if (inForce?.version === publication.version) {
      await this.#collectGarbage(history, inForce);
      return { version: publication.version, changed: false, valuesWritten: 0 };
    }
    const retention = this.#retention();
    const stored = await liveKeys({ stored: this.stored, history, inForce, retention });
    // When what is stored cannot be known, every value is written again: harmless, they are content-addressed.
    const present = typeof stored === 'string' ? new Set<string>() : stored;
    const metadata: ValueMetadata = { writtenAt: retention.now };
    const pairs = [...publication.values].filter(([key]) => !present.has(key)).map(([key, value]) => ({ key, value, metadata }));
    await kv.putMany(pairs);
    for (const [key, value] of publication.values) this.stored.remember(key, value);
    const next = pruned(recordInForce(history, { version: publication.version, pointer: publication.pointer, routes: table.routers.length }, clock.now()), retention);
    await kv.putMany([{ key: HISTORY_KEY, value: serializeHistory(next) }]);
    await kv.putMany([{ key: POINTER_KEY, value: publication.pointer }]);
    this.#log.info('kv-published', { namespace: kv.namespaceId, version: publication.version, valuesWritten: pairs.length, valuesKept: publication.values.size - pairs.length });
    await this.#collectGarbage(next, parsePointer(publication.pointer));
    return { version: publication.version, changed: true, valuesWritten: pairs.length + 2 };
  }

  /** What {@link publish} would write, read-only (`--dry-run`). */
  async preview(table: Table): Promise<PublishPreview> {
    const { pointer: inForce } = await this.stored.head();
    const publication = await this.#build(table, inForce);
    const namespace = this.#options.kv.namespaceId;
    if (inForce?.version === publication.version) return { version: publication.version, changed: false, lines: [`kv unchanged: version ${publication.version} is in force (namespace ${namespace})`] };
    return {
      version: publication.version,
      changed: true,
      lines: [
        `kv write up to ${publication.values.size} content-addressed values (those stored already are skipped) (namespace ${namespace})`,
        `kv write ${HISTORY_KEY}, then ${POINTER_KEY} → version ${publication.version} (${table.routers.length} routes; in force now: ${inForce?.version ?? 'none'})`,
      ],
    };
  }

  /** Shards encoded (hashed) by the last publish or preview. */
  get shardsEncoded(): number {
    return this.#builder?.encoded ?? 0;
  }

  async #build(table: Table, inForce: Pointer | undefined): Promise<Publication> {
    if (!this.#builder) {
      const previous = inForce ? (await this.stored.manifests([inForce.manifest])).get(inForce.manifest) : undefined;
      this.#builder = new PublicationBuilder({ previousBucketCount: previous?.buckets.length });
    }
    return this.#builder.build(table);
  }

  #retention(): Retention {
    return { keep: this.#options.keep ?? RETENTION_DEFAULTS.keep, graceMs: this.#options.graceMs ?? RETENTION_DEFAULTS.graceMs, now: this.#options.clock.now() };
  }

  async #collectGarbage(history: History, inForce: Pointer | undefined): Promise<void> {
    const now = this.#options.clock.now();
    if (now - this.#lastGc < (this.#options.gcIntervalMs ?? GC_INTERVAL_MS)) return;
    this.#lastGc = now;
    try {
      const outcome = await collectGarbage({ kv: this.#options.kv, stored: this.stored, history, inForce, retention: this.#retention() });
      if ('skipped' in outcome) this.#log.warn('gc-skipped', { reason: outcome.skipped, hint: 'nothing was deleted' });
      else this.#log.info('gc', { deleted: outcome.deleted.length, live: outcome.live });
    } catch (error) {
      this.#log.warn('gc-failed', { error: describeApiError(error), hint: 'old values stay until the next collection' });
    }
  }
}
