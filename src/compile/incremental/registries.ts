/**
 * The decisions the full compile makes across Ingresses, kept per key with
 * every Ingress taking part, oldest first: who holds a claim (host + path),
 * whose default backend wins, which Ingress uses a Service first (it reports
 * the Service's annotations), and which request builds a pool (the first
 * user's). Publishing or retracting an Ingress's result re-queues exactly the
 * younger Ingresses whose view of such a decision may have changed; `verify`
 * then tells whether their view did change.
 *
 * @example
 * ```ts
 * const registries = new Registries(store, (state) => queue(state));
 * registries.publish(state, result);
 * registries.verify(other, other.result!); // false: recompile it
 * ```
 */
import type { Diagnostic } from '../api.ts';
import type { Router, Service } from '../../table/schema.ts';
import type { ClusterObjects } from '../cluster.ts';
import { buildPool, serviceTraffic, type BuiltPool, type PoolRequest } from '../pools.ts';
import type { IngressModel } from '../read/ingress.ts';
import type { ServiceModel } from '../read/objects.ts';
import type { ServiceTraffic } from '../traffic/service.ts';
import type { IngressResult, OlderIngresses } from './ingress-run.ts';
import { MultiMap } from './multimap.ts';
import { Participants, type Participant } from './participants.ts';
import { insertSorted, removeSorted, sameContent } from './sorted-ids.ts';
import { joined } from '../text.ts';

type Entry<S> = Participant<S>;

interface PoolSlot<S> {
  readonly service: string;
  readonly users: Participants<Entry<S> & { readonly argsKey: string; readonly request: PoolRequest }>;
  /** Pools built for this id, by request key (nearly always one). */
  builds: { readonly argsKey: string; readonly pool: BuiltPool }[];
  /** Builds from before the Service or its endpoints changed: kept when built the same again. */
  stale: { readonly argsKey: string; readonly pool: BuiltPool }[];
  /** In `poolIds` (a slot left by its last user stays listed until `prune()`). */
  listed: boolean;
}

export class Registries<S extends object> implements OlderIngresses {
  readonly #store: ClusterObjects;
  readonly #queue: (state: S) => void;
  readonly #claims = new Map<string, Participants<Entry<S> & { readonly routerId: string }>>();
  readonly #defaults = new Participants<Entry<S> & { readonly router: Router | undefined }>();
  readonly #serviceUsers = new Map<string, Participants<Entry<S>>>();
  readonly #pools = new Map<string, PoolSlot<S>>();
  readonly #poolsByService = new MultiMap<string, string>();
  readonly #staleSlots = new Set<string>();
  /** Pools whose last user went in this pass. */
  readonly #emptied = new Set<string>();
  readonly #traffic = new WeakMap<ServiceModel, { traffic: ServiceTraffic; diagnostics: readonly Diagnostic[] }>();
  /** Pool ids in use, sorted. */
  readonly poolIds: string[] = [];
  /** Pool ids appeared or went since `settled()`. */
  poolIdsChanged = true;
  /** Pools whose content may have changed since `settled()`. */
  readonly changedPools = new Set<string>();

  constructor(store: ClusterObjects, queue: (state: S) => void) {
    this.#store = store;
    this.#queue = queue;
  }

  claimOwner(key: string, age: IngressModel): string | undefined {
    return this.#claims.get(key)?.olderThan(age)?.routerId;
  }

  defaultWinner(age: IngressModel): Router | undefined {
    return this.#defaults.firstOlderThan(age, (entry) => entry.router !== undefined)?.router;
  }

  /** The winning default router. */
  get defaultRouter(): Router | undefined {
    return this.#defaults.list.find((entry) => entry.router !== undefined)?.router;
  }

  serviceUsedBefore(service: string, age: IngressModel): boolean {
    return this.#serviceUsers.get(service)?.olderThan(age) !== undefined;
  }

  poolView(id: string, age: IngressModel, own: { readonly argsKey: string; readonly request: PoolRequest }): BuiltPool {
    const slot = this.#slot(id, own.request);
    const first = slot.users.olderThan(age) ?? own;
    return this.#build(slot, first.argsKey, first.request);
  }

  traffic(service: ServiceModel): { readonly traffic: ServiceTraffic; readonly diagnostics: readonly Diagnostic[] } {
    let read = this.#traffic.get(service);
    if (!read) this.#traffic.set(service, (read = serviceTraffic(service)));
    return read;
  }

  /** The table service of pool `id`: the pool its oldest user's request builds. */
  pool(id: string): Service | undefined {
    const slot = this.#pools.get(id);
    const head = slot?.users.head;
    return slot && head && this.#build(slot, head.argsKey, head.request).service;
  }

  /** Pools of a Service whose Service or endpoints changed are rebuilt; their users check what they were given. */
  invalidateService(service: string): void {
    for (const id of this.#poolsByService.get(service)) {
      const slot = this.#pools.get(id)!;
      slot.stale = slot.builds;
      slot.builds = [];
      this.#staleSlots.add(id);
      for (const user of slot.users.list) this.#queue(user.state);
      this.changedPools.add(id);
    }
  }

  publish(state: S, result: IngressResult): void {
    const age = result.model;
    for (const { key, routerId } of result.claims) {
      let claimants = this.#claims.get(key);
      if (!claimants) this.#claims.set(key, (claimants = new Participants()));
      if (claimants.insert({ state, age, routerId }) === 0) this.#queueFrom(claimants.list, 1);
    }
    if (result.defaultUse) {
      const index = this.#defaults.insert({ state, age, router: result.defaultRouter });
      if (result.defaultRouter && this.#firstRouterAt(index)) this.#queueFrom(this.#defaults.list, index + 1);
    }
    for (const { service } of result.serviceUses) {
      let users = this.#serviceUsers.get(service);
      if (!users) this.#serviceUsers.set(service, (users = new Participants()));
      if (users.insert({ state, age }) === 0 && users.size > 1) this.#queue(users.list[1]!.state);
    }
    for (const { id, argsKey, request } of result.poolUses) {
      const slot = this.#slot(id, request);
      if (!slot.listed) this.#addPoolId(id, slot);
      if (slot.users.insert({ state, age, argsKey, request }) === 0) {
        this.#queueFrom(slot.users.list, 1);
        this.changedPools.add(id);
      }
    }
  }

  retract(state: S, result: IngressResult): void {
    const age = result.model;
    for (const { key } of result.claims) {
      const claimants = this.#claims.get(key);
      if (claimants?.remove(state, age) === 0) this.#queueFrom(claimants.list, 0);
      if (claimants?.size === 0) this.#claims.delete(key);
    }
    if (result.defaultUse) {
      const index = this.#defaults.remove(state, age);
      if (result.defaultRouter && index >= 0 && this.#firstRouterAt(index)) this.#queueFrom(this.#defaults.list, index);
    }
    for (const { service } of result.serviceUses) {
      const users = this.#serviceUsers.get(service);
      if (users?.remove(state, age) === 0 && users.head) this.#queue(users.head.state);
      if (users?.size === 0) this.#serviceUsers.delete(service);
    }
    for (const { id } of result.poolUses) {
      const slot = this.#pools.get(id);
      if (slot?.users.remove(state, age) === 0) {
        this.#queueFrom(slot.users.list, 0);
        this.changedPools.add(id);
      }
      if (slot?.users.size === 0) this.#emptied.add(id);
    }
  }

  /** Whether the older Ingresses still look the same to a published result. */
  verify(result: IngressResult): boolean {
    const age = result.model;
    for (const claim of result.claims) if (this.claimOwner(claim.key, age) !== claim.observed) return false;
    if (result.defaultUse && this.defaultWinner(age)?.source !== result.defaultUse.observed) return false;
    for (const use of result.serviceUses) if (this.serviceUsedBefore(use.service, age) !== use.older) return false;
    for (const use of result.poolUses) {
      const pool = this.poolView(use.id, age, use);
      const problem = pool.problem;
      if (pool.service.servers.length !== use.size || problem?.code !== use.problem?.code || problem?.message !== use.problem?.message) return false;
    }
    return true;
  }

  /** No entry before `index` of the defaults has a router. */
  #firstRouterAt(index: number): boolean {
    for (let i = 0; i < index; i++) if (this.#defaults.list[i]!.router) return false;
    return true;
  }

  #queueFrom(list: readonly Entry<S>[], from: number): void {
    for (let i = from; i < list.length; i++) this.#queue(list[i]!.state);
  }

  #slot(id: string, request: PoolRequest): PoolSlot<S> {
    let slot = this.#pools.get(id);
    if (!slot) {
      slot = { service: joined(request.namespace, '/', request.backend.name), users: new Participants(), builds: [], stale: [], listed: false };
      this.#pools.set(id, slot);
    }
    return slot;
  }

  #build(slot: PoolSlot<S>, argsKey: string, request: PoolRequest): BuiltPool {
    const built = slot.builds.find((entry) => entry.argsKey === argsKey);
    if (built) return built.pool;
    let pool = buildPool(request, this.#store, request.service && this.traffic(request.service).traffic);
    const before = slot.stale.find((entry) => entry.argsKey === argsKey)?.pool;
    // Unchanged content keeps its identity, so what was published from it counts as unchanged.
    if (before && sameContent(before, pool)) pool = before;
    slot.builds.push({ argsKey, pool });
    return pool;
  }

  /** Drops the pools nobody uses any more (at the end of a pass: a recompiled Ingress gives a pool up and takes it again). */
  prune(): void {
    for (const id of this.#emptied) {
      const slot = this.#pools.get(id);
      if (slot?.users.size === 0) this.#removePool(id, slot.service);
    }
    this.#emptied.clear();
  }

  /** The output has taken the changes in. */
  settled(): void {
    this.poolIdsChanged = false;
    this.changedPools.clear();
    for (const id of this.#staleSlots) {
      const slot = this.#pools.get(id);
      if (slot) slot.stale = [];
    }
    this.#staleSlots.clear();
  }

  #addPoolId(id: string, slot: PoolSlot<S>): void {
    slot.listed = true;
    insertSorted(this.poolIds, id);
    this.poolIdsChanged = true;
    this.#poolsByService.add(slot.service, id);
  }

  #removePool(id: string, service: string): void {
    this.#pools.delete(id);
    removeSorted(this.poolIds, id);
    this.#poolsByService.delete(service, id);
    this.poolIdsChanged = true;
  }
}
