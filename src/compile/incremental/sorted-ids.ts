/**
 * Ids kept in the order the full compile sorts them (`a < b`), with a use
 * count per id: the table's middlewares and weighted services, the served
 * Ingresses. Adding and removing cost a binary search; nothing is sorted
 * again. An id given up and taken again in one pass keeps its value when
 * the new one has the same content, so consumers comparing by identity see
 * no change.
 *
 * @example
 * ```ts
 * const ids = new CountedIds<Middleware>();
 * ids.add('strip-prefix:/api', strip);
 * ids.settle(record); // writes what changed into the table's record
 * ```
 */

/** Index of the first id not below `id`. */
export function lowerBound(ids: readonly string[], id: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle]! < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Inserts `id` into sorted `ids` unless present; true when inserted. */
export function insertSorted(ids: string[], id: string): boolean {
  const index = lowerBound(ids, id);
  if (ids[index] === id) return false;
  ids.splice(index, 0, id);
  return true;
}

/** Removes `id` from sorted `ids`; true when it was there. */
export function removeSorted(ids: string[], id: string): boolean {
  const index = lowerBound(ids, id);
  if (ids[index] !== id) return false;
  ids.splice(index, 1);
  return true;
}

/** Same JSON: values compiled from the same input have their keys in the same order. */
export function sameContent(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

interface Counted<V> {
  value: V;
  count: number;
}

/** Values by id with a use count; ids whose count dropped to 0 go when the pass settles. */
export class CountedIds<V> {
  readonly sorted: string[] = [];
  readonly #entries = new Map<string, Counted<V>>();
  /** Ids whose count or value changed in this pass. */
  readonly #touched = new Set<string>();
  /** Whether ids appeared or went in this pass (the record needs building again). */
  idsChanged = false;

  get(id: string): V | undefined {
    return this.#entries.get(id)?.value;
  }

  add(id: string, value: V): void {
    const entry = this.#entries.get(id);
    if (!entry) {
      this.#entries.set(id, { value, count: 1 });
      this.idsChanged = insertSorted(this.sorted, id) || this.idsChanged;
      return;
    }
    // Taken again after every user gave it up: its content may have changed (a Secret's users).
    if (entry.count === 0 && !sameContent(entry.value, value)) entry.value = value;
    entry.count++;
    this.#touched.add(id);
  }

  remove(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    entry.count--;
    this.#touched.add(id);
  }

  /** Drops ids nobody uses any more; returns the ids whose value may differ from the last settled pass. */
  settle(): string[] {
    const changed: string[] = [];
    for (const id of this.#touched) {
      const entry = this.#entries.get(id)!;
      if (entry.count > 0) changed.push(id);
      else {
        this.#entries.delete(id);
        removeSorted(this.sorted, id);
        this.idsChanged = true;
      }
    }
    this.#touched.clear();
    return changed;
  }
}
