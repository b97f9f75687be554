/**
 * Where two versions of a list differ, when most items are the same objects:
 * an incremental compile keeps the routers it did not recompile by identity,
 * so two consecutive tables share long runs at both ends and only the middle
 * needs looking at (placing routers in buckets, keying removed routes).
 *
 * @example
 * ```ts
 * const { start, endBefore, endAfter } = changedSpan(previous.routers, next.routers);
 * previous.routers.slice(start, endBefore); // gone or replaced
 * next.routers.slice(start, endAfter);      // new or replacing
 * ```
 */
export interface ChangedSpan {
  /** Items before this index are the same objects in both lists. */
  readonly start: number;
  /** Items of `before` from here on are the same objects as `after`'s from `endAfter`. */
  readonly endBefore: number;
  readonly endAfter: number;
}

export function changedSpan<T>(before: readonly T[], after: readonly T[]): ChangedSpan {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) endBefore--, endAfter--;
  return { start, endBefore, endAfter };
}
