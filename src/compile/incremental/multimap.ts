/**
 * Keys to sets of values, where nearly every key has one value (an object
 * read by one Ingress, a Service with one pool): a lone value is held as it
 * is, a Set is made for the second.
 *
 * @example
 * ```ts
 * const dependents = new MultiMap<string, IngressState>();
 * dependents.add('S:shop/web', state);
 * for (const state of dependents.get('S:shop/web')) queue(state);
 * ```
 */
export class MultiMap<K, V> {
  readonly #map = new Map<K, V | Set<V>>();

  add(key: K, value: V): void {
    const held = this.#map.get(key);
    if (held === undefined) this.#map.set(key, value);
    else if (held instanceof Set) held.add(value);
    else if (held !== value) this.#map.set(key, new Set([held, value]));
  }

  delete(key: K, value: V): void {
    const held = this.#map.get(key);
    if (held === value) this.#map.delete(key);
    else if (held instanceof Set) {
      held.delete(value);
      if (held.size === 1) this.#map.set(key, held.values().next().value as V);
    }
  }

  /** The values of `key` (a copy: the caller may change the map while walking it). */
  get(key: K): readonly V[] {
    const held = this.#map.get(key);
    return held === undefined ? [] : held instanceof Set ? [...held] : [held];
  }
}
