/**
 * "Did you mean …" for annotation keys: the nearest candidate within a small
 * edit distance (insertions, deletions, substitutions and swaps of two
 * neighbours, the typos people make). Hand-written rather than a dependency:
 * `src/` stays free of Node packages, and this is one bounded loop.
 *
 * @example
 * ```ts
 * nearest('traefik.frontend.rule.typ', ['traefik.frontend.rule.type', 'traefik.frontend.priority']);
 * // 'traefik.frontend.rule.type'
 * ```
 */

/** The candidate closest to `word` (ties: the first), if any is within `limit` edits. */
export function nearest(word: string, candidates: Iterable<string>, limit = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate, bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Optimal string alignment distance between `a` and `b`, or `limit + 1` as
 * soon as it must exceed `limit` (a row whose minimum is over the limit ends
 * the search, so a far candidate costs a row or two).
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      row.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return Math.min(previous[b.length]!, limit + 1);
}
