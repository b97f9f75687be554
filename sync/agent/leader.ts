/**
 * Leader election on a `coordination.k8s.io/v1` Lease, as client-go's
 * leaderelection does it: the holder renews every retry period; another
 * replica takes the Lease over once it has seen no renewal for the lease
 * duration (measured on its own clock, so clock skew does not matter);
 * every write carries the resourceVersion read, so of two racing replicas
 * one gets 409 Conflict and stays a follower. A leader that cannot renew
 * within the renew deadline steps down. Stopping releases the Lease.
 *
 * @example
 * ```ts
 * const elector = new LeaderElector(writers.leases, { namespace: 'edgress', name: 'edgress-sync', identity: hostname() });
 * elector.onChange((leading) => leading && publishNow());
 * elector.start();
 * ```
 */
import { systemClock, type Clock } from '../common/clock.ts';
import { describeError, statusOf } from '../common/kube/errors.ts';
import type { LeaseRecord, LeaseStore } from '../common/kube/writers.ts';
import { silentLogger, type Logger } from '../common/log.ts';

/** How long a Lease stays valid without renewal (client-go's default). */
export const LEASE_DURATION_MS = 15_000;
/** A leader that has not renewed for this long steps down. */
export const RENEW_DEADLINE_MS = 10_000;
/** How often the Lease is renewed or its acquisition retried. */
export const RETRY_PERIOD_MS = 2_000;

export interface LeaderOptions {
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
}

export class LeaderElector {
  readonly #store: LeaseStore;
  readonly #options: Required<LeaderOptions>;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #listeners = new Set<(leading: boolean) => void>();
  readonly #stop = new AbortController();
  #leading = false;
  #lastRenewal = 0;
  #observed: { resourceVersion?: string; at: number } = { at: 0 };
  #running: Promise<void> | undefined;

  constructor(store: LeaseStore, options: LeaderOptions, clock: Clock = systemClock, log: Logger = silentLogger) {
    this.#store = store;
    this.#options = { leaseDurationMs: LEASE_DURATION_MS, renewDeadlineMs: RENEW_DEADLINE_MS, retryPeriodMs: RETRY_PERIOD_MS, ...options };
    this.#clock = clock;
    this.#log = log;
  }

  get leading(): boolean {
    return this.#leading;
  }

  onChange(listener: (leading: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#running ??= this.#loop();
  }

  /** Stops campaigning; a leader releases the Lease so another replica takes over at once. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#running;
    if (this.#leading) await this.#release();
    this.#set(false);
  }

  async #loop(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      const renewed = await this.tryAcquireOrRenew();
      const now = this.#clock.now();
      if (renewed) this.#lastRenewal = now;
      if (renewed && !this.#leading) this.#set(true);
      if (!renewed && this.#leading && now - this.#lastRenewal > this.#options.renewDeadlineMs) this.#set(false);
      await this.#clock.sleep(this.#options.retryPeriodMs, this.#stop.signal);
    }
  }

  /** One attempt; true when this replica holds the Lease afterwards. */
  async tryAcquireOrRenew(): Promise<boolean> {
    const { namespace, name, identity } = this.#options;
    const now = this.#clock.now();
    try {
      const current = await this.#store.read(namespace, name);
      if (!current) {
        await this.#store.create(namespace, name, this.#record(undefined, now));
        return true;
      }
      if (current.resourceVersion !== this.#observed.resourceVersion) this.#observed = { resourceVersion: current.resourceVersion, at: now };
      const heldByOther = Boolean(current.holderIdentity) && current.holderIdentity !== identity;
      const expiresAt = this.#observed.at + (current.leaseDurationSeconds ?? 0) * 1000;
      if (heldByOther && now < expiresAt) return false;
      await this.#store.replace(namespace, name, this.#record(current, now));
      return true;
    } catch (error) {
      // 409: another replica wrote first; it leads, this one follows.
      if (statusOf(error) !== 409) this.#log.warn('lease-error', { lease: `${namespace}/${name}`, error: describeError(error) });
      return false;
    }
  }

  #record(current: LeaseRecord | undefined, now: number): LeaseRecord {
    const keeping = current?.holderIdentity === this.#options.identity;
    return {
      holderIdentity: this.#options.identity,
      leaseDurationSeconds: Math.ceil(this.#options.leaseDurationMs / 1000),
      acquireTime: keeping && current?.acquireTime ? current.acquireTime : new Date(now),
      renewTime: new Date(now),
      leaseTransitions: (current?.leaseTransitions ?? 0) + (current && !keeping ? 1 : 0),
      resourceVersion: current?.resourceVersion,
    };
  }

  async #release(): Promise<void> {
    const { namespace, name, identity } = this.#options;
    try {
      const current = await this.#store.read(namespace, name);
      if (current?.holderIdentity !== identity) return;
      const now = new Date(this.#clock.now());
      await this.#store.replace(namespace, name, { ...current, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now });
    } catch (error) {
      this.#log.warn('lease-release-failed', { lease: `${namespace}/${name}`, error: describeError(error) });
    }
  }

  #set(leading: boolean): void {
    if (leading === this.#leading) return;
    this.#leading = leading;
    this.#log.info(leading ? 'leader-elected' : 'leader-lost', { identity: this.#options.identity, lease: `${this.#options.namespace}/${this.#options.name}` });
    for (const listener of this.#listeners) listener(leading);
  }
}
