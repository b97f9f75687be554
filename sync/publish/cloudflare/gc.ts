/**
 * Garbage collection of content-addressed values: a manifest or shard is
 * deleted only when no retained version (`./history.ts`) and not the
 * pointer in force names it, and it was written more than the grace period
 * ago (a publish in flight elsewhere has not named its values yet). When any
 * retained manifest cannot be read, nothing is deleted: what is not proven
 * unreferenced stays. Keys outside the table's layout are never touched.
 *
 * @example
 * ```ts
 * const outcome = await collectGarbage({ kv, stored, history, inForce: pointer, retention });
 * ```
 */
import { checkPointer, MANIFEST_PREFIX, SHARD_PREFIX, type Pointer } from '../../../src/storage/layout.ts';
import { retainedEntries, type History, type Retention } from './history.ts';
import type { KvNamespaceApi } from './kv-api.ts';
import { shardKeys, type StoredVersions } from './stored-versions.ts';

/** The metadata the publisher stores with every value it writes. */
export interface ValueMetadata {
  /** When the value was written (ms since the epoch). */
  readonly writtenAt: number;
}

export interface GcInput {
  readonly kv: KvNamespaceApi;
  readonly stored: StoredVersions;
  readonly history: History;
  readonly inForce: Pointer | undefined;
  readonly retention: Retention;
}

export type GcOutcome = { readonly deleted: readonly string[]; readonly live: number } | { readonly skipped: string };

export async function collectGarbage(input: GcInput): Promise<GcOutcome> {
  const live = await liveKeys(input);
  if (typeof live === 'string') return { skipped: live };
  const listed = await input.kv.list('edgress/');
  const { now, graceMs } = input.retention;
  const deleted = listed
    .filter(({ name }) => name.startsWith(MANIFEST_PREFIX) || name.startsWith(SHARD_PREFIX))
    .filter(({ name, metadata }) => !live.has(name) && now - writtenAt(metadata) >= graceMs)
    .map(({ name }) => name);
  if (deleted.length > 0) await input.kv.deleteMany(deleted);
  return { deleted, live: live.size };
}

/** Every key a retained version or the pointer in force names; a string says why it cannot be known. */
export async function liveKeys(input: Omit<GcInput, 'kv'>): Promise<Set<string> | string> {
  const pointers = retainedEntries(input.history, input.retention).map((entry) => parsePointer(entry.pointer));
  if (pointers.some((pointer) => pointer === undefined)) return 'a history entry holds an invalid pointer';
  const manifestKeys = [...new Set([...pointers, input.inForce].flatMap((pointer) => (pointer ? [pointer.manifest] : [])))];
  const manifests = await input.stored.manifests(manifestKeys);
  const unreadable = manifestKeys.find((key) => !manifests.has(key));
  if (unreadable !== undefined) return `manifest ${unreadable} of a retained version cannot be read`;
  const live = new Set(manifestKeys);
  for (const manifest of manifests.values()) for (const key of shardKeys(manifest)) live.add(key);
  return live;
}

export function parsePointer(text: string): Pointer | undefined {
  try {
    return checkPointer(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function writtenAt(metadata: unknown): number {
  const value = typeof metadata === 'object' && metadata !== null ? (metadata as Partial<ValueMetadata>).writtenAt : undefined;
  // A value without our metadata was not written by a publisher: its age is unknown, so only references protect it.
  return typeof value === 'number' ? value : Number.NEGATIVE_INFINITY;
}
