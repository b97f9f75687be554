/**
 * `edgress/history`: the tables that were in force, most recent first, so
 * `edgress rollback` can name them and the garbage collector knows what to
 * keep. A version is *retained* (its values are never deleted) while it is
 * one of the last `keep` entries, or was superseded less than `graceMs` ago
 * (isolates may still read it: KV takes a minute or more to propagate the
 * pointer). Entries that are not retained are dropped from the history.
 *
 * Only the publisher and `edgress rollback` write it; the worker never reads
 * it. Each entry holds the exact pointer value to write back.
 *
 * @example
 * ```ts
 * const next = recordInForce(history, { version, pointer, routes }, now);
 * retainedEntries(next, { keep: 10, graceMs: 3_600_000, now });
 * ```
 */
import { z } from 'zod';

export const HISTORY_KEY = 'edgress/history';

/** Defaults of `--keep-tables` and `--gc-grace`. */
export const RETENTION_DEFAULTS = { keep: 10, graceMs: 60 * 60_000 } as const;
/** However busy the cluster, the history never holds more entries than this (each entry is small). */
export const MAX_HISTORY_ENTRIES = 500;

const HistoryEntrySchema = z.object({
  version: z.string().min(1),
  /** The pointer value (`edgress/current`) that puts this version in force. */
  pointer: z.string().min(1),
  /** When the version last came into force (ms since the epoch). */
  since: z.number(),
  /** When another version replaced it; absent for the newest entry. */
  supersededAt: z.number().optional(),
  routes: z.number().int().min(0),
  /** True when `edgress rollback` put it in force. */
  rolledBack: z.boolean().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>;

const HistorySchema = z.object({ schema: z.literal(1), entries: z.array(HistoryEntrySchema) });
export type History = z.infer<typeof HistorySchema>;

export const EMPTY_HISTORY: History = { schema: 1, entries: [] };

export interface Retention {
  readonly keep: number;
  readonly graceMs: number;
  readonly now: number;
}

/** The stored history; an absent or unreadable value counts as empty (nothing is retained by it). */
export function parseHistory(text: string | null | undefined): History {
  if (!text) return EMPTY_HISTORY;
  try {
    const parsed = HistorySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : EMPTY_HISTORY;
  } catch {
    return EMPTY_HISTORY;
  }
}

/** The history once `entry` is in force: first, the previous first one superseded now. */
export function recordInForce(history: History, entry: Omit<HistoryEntry, 'since' | 'supersededAt'>, now: number): History {
  const others = history.entries
    .filter((other) => other.version !== entry.version)
    .map((other) => (other.supersededAt === undefined ? { ...other, supersededAt: now } : other));
  return { schema: 1, entries: [{ ...entry, since: now }, ...others].slice(0, MAX_HISTORY_ENTRIES) };
}

/** Entries whose values must stay. */
export function retainedEntries(history: History, retention: Retention): HistoryEntry[] {
  return history.entries.filter(
    (entry, index) => index < retention.keep || entry.supersededAt === undefined || retention.now - entry.supersededAt < retention.graceMs,
  );
}

/** The history to store: retained entries only. */
export function pruned(history: History, retention: Retention): History {
  return { schema: 1, entries: retainedEntries(history, retention) };
}

export function serializeHistory(history: History): string {
  return JSON.stringify(history);
}
