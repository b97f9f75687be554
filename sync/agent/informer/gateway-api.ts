/**
 * The Gateway API informers follow the CRDs: discovery is checked again
 * every {@link GATEWAY_DISCOVERY_INTERVAL_MS} and at once when a Gateway API
 * list answers 404 (the CRDs were deleted). Installed since the last check:
 * their informers join the cache; deleted: they leave it, with their
 * objects, instead of failing their lists forever. Without the CRDs the
 * agent serves Ingresses as before and logs nothing but the one line that
 * says so.
 *
 * @example
 * ```ts
 * const gateway = new GatewayApiWatch(cache, { ...deps, onChange: markDirty }, await servedGatewayApi(client));
 * void gateway.run(stopSignal);
 * ```
 */
import type { Clock } from '../clock.ts';
import type { KubeClient } from '../kube/client.ts';
import { describeError, statusOf } from '../kube/errors.ts';
import { sameResources, servedGatewayApi } from '../kube/gateway-discovery.ts';
import { GATEWAY_API_RESOURCES, type WatchedResource } from '../kube/resources.ts';
import type { Logger } from '../log.ts';
import { planGatewayInformers, type ClusterCache, type ClusterEvent, type InformerDeps, type WatchScope } from './cluster-cache.ts';

/** How often discovery is asked whether the Gateway API CRDs came or went. */
export const GATEWAY_DISCOVERY_INTERVAL_MS = 60_000;

export interface GatewayApiWatchOptions extends InformerDeps {
  readonly discovery: Pick<KubeClient, 'getJson'>;
  readonly scope: Pick<WatchScope, 'namespaces'>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly intervalMs?: number;
  /** The informers changed: compile again. */
  readonly onChange: () => void;
}

const GATEWAY_KINDS = new Set(GATEWAY_API_RESOURCES.map((resource) => resource.kind));

export function isGatewayApiKind(kind: string): boolean {
  return GATEWAY_KINDS.has(kind);
}

export class GatewayApiWatch {
  readonly #cache: ClusterCache;
  readonly #options: GatewayApiWatchOptions;
  #served: readonly WatchedResource[];
  #checking: Promise<void> | undefined;

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
    await this.#cache.remove((informer) => isGatewayApiKind(informer.resource.kind));
    this.#cache.add(planGatewayInformers(this.#options.scope, this.#options, served));
    this.#served = served;
    log.info('gateway-api', describeServed(served));
    this.#options.onChange();
  }
}

/** For the log: whether the CRDs are there, and which kinds at which version. */
export function describeServed(served: readonly WatchedResource[]): { installed: boolean; kinds?: string[] } {
  return served.length === 0 ? { installed: false } : { installed: true, kinds: served.map((resource) => `${resource.kind} ${resource.apiVersion}`) };
}
