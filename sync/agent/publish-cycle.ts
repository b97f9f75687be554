/**
 * One pass from cache to edge: compile what changed in the informers, and,
 * as the leader, publish the table when it changed, then write Ingress and
 * Gateway API status and Events. Guards: nothing is compiled from incomplete
 * caches, and a table that would remove more than the allowed share of the
 * routes in force is held back. The table in force stays whatever happens.
 * With edge hosts on, the hosts of the table in force are then attached at
 * the edge (and those it no longer has detached), and their problems join
 * the Events.
 *
 * One path, fed by the changes: the source's changes since the last pass go
 * to the incremental compiler (`createIncrementalCompiler`) as they are, and
 * only after a list (`relist`) is every cached object handed over (the
 * compiler diffs them by identity). The compiler hands the same table back
 * when nothing in it changed, so "unchanged" is decided by identity instead
 * of hashing the whole table; the publisher encodes only the shards that
 * changed (`PublicationBuilder`) and its version is the table's.
 *
 * @example
 * ```ts
 * const cycle = new PublishCycle({ compiler: createIncrementalCompiler(provider), publisher, provider, log, metrics, clock });
 * const outcome = await cycle.run(cache, { leading: true });
 * ```
 */
import type { CompileResult, Diagnostic, KubeObject, ProviderOptions } from '../../src/compile/api.ts';
import type { ObjectChange } from '../../src/compile/incremental/index.ts';
import { formatSelectionSummary, selectIngresses, summarizeSelection, type IngressSelection } from '../../src/compile/selection.ts';
import type { Table } from '../../src/table/schema.ts';
import type { Publisher } from '../publish/publisher.ts';
import type { Clock } from '../common/clock.ts';
import type { DiagnosticEvents } from './events.ts';
import type { GatewayStatusUpdater } from './gateway-status.ts';
import { DEFAULT_MAX_REMOVAL_SHARE, isMassRemoval, removal } from './guard.ts';
import { describeError } from '../common/kube/errors.ts';
import type { Logger } from '../common/log.ts';
import type { AgentMetrics } from './metrics.ts';
import type { IngressStatusUpdater } from './status.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';
import type { TakenChanges } from './informer/cluster-cache.ts';

/** The incremental compiler, as the cycle uses it (`createIncrementalCompiler`). */
export interface ObjectsCompiler {
  /** Applies the informers' changes. */
  update(changes: readonly ObjectChange[]): CompileResult;
  /** Makes the objects held exactly these (after a list). */
  sync(objects: readonly KubeObject[]): CompileResult;
  /** Every Ingress held and whether it is served, for the summary line. */
  selection?(): readonly IngressSelection[];
}

export type CycleOutcome =
  | { readonly kind: 'unsynced'; readonly unsynced: readonly string[] }
  | { readonly kind: 'follower'; readonly routes: number }
  | { readonly kind: 'unchanged'; readonly version: string; readonly routes: number; readonly edgeFailed?: boolean }
  | { readonly kind: 'held'; readonly share: number; readonly routes: number }
  | { readonly kind: 'published'; readonly version: string; readonly routes: number; readonly edgeFailed?: boolean }
  | { readonly kind: 'failed'; readonly error: string };

export interface CycleSource extends ObjectLookup {
  readonly synced: boolean;
  readonly unsynced: readonly string[];
  /** Every object cached: read only after a relist, and for the summary without a compiler's selection. */
  objects(): readonly KubeObject[];
  /** What changed since the last pass (`ClusterCache.takeChanges`). */
  takeChanges(): TakenChanges;
}

export interface PublishCycleOptions {
  readonly compiler: ObjectsCompiler;
  readonly publisher: Publisher;
  readonly provider: ProviderOptions;
  readonly clock: Clock;
  readonly log: Logger;
  readonly metrics: AgentMetrics;
  readonly maxRemovalShare?: number;
  readonly allowMassRemoval?: boolean;
  /** The table already in force where the agent publishes (e.g. the `--out` file), for the guard. */
  readonly baseline?: Table;
  readonly status?: IngressStatusUpdater;
  /** Gateway API status from the compiler's report (leader only, as Ingress status). */
  readonly gatewayStatus?: GatewayStatusUpdater;
  readonly events?: DiagnosticEvents;
  /** Attaches the hosts of the table in force at the edge, after each publish (`sync/edge-hosts/`). */
  readonly edge?: EdgeReconcile;
}

/** What the cycle needs of `EdgeHostsReconciler`. */
export interface EdgeReconcile {
  reconcile(table: Table | undefined, lookup: ObjectLookup): Promise<{ readonly failed: boolean; readonly diagnostics: readonly Diagnostic[]; readonly reports: readonly { readonly status: string }[] }>;
}

export class PublishCycle {
  readonly #options: PublishCycleOptions;
  /**
   * The table in force: the baseline read at start, then the last one this
   * cycle published (an incremental compiler hands that same object back
   * while nothing changed).
   */
  #published: Table | undefined;
  #version: string | undefined;
  #lastFailed = false;
  /** The summary line last logged: it is logged again only when it changes. */
  #summary: string | undefined;

  constructor(options: PublishCycleOptions) {
    this.#options = options;
    this.#published = options.baseline;
  }

  /** A table has been published, and the last publish did not fail. */
  get publishedAndCurrent(): boolean {
    return this.#version !== undefined && !this.#lastFailed;
  }

  /** A new leader republishes: it cannot know what the previous one left in force. */
  forgetPublishedVersion(): void {
    this.#version = undefined;
  }

  async run(source: CycleSource, { leading }: { leading: boolean }): Promise<CycleOutcome> {
    const { log, metrics } = this.#options;
    if (!source.synced) {
      metrics.publishesHeld.inc({ reason: 'unsynced' });
      log.warn('publish-held', { reason: 'informers not synced; the table in force stays', unsynced: source.unsynced });
      return { kind: 'unsynced', unsynced: source.unsynced };
    }
    const result = this.#compile(source);
    this.#logSummary(result, source);
    const routes = result.table.routers.length;
    if (!leading) return { kind: 'follower', routes };
    const unchanged = this.#version !== undefined && result.table === this.#published;
    let outcome: CycleOutcome;
    if (unchanged) outcome = { kind: 'unchanged', version: this.#version!, routes };
    else {
      const limit = this.#options.maxRemovalShare ?? DEFAULT_MAX_REMOVAL_SHARE;
      if (isMassRemoval(this.#published, result.table, limit) && !this.#options.allowMassRemoval) {
        const { removed, share } = removal(this.#published, result.table);
        metrics.publishesHeld.inc({ reason: 'mass-removal' });
        log.error('publish-held', { reason: 'mass removal', removed, removedShare: round(share), maxRemovalShare: limit, routes, hint: 'the table in force stays; pass --allow-mass-removal to publish it' });
        return { kind: 'held', share, routes };
      }
      outcome = await this.#publish(result.table);
    }
    if (outcome.kind === 'failed') return outcome;
    // After the publish: hosts come to the edge once the table serving them is in force, and leave once a table without them is.
    const edge = await this.#options.edge?.reconcile(this.#published, source);
    if (edge) this.#countEdgeHosts(edge.reports);
    await this.#report(result, source, edge?.diagnostics ?? []);
    return edge?.failed && (outcome.kind === 'published' || outcome.kind === 'unchanged') ? { ...outcome, edgeFailed: true } : outcome;
  }

  #compile(source: CycleSource): CompileResult {
    const { compiler, metrics } = this.#options;
    const taken = source.takeChanges();
    const result = taken.relist ? compiler.sync(source.objects()) : compiler.update(taken.changes);
    metrics.routes.set(result.table.routers.length);
    metrics.diagnostics.reset();
    for (const severity of ['error', 'warning'] as const) metrics.diagnostics.set({ severity }, result.diagnostics.filter((d) => d.severity === severity).length);
    return result;
  }

  /** Ingresses served, skipped by reason, diagnostics by severity: logged when any of it changes. */
  #logSummary(result: CompileResult, source: CycleSource): void {
    const { compiler, provider, log } = this.#options;
    const selection = compiler.selection ? compiler.selection() : selectIngresses(source.objects(), provider);
    const summary = summarizeSelection(selection, result);
    const line = formatSelectionSummary(summary);
    if (line === this.#summary) return;
    this.#summary = line;
    log.info('summary', { summary: line, served: summary.served, skipped: summary.skipped, errors: summary.errors, warnings: summary.warnings });
  }

  async #publish(table: Table): Promise<CycleOutcome> {
    const { publisher, log, metrics, clock } = this.#options;
    try {
      const outcome = await publisher.publish(table);
      const version = outcome.version;
      this.#published = table;
      this.#version = version;
      this.#lastFailed = false;
      metrics.lastPublishSuccess.set(clock.now() / 1000);
      log.info('published', { version: outcome.version, routes: table.routers.length, written: outcome.valuesWritten });
      // An incremental compile can give the content in force as a new table (changes that cancelled out): the publisher tells.
      if (!outcome.changed) return { kind: 'unchanged', version, routes: table.routers.length };
      return { kind: 'published', version, routes: table.routers.length };
    } catch (error) {
      this.#lastFailed = true;
      metrics.publishErrors.inc();
      log.error('publish-failed', { error: describeError(error), hint: 'the table in force stays; retrying' });
      return { kind: 'failed', error: describeError(error) };
    }
  }

  #countEdgeHosts(reports: readonly { readonly status: string }[]): void {
    const { metrics } = this.#options;
    metrics.edgeHosts.reset();
    for (const report of reports) metrics.edgeHosts.inc({ status: report.status });
    // The table's guard holds detaching hosts too: the same counter says so.
    if (reports.some((report) => report.status === 'detach-held')) metrics.publishesHeld.inc({ reason: 'edge-mass-removal' });
  }

  async #report(result: CompileResult, source: CycleSource, edgeDiagnostics: readonly Diagnostic[]): Promise<void> {
    await this.#options.status?.update(result.served, source);
    await this.#options.gatewayStatus?.update(result.gateway, source);
    await this.#options.events?.record([...result.diagnostics, ...edgeDiagnostics], source);
  }
}

function round(share: number): number {
  return Math.round(share * 1000) / 1000;
}
