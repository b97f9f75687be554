/**
 * The Gateway API informers follow the CRDs: discovery is checked again
 * every {@link GATEWAY_DISCOVERY_INTERVAL_MS} and at once when a Gateway API
 * list answers 404 (the CRDs were deleted). Installed since the last check:
 * their informers list on their own and join the cache once every one of
 * them has synced, so the table in force keeps being updated meanwhile (a
 * list that fails, e.g. 403 without the RBAC rules, is logged once and
 * retried, and holds nothing back). Deleted: they leave the cache, with
 * their objects, instead of failing their lists forever. Without the CRDs
 * the agent serves Ingresses as before and logs nothing about them.
 *
 * @example
 * ```ts
 * const gateway = new GatewayApiWatch(cache, { ...deps, onChange: markDirty }, await servedGatewayApi(client));
 * void gateway.run(stopSignal);
 * ```
 */
import type { Clock } from '../../common/clock.ts';
import type { ListWatchInformer } from './informer.ts';
import type { KubeClient } from '../../common/kube/client.ts';
import { describeError, statusOf } from '../../common/kube/errors.ts';
import { sameResources, servedGatewayApi } from '../../common/kube/gateway-discovery.ts';
import { GATEWAY_API_RESOURCES, NAMESPACES, type WatchedResource } from '../../common/kube/resources.ts';
import type { Logger } from '../../common/log.ts';
import { planGatewayInformers, type ClusterCache, type ClusterEvent, type InformerDeps, type WatchScope } from './cluster-cache.ts';

/** How often discovery is asked whether the Gateway API CRDs came or went. */
export const GATEWAY_DISCOVERY_INTERVAL_MS = 60_000;

export interface GatewayApiWatchOptions extends InformerDeps {
  readonly discovery: Pick<KubeClient, 'getJson'>;
  readonly scope: Pick<WatchScope, 'namespaces'>;
  readonly clock: Clock;
  readonly log: Logger;
  /** How often discovery is asked again; `0`: only when a Gateway API list answers 404 (tests with a manual clock). */
  readonly intervalMs?: number;
  /** The informers changed: compile again. */
  readonly onChange: () => void;
}

const GATEWAY_KINDS = new Set(GATEWAY_API_RESOURCES.map((resource) => resource.kind));

export function isGatewayApiKind(kind: string): boolean {
  return GATEWAY_KINDS.has(kind);
}

/** The informers that come and go with the CRDs: the Gateway API kinds and the Namespaces watched for them. */
function followsCrds(informer: ListWatchInformer): boolean {
  return isGatewayApiKind(informer.resource.kind) || informer.resource.kind === NAMESPACES.kind;
}

export class GatewayApiWatch {
  readonly #cache: ClusterCache;
  readonly #options: GatewayApiWatchOptions;
  #served: readonly WatchedResource[];
  #checking: Promise<void> | undefined;
  /** Informers of a new installation, listing until all have synced; then they join the cache. */
  #pending: ListWatchInformer[] = [];

  /** `served`: what discovery listed when the cache was planned (its informers are already in it). */
  constructor(cache: ClusterCache, options: GatewayApiWatchOptions, served: readonly WatchedResource[]) {
    this.#cache = cache;
    this.#options = options;
    this.#served = served;
  }

  get installed(): boolean {
    return this.#served.length > 0;
  }

  /** Re-checks discovery on an interval until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, intervalMs = GATEWAY_DISCOVERY_INTERVAL_MS } = this.#options;
    if (intervalMs <= 0) return;
    while (!signal.aborted) {
      await clock.sleep(intervalMs, signal).catch(() => undefined);
      if (!signal.aborted) await this.recheck();
    }
  }

  /** A Gateway API list or watch answering 404 means the CRDs are gone: check now rather than at the next interval. */
  onClusterEvent(event: ClusterEvent): void {
    if (event.type === 'error' && isGatewayApiKind(event.informer.resource.kind) && statusOf(event.error) === 404) void this.recheck();
  }

  /** One discovery check; concurrent calls share it. */
  recheck(): Promise<void> {
    this.#checking ??= this.#check().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #check(): Promise<void> {
    const { log } = this.#options;
    let served: WatchedResource[];
    try {
      served = await servedGatewayApi(this.#options.discovery);
    } catch (error) {
      // The informers stay as they are; the next interval asks again.
      log.debug('gateway-api-discovery-failed', { error: describeError(error) });
      return;
    }
    if (sameResources(served, this.#served)) return;
    const pending = this.#pending.splice(0);
    await Promise.all(pending.map((informer) => informer.stop()));
    const removed = await this.#cache.remove(followsCrds);
    this.#served = served;
    log.info('gateway-api', describeServed(served));
    if (removed.length > 0) this.#options.onChange();
    if (served.length > 0) this.#join(planGatewayInformers(this.#options.scope, this.#options, served));
  }

  /** Starts the informers apart from the cache; they join it (and a compile follows) when all have synced. */
  #join(informers: ListWatchInformer[]): void {
    this.#pending = informers;
    let warned = false;
    const offs = informers.map((informer) =>
      informer.on((event) => {
        if (this.#pending !== informers) return offs.forEach((off) => off());
        if (event.type === 'error' && !warned) {
          warned = true;
          const hint = 'Ingresses are served meanwhile; the agent needs get/list/watch on the gateway.networking.k8s.io kinds (deploy/base/rbac.yaml)';
          this.#options.log.warn('gateway-api-list-failed', { informer: informer.description, error: describeError(event.error), hint });
        }
        if (event.type !== 'synced' || !informers.every((candidate) => candidate.state === 'synced')) return;
        for (const off of offs) off();
        this.#pending = [];
        this.#cache.add(informers);
        this.#options.onChange();
      }),
    );
    for (const informer of informers) informer.start();
  }

  /** Stops informers still waiting to join (the cache stops those that joined). */
  async stop(): Promise<void> {
    await Promise.all(this.#pending.splice(0).map((informer) => informer.stop()));
  }
}

/** For the log: whether the CRDs are there, and which kinds at which version. */
export function describeServed(served: readonly WatchedResource[]): { installed: boolean; kinds?: string[] } {
  return served.length === 0 ? { installed: false } : { installed: true, kinds: served.map((resource) => `${resource.kind} ${resource.apiVersion}`) };
}
