/**
 * `drr` (Traefik's dynamic round robin, oxy's rebalancer), per isolate:
 * smooth weighted round robin whose weights follow what this isolate
 * observes. Every endpoint's recent outcomes are kept in a ten-second window
 * (`../traffic/window.ts`). At most every adjustment period (10 s,
 * `DRR_ADJUST_MS`), when a request completes:
 * - an endpoint **stands out** when its share of 500–504 answers (the edge's
 *   502/504 included) or its median latency is an outlier: above the median
 *   of the other endpoints by more than 1.5 × their median absolute
 *   deviation, and by at least 10 points of error ratio, or by at least
 *   50 ms and that median again (twice as slow) of latency;
 * - when some but not all endpoints stand out, the others' weights are
 *   multiplied by 4 (up to 4096 × the configured weight), so traffic drains
 *   from the bad ones without leaving them unprobed;
 * - when none stands out, multiplied weights step back (÷ 4) to the configured ones.
 * Fewer than two endpoints: plain round robin. State starts afresh with each
 * table version, as Traefik's did with each backend rebuild.
 *
 * @example
 * ```ts
 * const picker = new DrrPicker(endpoints, { adjustMs: 10_000 });
 * const endpoint = picker.pick(new Set());
 * picker.observe(endpoint, { status: 503, latencyMs: 40 });
 * ```
 */
import type { Endpoint, EndpointPicker, Observation } from './picker.ts';
import { SmoothWeightedRoundRobin, type Weighted } from './swrr.ts';
import { ResponseWindow } from '../traffic/window.ts';

export const MAX_FACTOR = 4096;
export const FACTOR_STEP = 4;

interface Member {
  readonly endpoint: Endpoint;
  readonly weight: number;
  factor: number;
  readonly window: ResponseWindow;
}

export class DrrPicker implements EndpointPicker {
  readonly #members: readonly Member[];
  readonly #adjustMs: number;
  readonly #clock: () => number;
  #rotation: SmoothWeightedRoundRobin<Endpoint>;
  #nextAdjust: number;

  constructor(entries: readonly Weighted<Endpoint>[], options: { adjustMs: number; clock?: () => number }) {
    this.#members = entries.filter((entry) => entry.weight > 0).map((entry) => ({ endpoint: entry.item, weight: entry.weight, factor: 1, window: new ResponseWindow() }));
    this.#adjustMs = options.adjustMs;
    this.#clock = options.clock ?? Date.now;
    this.#nextAdjust = this.#clock() + this.#adjustMs;
    this.#rotation = this.#build();
  }

  pick(tried: ReadonlySet<Endpoint>): Endpoint | undefined {
    return this.#rotation.next(tried.size === 0 ? undefined : (endpoint) => !tried.has(endpoint));
  }

  get endpoints(): readonly Endpoint[] {
    return this.#members.map((member) => member.endpoint);
  }

  /** The current weight of each endpoint (configured × factor), for tests and logs. */
  get weights(): ReadonlyMap<Endpoint, number> {
    return new Map(this.#members.map((member) => [member.endpoint, member.weight * member.factor]));
  }

  observe(endpoint: Endpoint, observation: Observation): void {
    const member = this.#members.find((candidate) => candidate.endpoint === endpoint);
    if (!member) return;
    const now = this.#clock();
    member.window.record(observation.status, observation.latencyMs, now);
    if (now < this.#nextAdjust || this.#members.length < 2) return;
    this.#nextAdjust = now + this.#adjustMs;
    this.#adjust(now);
  }

  #adjust(now: number): void {
    const measured = this.#members.filter((member) => member.window.count(now) > 0);
    const errors = measured.map((member) => member.window.responseCodeRatio(now, [500, 505, 0, 1000]));
    const latencies = measured.map((member) => member.window.latencyAtQuantile(now, 50));
    const others = (values: readonly number[], i: number) => values.filter((_, j) => j !== i);
    const bad = new Set(
      measured.filter((_, i) => {
        const otherLatencies = others(latencies, i);
        return outlier(errors[i] ?? 0, others(errors, i), 0.1) || outlier(latencies[i] ?? 0, otherLatencies, Math.max(50, median(otherLatencies)));
      }),
    );
    const before = this.#members.map((member) => member.factor);
    for (const member of this.#members) {
      if (bad.size === 0 || bad.size === this.#members.length) member.factor = Math.max(1, member.factor / FACTOR_STEP);
      else if (!bad.has(member)) member.factor = Math.min(MAX_FACTOR, member.factor * FACTOR_STEP);
    }
    if (this.#members.some((member, i) => member.factor !== before[i])) this.#rotation = this.#build();
  }

  #build(): SmoothWeightedRoundRobin<Endpoint> {
    return new SmoothWeightedRoundRobin(this.#members.map((member) => ({ item: member.endpoint, weight: member.weight * member.factor })));
  }
}

function outlier(value: number, values: readonly number[], floor: number): boolean {
  if (values.length === 0) return false;
  const middle = median(values);
  const deviation = median(values.map((v) => Math.abs(v - middle)));
  return value > middle + Math.max(1.5 * deviation, floor);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
