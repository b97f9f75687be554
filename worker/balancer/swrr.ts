/**
 * Smooth weighted round robin (nginx's `ngx_http_upstream_get_peer`): every
 * pick adds each candidate's weight to its running score, takes the highest
 * score (the first on ties) and lowers it by the sum of the weights. Weights
 * 5/1/1 give `a a b a c a a`: exact shares per cycle, spread out instead of
 * oxy's bursts.
 */

export interface Weighted<T> {
  readonly item: T;
  readonly weight: number;
}

export class SmoothWeightedRoundRobin<T> {
  readonly #items: readonly T[];
  readonly #weights: readonly number[];
  readonly #scores: number[];

  /** Entries with weight 0 are left out: they are never picked. */
  constructor(entries: readonly Weighted<T>[]) {
    const positive = entries.filter((entry) => entry.weight > 0);
    this.#items = positive.map((entry) => entry.item);
    this.#weights = positive.map((entry) => entry.weight);
    this.#scores = positive.map(() => 0);
  }

  get size(): number {
    return this.#items.length;
  }

  /** The items that can be picked (weight > 0), in order. */
  get items(): readonly T[] {
    return this.#items;
  }

  /**
   * The next item; with `eligible`, only items it accepts take part (as nginx
   * skips peers already tried). Undefined when no item takes part.
   */
  next(eligible?: (item: T) => boolean): T | undefined {
    let best = -1;
    let total = 0;
    for (let index = 0; index < this.#items.length; index++) {
      if (eligible && !eligible(this.#items[index] as T)) continue;
      const weight = this.#weights[index] as number;
      const score = (this.#scores[index] as number) + weight;
      this.#scores[index] = score;
      total += weight;
      if (best === -1 || score > (this.#scores[best] as number)) best = index;
    }
    if (best === -1) return undefined;
    this.#scores[best] = (this.#scores[best] as number) - total;
    return this.#items[best];
  }
}
