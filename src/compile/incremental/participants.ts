/**
 * The Ingresses taking part in one cross-Ingress decision (one claim key,
 * the default backend, the first use of a Service or of a pool), oldest
 * first, as the full compile meets them. An entry keeps the model it was
 * compiled from: its age places it, even after the Ingress changed.
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
  readonly list: E[] = [];

  get size(): number {
    return this.list.length;
  }

  get head(): E | undefined {
    return this.list[0];
  }

  /** Inserts in age order; returns the index. */
  insert(entry: E): number {
    const index = this.#position(entry.age);
    this.list.splice(index, 0, entry);
    return index;
  }

  /** Removes the entry of `state` published from `age`; returns its index, or -1. */
  remove(state: E['state'], age: IngressModel): number {
    let index = this.#position(age);
    // Equal ages are equal keys, so the entry sits at the position or just before it.
    if (this.list[index]?.state !== state) index = this.list.findIndex((entry) => entry.state === state);
    if (index >= 0) this.list.splice(index, 1);
    return index;
  }

  /** The oldest entry, when it is strictly older than `age`. */
  olderThan(age: IngressModel): E | undefined {
    const head = this.list[0];
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

  /** First index whose entry is not older than `age`. */
  #position(age: IngressModel): number {
    let low = 0;
    let high = this.list.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareAge(this.list[middle]!.age, age) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
