/**
 * The sync agent: informers → coalesced compile → publish → status and
 * Events, until stopped. Nothing is compiled before every informer has
 * synced; changes arriving together are compiled once (a quiet period,
 * bounded by a maximum delay, and never two publishes closer than the
 * minimum interval: Workers KV takes one write per second per key). A failed
 * publish is retried with backoff. `stop()` lets a publish in flight finish.
 *
 * @example
 * ```ts
 * const agent = new SyncAgent(settings, { client, writers, publisher });
 * agent.start();
 * process.once('SIGTERM', () => void agent.stop().then(() => process.exit(0)));
 * ```
 */
import { Backoff, type BackoffOptions } from '../common/backoff.ts';
import { systemClock, type Clock } from '../common/clock.ts';
import type { IngressEndpointSettings } from './config-file.ts';
import { DiagnosticEvents } from './events.ts';
import { ClusterCache, planInformers, reportClusterEvent, type ClusterEvent } from './informer/cluster-cache.ts';
import { describeServed, GatewayApiWatch } from './informer/gateway-api.ts';
import type { KubeClient } from '../common/kube/client.ts';
import { servesEndpointSlices } from '../common/kube/discovery.ts';
import { servedGatewayApi } from '../common/kube/gateway-discovery.ts';
import { describeError } from '../common/kube/errors.ts';
import type { KubeWriters } from '../common/kube/writers.ts';
import { LeaderElector, type LeaderOptions } from './leader.ts';
import { silentLogger, type Logger } from '../common/log.ts';
import { AgentMetrics } from './metrics.ts';
import { PublishCycle, type CycleOutcome, type EdgeReconcile, type ObjectsCompiler, type PublishCycleOptions } from './publish-cycle.ts';
import { GatewayStatusUpdater } from './gateway-status.ts';
import { IngressStatusUpdater } from './status.ts';
import type { Publisher } from '../publish/publisher.ts';
import type { ProviderOptions } from '../../src/compile/api.ts';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';
import type { Table } from '../../src/table/schema.ts';

/** Changes this close together are compiled together. */
export const COALESCE_QUIET_MS = 100;
/** A change is compiled at most this long after it arrived, however busy the cluster. */
export const COALESCE_MAX_DELAY_MS = 1_000;
/** Publishes are at least this far apart (Workers KV: one write per second to a key). */
export const MIN_PUBLISH_INTERVAL_MS = 1_000;
/** `--once` tries a failing list this many times. */
export const ONCE_LIST_ATTEMPTS = 3;
/** With edge hosts, a cycle runs at least this often, so a failed edge change is retried and drift found without a cluster change. */
export const EDGE_TICK_MS = 30_000;

export interface AgentSettings {
  readonly provider: ProviderOptions;
  readonly ingressEndpoint?: IngressEndpointSettings;
  readonly maxRemovalShare?: number;
  readonly allowMassRemoval?: boolean;
  readonly baseline?: Table;
  readonly quietMs?: number;
  readonly maxDelayMs?: number;
  readonly minPublishIntervalMs?: number;
  /** Edge hosts: the longest time between two cycles ({@link EDGE_TICK_MS}). */
  readonly edgeTickMs?: number;
  /** Undefined: this agent always leads (a single replica, `edgress dev`). */
  readonly leaderElection?: LeaderOptions;
  /** How often discovery is asked whether the Gateway API CRDs came or went (`GATEWAY_DISCOVERY_INTERVAL_MS`). */
  readonly gatewayDiscoveryMs?: number;
}

export interface AgentDeps {
  readonly client: Pick<KubeClient, 'list' | 'watch' | 'getJson'>;
  /** Undefined: no status, Events or Lease (publishing only). */
  readonly writers?: KubeWriters;
  readonly publisher: Publisher;
  /** The incremental compiler for the provider options; default `createIncrementalCompiler` (the dashboard wraps it to observe compiles). */
  readonly compiler?: (provider: ProviderOptions) => ObjectsCompiler;
  readonly clock?: Clock;
  readonly log?: Logger;
  readonly metrics?: AgentMetrics;
  readonly backoff?: BackoffOptions;
  /** Edge hosts (`--edge-hosts`): run after every publish. */
  readonly edge?: EdgeReconcile;
}

export class SyncAgent {
  readonly metrics: AgentMetrics;
  readonly #settings: AgentSettings;
  readonly #deps: AgentDeps;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #stop = new AbortController();
  readonly #cycle: PublishCycle;
  readonly #elector: LeaderElector | undefined;
  #cache: ClusterCache | undefined;
  #gateway: GatewayApiWatch | undefined;
  #running: Promise<void> | undefined;
  #dirty: { first: number; last: number } | undefined;
  #wake: () => void = () => {};
  #lastRun = -Infinity;

  constructor(settings: AgentSettings, deps: AgentDeps) {
    this.#settings = settings;
    this.#deps = deps;
    this.#clock = deps.clock ?? systemClock;
    this.#log = deps.log ?? silentLogger;
    this.metrics = deps.metrics ?? new AgentMetrics();
    this.#cycle = new PublishCycle(this.#cycleOptions());
    const election = settings.leaderElection;
    this.#elector = election && deps.writers ? new LeaderElector(deps.writers.leases, election, this.#clock, this.#log) : undefined;
  }

  /** Synced and, when leading, the table published and the last publish successful (followers: synced). */
  get ready(): boolean {
    return Boolean(this.#cache?.synced) && (!this.leading || this.#cycle.publishedAndCurrent);
  }

  get leading(): boolean {
    return this.#elector?.leading ?? true;
  }

  /** Starts connecting, watching and publishing in the background (an unreachable API server is retried). */
  start(): void {
    this.#running ??= this.#run();
  }

  async #run(): Promise<void> {
    const cache = await this.#connect();
    if (!cache) return;
    cache.on((event) => this.#onClusterEvent(event));
    cache.start();
    void this.#gateway?.run(this.#stop.signal);
    this.#elector?.onChange((leading) => {
      this.metrics.leader.set(leading ? 1 : 0);
      if (leading) this.#cycle.forgetPublishedVersion();
      this.#markDirty();
    });
    this.#elector?.start();
    if (!this.#elector) this.metrics.leader.set(1);
    if (this.#deps.edge) void this.#tick();
    await this.#loop(cache);
  }

  /** Stops: the publish in flight (if any) finishes first; the Lease is released. */
  async stop(): Promise<void> {
    this.#stop.abort();
    this.#wake();
    await this.#running;
    await this.#elector?.stop();
    await this.#gateway?.stop();
    await this.#cache?.stop();
  }

  /** `--once`: list everything, compile, publish, report; no watch, no leader election. */
  async runOnce(): Promise<CycleOutcome> {
    const cache = await this.#connect(ONCE_LIST_ATTEMPTS);
    if (!cache) return { kind: 'failed', error: 'could not reach the API server' };
    const backoff = new Backoff(this.#deps.backoff);
    for (let attempt = 1; ; attempt++) {
      try {
        await cache.listOnce();
        break;
      } catch (error) {
        this.#log.error('list-failed', { attempt, error: describeError(error) });
        if (attempt >= ONCE_LIST_ATTEMPTS) return { kind: 'unsynced', unsynced: cache.unsynced };
        await this.#clock.sleep(backoff.next(), this.#stop.signal);
      }
    }
    return this.#cycle.run(cache, { leading: true });
  }

  /** Discovery (EndpointSlices or Endpoints), retried with backoff, then the informers. */
  async #connect(attempts = Infinity): Promise<ClusterCache | undefined> {
    const backoff = new Backoff(this.#deps.backoff);
    for (let attempt = 1; !this.#stop.signal.aborted; attempt++) {
      try {
        const endpointSlices = await servesEndpointSlices(this.#deps.client);
        const gatewayApi = await servedGatewayApi(this.#deps.client);
        const { provider, ingressEndpoint } = this.#settings;
        const published = ingressEndpoint?.publishedService?.split('/')[0];
        const scope = { namespaces: provider.namespaces ?? [], labelSelector: provider.labelSelector, endpointSlices, extraServiceNamespaces: published ? [published] : [], configMaps: provider.ingressNginx === true, gatewayApi };
        this.#log.info('connected', { endpointSlices, gatewayApi: describeServed(gatewayApi).installed, namespaces: scope.namespaces.length > 0 ? scope.namespaces : 'all' });
        const deps = { client: this.#deps.client, clock: this.#clock, backoff: () => new Backoff(this.#deps.backoff) };
        this.#cache = new ClusterCache(planInformers(scope, deps));
        const gatewayOptions = { ...deps, discovery: this.#deps.client, scope, log: this.#log, intervalMs: this.#settings.gatewayDiscoveryMs, onChange: () => this.#markDirty() };
        this.#gateway = new GatewayApiWatch(this.#cache, gatewayOptions, gatewayApi);
        return this.#cache;
      } catch (error) {
        const retryInMs = backoff.next();
        this.#log.error('discovery-failed', { attempt, error: describeError(error), retryInMs });
        if (attempt >= attempts) return undefined;
        await this.#clock.sleep(retryInMs, this.#stop.signal);
      }
    }
    return undefined;
  }

  async #loop(cache: ClusterCache): Promise<void> {
    await cache.waitForSync(this.#stop.signal);
    if (this.#stop.signal.aborted) return;
    this.#log.info('synced', { objects: cache.objects().length });
    this.#markDirty();
    const backoff = new Backoff(this.#deps.backoff);
    while (!this.#stop.signal.aborted) {
      const batch = await this.#nextBatch();
      if (!batch) return;
      // Not aborted by stop(): the publish in flight finishes.
      const outcome = await this.#cycle.run(cache, { leading: this.leading });
      this.#lastRun = this.#clock.now();
      this.metrics.syncDuration.observe((this.#lastRun - batch.first) / 1000);
      if (outcome.kind === 'failed') {
        await this.#clock.sleep(backoff.next(), this.#stop.signal);
        this.#markDirty();
      } else backoff.reset();
    }
  }

  async #tick(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      await this.#clock.sleep(this.#settings.edgeTickMs ?? EDGE_TICK_MS, this.#stop.signal).catch(() => undefined);
      if (!this.#stop.signal.aborted && this.#cache?.synced) this.#markDirty();
    }
  }

  /** Waits for a change, then for the batch around it to settle (quiet period, bounded). */
  async #nextBatch(): Promise<{ first: number } | undefined> {
    while (!this.#dirty && !this.#stop.signal.aborted) await new Promise<void>((resolve) => (this.#wake = resolve));
    const quiet = this.#settings.quietMs ?? COALESCE_QUIET_MS;
    const maxDelay = this.#settings.maxDelayMs ?? COALESCE_MAX_DELAY_MS;
    const interval = this.#settings.minPublishIntervalMs ?? MIN_PUBLISH_INTERVAL_MS;
    for (;;) {
      const dirty = this.#dirty;
      if (!dirty || this.#stop.signal.aborted) return undefined;
      const due = Math.max(Math.min(dirty.last + quiet, dirty.first + maxDelay), this.#lastRun + interval);
      const wait = due - this.#clock.now();
      if (wait <= 0) {
        this.#dirty = undefined;
        return dirty;
      }
      await this.#clock.sleep(wait, this.#stop.signal);
    }
  }

  #markDirty(): void {
    const now = this.#clock.now();
    this.#dirty = { first: this.#dirty?.first ?? now, last: now };
    this.#wake();
  }

  #onClusterEvent(event: ClusterEvent): void {
    if (event.type === 'change' || event.type === 'synced') this.#markDirty();
    this.#gateway?.onClusterEvent(event);
    reportClusterEvent(event, this.#cache?.synced === true, this.metrics, this.#log);
  }

  #cycleOptions(): PublishCycleOptions {
    const [settings, deps, endpoint] = [this.#settings, this.#deps, this.#settings.ingressEndpoint];
    return {
      compiler: (deps.compiler ?? createIncrementalCompiler)(settings.provider),
      publisher: deps.publisher,
      provider: settings.provider,
      clock: this.#clock,
      log: this.#log,
      metrics: this.metrics,
      maxRemovalShare: settings.maxRemovalShare,
      allowMassRemoval: settings.allowMassRemoval,
      baseline: settings.baseline,
      status: deps.writers && IngressStatusUpdater.enabled(endpoint) ? new IngressStatusUpdater(endpoint, deps.writers.status, this.#log) : undefined,
      gatewayStatus: deps.writers?.gateway ? new GatewayStatusUpdater(deps.writers.gateway, this.#clock, this.#log) : undefined,
      events: deps.writers ? new DiagnosticEvents(deps.writers.events, this.#clock, this.#log) : undefined,
      edge: deps.edge,
    };
  }
}
