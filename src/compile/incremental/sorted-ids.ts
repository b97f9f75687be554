/**
 * Ids kept in the order the full compile sorts them (`a < b`), with a
 * count per id: the table's middlewares and services, the served Ingresses.
 * Adding and removing cost a binary search; nothing is sorted again.
 *
 * @example
 * ```ts
 * const ids = new CountedIds<Middleware>();
 * ids.add('strip-prefix:/api', strip);
 * ids.record(); // { 'strip-prefix:/api': strip }, in id order
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

/** Values by id with a use count; the first value stored for an id stays while the id is in use. */
export class CountedIds<V> {
  readonly sorted: string[] = [];
  readonly #entries = new Map<string, { value: V; count: number }>();
  /** Set when ids or values changed since the last `record()`. */
  changed = true;
  #record: Record<string, V> = {};

  get(id: string): V | undefined {
    return this.#entries.get(id)?.value;
  }

  add(id: string, value: V): void {
    const entry = this.#entries.get(id);
    if (entry) entry.count++;
    else {
      this.#entries.set(id, { value, count: 1 });
      insertSorted(this.sorted, id);
      this.changed = true;
    }
  }

  remove(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    if (--entry.count > 0) return;
    this.#entries.delete(id);
    removeSorted(this.sorted, id);
    this.changed = true;
  }

  /** Every value by id, in id order (the same object until something changes). */
  record(): Record<string, V> {
    if (!this.changed) return this.#record;
    const record: Record<string, V> = {};
    for (const id of this.sorted) record[id] = this.#entries.get(id)!.value;
    this.#record = record;
    this.changed = false;
    return record;
  }
}
