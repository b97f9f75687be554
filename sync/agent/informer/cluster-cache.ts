/**
 * Every informer the compiler's input needs, as one cache: Ingresses (label
 * selector applied to them only), Services, EndpointSlices (or Endpoints),
 * Secrets per watched namespace or cluster-wide, IngressClasses
 * (cluster-scoped), and the Gateway API's kinds where their CRDs are
 * installed (added and removed while running, as discovery changes).
 * `synced` only when every informer holds a complete list.
 *
 * @example
 * ```ts
 * const cache = new ClusterCache(planInformers({ namespaces: [], endpointSlices: true }, client));
 * cache.start();
 * await cache.waitForSync(signal);
 * const taken = cache.takeChanges();
 * const result = taken.relist ? compiler.sync(cache.objects()) : compiler.update(taken.changes);
 * ```
 *
 * The cache also keeps what changed since the compiler last took it
 * ({@link ClusterCache.takeChanges}): the informers' typed changes, in the
 * order they arrived, so a pass compiles only those. After any list (the
 * first, or a relist after 410 Gone or a failure) it says `relist` instead,
 * and the whole content is handed over once: a list replaces an informer's
 * content, and the compiler then diffs everything it holds.
 */
import type { Backoff } from '../../common/backoff.ts';
import type { Clock } from '../../common/clock.ts';
import type { ListWatchClient } from '../../common/kube/client.ts';
import { CONFIG_MAPS, ENDPOINT_SLICES, ENDPOINTS, INGRESS_CLASSES, INGRESSES, NAMESPACES, SECRETS, SERVICES, type WatchedResource } from '../../common/kube/resources.ts';
import type { WatchedObject } from '../../common/kube/watch-event.ts';
import { describeError } from '../../common/kube/errors.ts';
import type { Logger } from '../../common/log.ts';
import type { AgentMetrics } from '../metrics.ts';
import { ListWatchInformer, type InformerEvent } from './informer.ts';
import type { ObjectChange } from './object-cache.ts';

export interface WatchScope {
  /** Empty: all namespaces. */
  readonly namespaces: readonly string[];
  readonly labelSelector?: string;
  /** discovery.k8s.io/v1 is served; else Endpoints are watched. */
  readonly endpointSlices: boolean;
  /** Namespaces whose Services are watched too (the published Service's, for Ingress status). */
  readonly extraServiceNamespaces?: readonly string[];
  /** ConfigMaps are watched too (the nginx dialect's `custom-headers`; only with `--ingress-nginx`). */
  readonly configMaps?: boolean;
  /** The Gateway API resources served (`servedGatewayApi`); empty or undefined: none watched. */
  readonly gatewayApi?: readonly WatchedResource[];
}

export interface InformerDeps {
  readonly client: ListWatchClient;
  readonly clock?: Clock;
  readonly backoff?: () => Backoff;
}

export function planInformers(scope: WatchScope, deps: InformerDeps): ListWatchInformer[] {
  const namespaces: (string | undefined)[] = scope.namespaces.length > 0 ? [...new Set(scope.namespaces)] : [undefined];
  const endpoints = scope.endpointSlices ? ENDPOINT_SLICES : ENDPOINTS;
  const make = (resource: WatchedResource, namespace?: string, labelSelector?: string) =>
    new ListWatchInformer({ resource, namespace, labelSelector, client: deps.client, clock: deps.clock, backoff: deps.backoff?.() });
  const informers = namespaces.flatMap((namespace) => [
    make(INGRESSES, namespace, scope.labelSelector || undefined),
    make(SERVICES, namespace),
    make(endpoints, namespace),
    make(SECRETS, namespace),
    ...(scope.configMaps ? [make(CONFIG_MAPS, namespace)] : []),
  ]);
  if (namespaces[0] !== undefined) {
    for (const extra of scope.extraServiceNamespaces ?? []) if (!namespaces.includes(extra)) informers.push(make(SERVICES, extra));
  }
  informers.push(make(INGRESS_CLASSES));
  informers.push(...planGatewayInformers(scope, deps, scope.gatewayApi ?? []));
  return informers;
}

/**
 * Gateway API informers: namespaced kinds per watched namespace (or all), GatewayClass cluster-wide, and, when
 * every namespace is watched, Namespaces for `allowedRoutes` label selectors (an agent limited to some namespaces
 * has no cluster-wide rights: there a selector sees only the `kubernetes.io/metadata.name` label).
 */
export function planGatewayInformers(scope: Pick<WatchScope, 'namespaces'>, deps: InformerDeps, resources: readonly WatchedResource[]): ListWatchInformer[] {
  if (resources.length === 0) return [];
  const namespaces: (string | undefined)[] = scope.namespaces.length > 0 ? [...new Set(scope.namespaces)] : [undefined];
  const watched = scope.namespaces.length > 0 ? resources : [...resources, NAMESPACES];
  return watched.flatMap((resource) =>
    (resource.namespaced ? namespaces : [undefined]).map((namespace) => new ListWatchInformer({ resource, namespace, client: deps.client, clock: deps.clock, backoff: deps.backoff?.() })),
  );
}

export type ClusterEvent = InformerEvent & { readonly informer: ListWatchInformer };

/** What changed since the last {@link ClusterCache.takeChanges}: the changes, or a relist (hand over every object). */
export type TakenChanges = { readonly relist: true } | { readonly relist: false; readonly changes: readonly ObjectChange[] };

/** Logs and counts what the informers went through (changes at debug level, failures as warnings). */
export function reportClusterEvent(event: ClusterEvent, synced: boolean, metrics: AgentMetrics, log: Logger): void {
  const kind = event.informer.resource.kind;
  if (event.type === 'change') {
    for (const { type, object } of event.changes) log.debug('changed', { kind, change: type, namespace: object.metadata.namespace, name: object.metadata.name });
  }
  if (event.type === 'synced' || event.type === 'error') metrics.synced.set(synced ? 1 : 0);
  if (event.type === 'restart') {
    metrics.watchRestarts.inc({ kind, reason: event.reason });
    log.debug('watch-restart', { informer: event.informer.description, reason: event.reason });
  }
  if (event.type === 'error') {
    if (event.phase === 'list') metrics.listErrors.inc({ kind });
    log.warn(`${event.phase}-failed`, { informer: event.informer.description, error: describeError(event.error), retryInMs: event.retryInMs, state: event.informer.state });
  }
}

export class ClusterCache {
  #informers: ListWatchInformer[] = [];
  readonly #unsubscribe = new Map<ListWatchInformer, () => void>();
  readonly #listeners = new Set<(event: ClusterEvent) => void>();
  /** Changes not yet taken, while no list happened since the last take. */
  #pending: ObjectChange[] = [];
  #relisted = true;
  #started = false;

  constructor(informers: readonly ListWatchInformer[]) {
    this.add(informers);
  }

  get informers(): readonly ListWatchInformer[] {
    return this.#informers;
  }

  start(): void {
    this.#started = true;
    for (const informer of this.informers) informer.start();
  }

  /** More informers (CRDs installed while running); started at once when the cache is. */
  add(informers: readonly ListWatchInformer[]): void {
    for (const informer of informers) {
      const off = informer.on((event) => {
        this.#collect(event);
        this.#emit({ ...event, informer });
      });
      this.#unsubscribe.set(informer, off);
      this.#informers.push(informer);
      if (this.#started) informer.start();
    }
    // Informers may join already synced (Gateway API ones do): their content reaches the compiler as a relist.
    if (informers.length > 0) this.#relisted = true;
  }

  /** Stops and drops the informers that match (CRDs deleted); their objects leave the cache. */
  async remove(matches: (informer: ListWatchInformer) => boolean): Promise<ListWatchInformer[]> {
    const removed = this.#informers.filter(matches);
    this.#informers = this.#informers.filter((informer) => !matches(informer));
    for (const informer of removed) {
      this.#unsubscribe.get(informer)?.();
      this.#unsubscribe.delete(informer);
    }
    await Promise.all(removed.map((informer) => informer.stop()));
    // Their objects leave the compiler's input too: the next pass hands every object over.
    if (removed.length > 0) this.#relisted = true;
    return removed;
  }

  /** What changed since the last call (the first call: `relist`), and starts collecting afresh. */
  takeChanges(): TakenChanges {
    const taken: TakenChanges = this.#relisted ? { relist: true } : { relist: false, changes: this.#pending };
    this.#pending = [];
    this.#relisted = false;
    return taken;
  }

  #collect(event: InformerEvent): void {
    if (event.type === 'synced') {
      this.#relisted = true;
      this.#pending = [];
    } else if (event.type === 'change' && !this.#relisted) {
      for (const change of event.changes) this.#pending.push(change);
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }

  /** Lists every informer once, without watching; rejects when any list fails. */
  async listOnce(): Promise<void> {
    const results = await Promise.allSettled(this.informers.map((informer) => informer.listOnce()));
    const failed = results.flatMap((result, i) => (result.status === 'rejected' ? [`${this.informers[i]?.description}: ${String(result.reason)}`] : []));
    if (failed.length > 0) throw new Error(`could not list ${failed.join('; ')}`);
  }

  on(listener: (event: ClusterEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every informer holds a complete, current list. */
  get synced(): boolean {
    return this.informers.every((informer) => informer.state === 'synced');
  }

  /** Informers whose content is incomplete or out of date, for reports. */
  get unsynced(): string[] {
    return this.informers.filter((informer) => informer.state !== 'synced').map((informer) => `${informer.description} (${informer.state})`);
  }

  /** Resolves when every informer has synced, or when the signal aborts. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!this.synced && !signal?.aborted) return;
        off();
        resolve();
      };
      const off = this.on(check);
      signal?.addEventListener('abort', check, { once: true });
      check();
    });
  }

  /** Everything cached, as the compiler's input. */
  objects(): WatchedObject[] {
    return this.informers.flatMap((informer) => informer.list());
  }

  find(kind: string, namespace: string | undefined, name: string): WatchedObject | undefined {
    for (const informer of this.informers) {
      if (informer.resource.kind !== kind) continue;
      const found = informer.get(name, informer.resource.namespaced ? namespace : undefined);
      if (found) return found;
    }
    return undefined;
  }

  #emit(event: ClusterEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
