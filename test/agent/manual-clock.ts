/**
 * A clock that only moves when the test says so: `sleep` resolves when
 * `advance` reaches its time (or its signal aborts).
 */
import type { Clock } from '../../sync/common/clock.ts';

interface Sleeper {
  readonly at: number;
  readonly wake: () => void;
}

export class ManualClock implements Clock {
  #now = 1_000_000;
  #sleepers: Sleeper[] = [];

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = { at: this.#now + ms, wake: resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => this.#wake(sleeper), { once: true });
    });
  }

  /** Delays still pending, from now. */
  get pending(): number[] {
    return this.#sleepers.map((sleeper) => sleeper.at - this.#now).sort((a, b) => a - b);
  }

  /** Moves time on and wakes every sleeper that is due. */
  advance(ms: number): void {
    this.#now += ms;
    for (const sleeper of [...this.#sleepers]) if (sleeper.at <= this.#now) this.#wake(sleeper);
  }

  /** Resolves once something sleeps on this clock. */
  async sleeping(timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.#sleepers.length === 0) {
      if (Date.now() > deadline) throw new Error('nothing went to sleep on the manual clock');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  #wake(sleeper: Sleeper): void {
    this.#sleepers = this.#sleepers.filter((other) => other !== sleeper);
    sleeper.wake();
  }
}
