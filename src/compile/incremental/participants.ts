/**
 * The Ingresses taking part in one cross-Ingress decision (one claim key,
 * the default backend, the first use of a Service or of a pool), oldest
 * first, as the full compile meets them. An entry keeps the model it was
 * compiled from: its age places it, even after the Ingress changed.
 *
 * Nearly every key has one participant (one router per host and path), so
 * one entry is held as it is and a list is made only for a second one: a
 * 10k-Ingress cluster has some 60k of these.
 *
 * @example
 * ```ts
 * const users = new Participants<{ state: IngressState; age: IngressModel }>();
 * users.insert({ state, age: state.model });
 * users.olderThan(other.model); // the oldest entry, when it is older than `other`
 * ```
 */
import { compareAge } from '../cluster.ts';
import type { IngressModel } from '../read/ingress.ts';

export interface Participant<S> {
  readonly state: S;
  /** The model the entry was published from (its age orders the list). */
  readonly age: IngressModel;
}

export class Participants<E extends Participant<unknown>> {
  /** Undefined, the one entry, or two and more oldest first. */
  #entries: E | E[] | undefined;

  get size(): number {
    const entries = this.#entries;
    return entries === undefined ? 0 : Array.isArray(entries) ? entries.length : 1;
  }

  get head(): E | undefined {
    const entries = this.#entries;
    return Array.isArray(entries) ? entries[0] : entries;
  }

  /** The entries, oldest first. */
  get list(): readonly E[] {
    const entries = this.#entries;
    return entries === undefined ? [] : Array.isArray(entries) ? entries : [entries];
  }

  /** Inserts in age order; returns the index. */
  insert(entry: E): number {
    const entries = this.#entries;
    if (entries === undefined) {
      this.#entries = entry;
      return 0;
    }
    const list = Array.isArray(entries) ? entries : [entries];
    const index = position(list, entry.age);
    list.splice(index, 0, entry);
    this.#entries = list;
    return index;
  }

  /** Removes the entry of `state` published from `age`; returns its index, or -1. */
  remove(state: E['state'], age: IngressModel): number {
    const entries = this.#entries;
    if (entries === undefined) return -1;
    if (!Array.isArray(entries)) {
      if (entries.state !== state) return -1;
      this.#entries = undefined;
      return 0;
    }
    let index = position(entries, age);
    // Equal ages are equal keys, so the entry sits at the position, unless it was published from another model.
    if (entries[index]?.state !== state) index = entries.findIndex((entry) => entry.state === state);
    if (index < 0) return -1;
    entries.splice(index, 1);
    if (entries.length === 1) this.#entries = entries[0];
    return index;
  }

  /** The oldest entry, when it is strictly older than `age`. */
  olderThan(age: IngressModel): E | undefined {
    const head = this.head;
    return head !== undefined && compareAge(head.age, age) < 0 ? head : undefined;
  }

  /** The oldest entry matching `accept`, when it is strictly older than `age`. */
  firstOlderThan(age: IngressModel, accept: (entry: E) => boolean): E | undefined {
    for (const entry of this.list) {
      if (compareAge(entry.age, age) >= 0) return undefined;
      if (accept(entry)) return entry;
    }
    return undefined;
  }
}

/** First index whose entry is not older than `age`. */
function position(list: readonly Participant<unknown>[], age: IngressModel): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareAge(list[middle]!.age, age) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
