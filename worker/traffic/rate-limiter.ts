/**
 * `RateLimiter`, the Durable Object that makes a `rate-limit` hold across the
 * whole edge (docs/design/decisions.md#decision-12-rate-limits-hold-across-the-edge). One object per route and extractor value (the
 * worker addresses it by `idFromName(<router id> <key>)`), so no single
 * object sits on every request's path. Its buckets live in memory and in the
 * object's SQLite-backed storage (synchronous KV API), so an evicted object
 * resumes where it was; an alarm forgets a key after ten of its longest
 * periods of inactivity, as Traefik's TTL map did.
 *
 * @example
 * ```ts
 * const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName('shop/web#0.0 203.0.113.7'));
 * const waitMs = await stub.take([{ periodMs: 1000, average: 5, burst: 10 }]); // 0 = allowed
 * ```
 */
import { DurableObject } from 'cloudflare:workers';
import type { Rate } from '../../src/table/traffic.ts';
import { idleExpiryMs, takeToken, type BucketState } from './token-bucket.ts';

const STATE_KEY = 'buckets';

export class RateLimiter extends DurableObject {
  #state: BucketState | undefined;

  /** Takes a token from every rate's bucket: 0 when allowed, else the milliseconds to wait. */
  async take(rates: readonly Rate[]): Promise<number> {
    const now = Date.now();
    this.#state ??= this.ctx.storage.kv.get<BucketState>(STATE_KEY) ?? {};
    const wait = takeToken(this.#state, rates, now);
    this.ctx.storage.kv.put(STATE_KEY, this.#state);
    await this.ctx.storage.setAlarm(now + idleExpiryMs(rates));
    return wait;
  }

  override async alarm(): Promise<void> {
    this.#state = undefined;
    await this.ctx.storage.deleteAll();
  }
}
