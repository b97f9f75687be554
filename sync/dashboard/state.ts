/**
 * What the dashboard shows, kept up to date by whoever serves it (the agent,
 * `edgress dev`): the last compiled table and its diagnostics, the tables
 * this process published (newest first, the first one in force) and the
 * statistics source. Compiles and publishes are observed by wrapping the
 * incremental compiler and the publisher, so the agent itself is unchanged.
 *
 * @example
 * ```ts
 * const state = new DashboardState({ mode: 'agent', stats: reader });
 * const agent = new SyncAgent(settings, { ...deps, compiler: state.observeCompiler(createIncrementalCompiler), publisher: state.observePublisher(publisher) });
 * ```
 */
import type { CompileResult, Diagnostic, ProviderOptions } from '../../src/compile/api.ts';
import type { Table } from '../../src/table/schema.ts';
import type { ObjectsCompiler } from '../agent/publish-cycle.ts';
import type { PublishOutcome, Publisher } from '../publish/publisher.ts';
import type { StatsSource } from '../stats/snapshot.ts';

export interface Publication {
  readonly version: string;
  /** When it came into force (ms since the epoch). */
  readonly at: number;
  readonly routes: number;
}

/** Publications listed at most (the rest are in `edgress rollback --list`). */
export const MAX_PUBLICATIONS = 50;

export interface DashboardOptions {
  /** `dev`: `edgress dev`; `agent`: `edgress sync`. */
  readonly mode: 'dev' | 'agent';
  readonly stats: StatsSource;
  /** The flags `edgress rollback` needs to reach the published tables (`--kv-namespace-id <id>`); absent: no rollback (dev, --out). */
  readonly rollbackTarget?: string;
  /** The agent's edge-hosts reconciler (`--edge-hosts`), when it manages hosts. */
  readonly edgeHosts?: EdgeHostsSource;
  readonly now?: () => number;
}

/** What the dashboard shows of edge hosts: the mode, and the last reconcile's report per host. */
export interface EdgeHostsSource {
  readonly mode: string;
  readonly reports: readonly EdgeHostReport[];
}

export interface EdgeHostReport {
  readonly host: string;
  readonly ingresses: readonly string[];
  readonly httpRoutes?: readonly string[];
  readonly zone?: string;
  readonly status: string;
  readonly via?: string;
  readonly detail: string;
  readonly tls?: unknown;
}

export class DashboardState {
  readonly mode: 'dev' | 'agent';
  readonly stats: StatsSource;
  readonly startedAt: number;
  readonly now: () => number;
  readonly rollbackTarget: string | undefined;
  readonly edgeHosts: EdgeHostsSource | undefined;
  #table: Table | undefined;
  #diagnostics: readonly Diagnostic[] = [];
  #compiledAt: number | undefined;
  readonly #publications: Publication[] = [];

  constructor(options: DashboardOptions) {
    this.mode = options.mode;
    this.stats = options.stats;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.rollbackTarget = options.rollbackTarget;
    this.edgeHosts = options.edgeHosts;
  }

  get table(): Table | undefined {
    return this.#table;
  }

  get diagnostics(): readonly Diagnostic[] {
    return this.#diagnostics;
  }

  get compiledAt(): number | undefined {
    return this.#compiledAt;
  }

  /** Newest first; the first is in force. */
  get publications(): readonly Publication[] {
    return this.#publications;
  }

  compiled(result: Pick<CompileResult, 'table' | 'diagnostics'>): void {
    this.#table = result.table;
    this.#diagnostics = result.diagnostics;
    this.#compiledAt = this.now();
  }

  published(outcome: PublishOutcome, table: Table): void {
    if (!outcome.changed && this.#publications[0]?.version === outcome.version) return;
    this.#publications.unshift({ version: outcome.version, at: this.now(), routes: table.routers.length });
    if (this.#publications.length > MAX_PUBLICATIONS) this.#publications.length = MAX_PUBLICATIONS;
  }

  observeCompiler(factory: (provider: ProviderOptions) => ObjectsCompiler): (provider: ProviderOptions) => ObjectsCompiler {
    return (provider) => {
      const compiler = factory(provider);
      const observed = (result: CompileResult) => {
        this.compiled(result);
        return result;
      };
      return {
        update: (changes) => observed(compiler.update(changes)),
        sync: (objects) => observed(compiler.sync(objects)),
        ...(compiler.selection ? { selection: () => compiler.selection!() } : {}),
      };
    };
  }

  observePublisher(publisher: Publisher): Publisher {
    return {
      publish: async (table: Table) => {
        const outcome = await publisher.publish(table);
        this.published(outcome, table);
        return outcome;
      },
    };
  }
}
