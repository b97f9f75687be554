/**
 * `edgress rollback`: the retained tables (`./history.ts`) and putting one of
 * them back in force. A rollback writes the history, then the stored pointer
 * value of the chosen version, and only after checking that every value of
 * that version is stored and matches its hash, so it never points the worker
 * at an incomplete table.
 *
 * @example
 * ```ts
 * const { entries } = await listVersions(stored);
 * await rollBack(kv, stored, { to: entries[1]?.version, now: Date.now() });
 * ```
 */
import { POINTER_KEY, type Pointer } from '../../../src/storage/layout.ts';
import { HISTORY_KEY, recordInForce, serializeHistory, type HistoryEntry } from './history.ts';
import type { KvNamespaceApi } from './kv-api.ts';
import type { StoredVersions } from './stored-versions.ts';

export interface Listing {
  readonly inForce: Pointer | undefined;
  readonly entries: readonly HistoryEntry[];
}

/** A rollback that cannot be done; `choice` when the version asked for is the problem (not the stored values). */
export class RollbackError extends Error {
  override readonly name = 'RollbackError';
  readonly choice: boolean;

  constructor(message: string, { choice = true }: { choice?: boolean } = {}) {
    super(message);
    this.choice = choice;
  }
}

export async function listVersions(stored: StoredVersions): Promise<Listing> {
  const { pointer, history } = await stored.head();
  return { inForce: pointer, entries: history.entries };
}

export interface RollbackRequest {
  /** A version or an unambiguous prefix of one; default: the newest version not in force. */
  readonly to?: string;
  readonly now: number;
}

export interface RollbackResult {
  readonly from: string | undefined;
  readonly to: HistoryEntry;
}

export async function rollBack(kv: KvNamespaceApi, stored: StoredVersions, request: RollbackRequest): Promise<RollbackResult> {
  const { pointer, history } = await stored.head();
  const target = chooseTarget(history.entries, pointer, request.to);
  const manifest = (JSON.parse(target.pointer) as Pointer).manifest;
  const check = await stored.check(manifest);
  if (check.broken.length > 0) {
    throw new RollbackError(`version ${target.version} is incomplete (${check.broken.length} values missing or damaged, e.g. ${check.broken[0]}); the table in force stays`, { choice: false });
  }
  const next = recordInForce(history, { version: target.version, pointer: target.pointer, routes: target.routes, rolledBack: true }, request.now);
  await kv.putMany([{ key: HISTORY_KEY, value: serializeHistory(next) }]);
  await kv.putMany([{ key: POINTER_KEY, value: target.pointer }]);
  return { from: pointer?.version, to: target };
}

function chooseTarget(entries: readonly HistoryEntry[], inForce: Pointer | undefined, to: string | undefined): HistoryEntry {
  if (to === undefined) {
    const previous = entries.find((entry) => entry.version !== inForce?.version);
    if (!previous) throw new RollbackError('no earlier table is retained to roll back to');
    return previous;
  }
  const matches = entries.filter((entry) => entry.version.startsWith(to));
  if (matches.length === 0) throw new RollbackError(`no retained table has version ${to} (see edgress rollback --list)`);
  if (matches.length > 1) throw new RollbackError(`version ${to} is ambiguous: ${matches.map((entry) => entry.version).join(', ')}`);
  const [target] = matches as [HistoryEntry];
  if (target.version === inForce?.version) throw new RollbackError(`version ${target.version} is already in force`);
  return target;
}
