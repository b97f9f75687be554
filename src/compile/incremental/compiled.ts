/**
 * Every Ingress with its compiled result, oldest first, and the pass that
 * brings them up to date after the store changed: Ingresses whose inputs
 * changed are retracted and marked for recompiling; then one sweep in age
 * order recompiles them and checks the younger Ingresses that the
 * registries re-queued (an older Ingress's claims, default backend or first
 * use of a Service or pool changed), recompiling those whose view changed.
 *
 * @example
 * ```ts
 * const compiled = new CompiledIngresses(store, options);
 * compiled.apply(touched); // the new result, or undefined when nothing changed
 * ```
 */
import type { CompileResult, Diagnostic, Dialect, ProviderOptions } from '../api.ts';
import { compareAge } from '../cluster.ts';
import { DiagnosticSink, quote } from '../diagnostics.ts';
import { decideOwnership, type OwnershipDecision } from '../ownership.ts';
import { nginxCanaries, sameCanaries, type CanarySpec } from '../nginx/canary.ts';
import { nginxRegexHosts } from '../nginx/regex-hosts.ts';
import type { IngressModel } from '../read/ingress.ts';
import { parseLabelSelector, type LabelSelector } from '../selector.ts';
import { hostsOf, type IngressSelection } from '../selection.ts';
import { ANY_INGRESS, runIngress, type IngressResult } from './ingress-run.ts';
import { TableOutput } from './output.ts';
import { Registries } from './registries.ts';
import { MultiMap } from './multimap.ts';
import { sameContent } from './sorted-ids.ts';
import type { ObjectStore, Touched } from './store.ts';

export interface IngressState {
  readonly key: string;
  model: IngressModel;
  owned: boolean;
  /** Why it is ours or not (`owned` is `decision.ours`), and in which dialect it is read. */
  decision: OwnershipDecision;
  /** The dialect it is read in while owned. */
  dialect: Dialect | undefined;
  result: IngressResult | undefined;
  /** 0: up to date; 1: check what older Ingresses decided for it; 2: recompile. */
  pending: 0 | 1 | 2;
  /** Where its routers sit in the last table (see `./output.ts`). */
  routerOffset: number;
  routerCount: number;
  /** The result retracted before recompiling: routers compiled the same again keep their identity. */
  retracted: IngressResult | undefined;
}

const OPTIONS = { kind: 'ProviderOptions', name: 'provider' } as const;
const INVALID_SELECTOR: OwnershipDecision = { ours: false, reason: 'invalid-label-selector', detail: 'the label selector does not parse, so no Ingress is served' };

export class CompiledIngresses {
  readonly #store: ObjectStore;
  readonly #options: ProviderOptions;
  readonly #states = new Map<string, IngressState>();
  /** Oldest first, as `compile()` visits them. */
  readonly #ordered: IngressState[] = [];
  readonly #registries: Registries<IngressState>;
  /** `S:`/`E:`/`X:`/`M:` key → the Ingresses whose compile read it. */
  readonly #dependents = new MultiMap<string, IngressState>();
  readonly #output = new TableOutput();
  readonly #selector: LabelSelector | undefined;
  readonly #selectorProblem: Diagnostic[] = [];
  #decide: (ingress: IngressModel) => OwnershipDecision = () => INVALID_SELECTOR;
  /** Hosts whose nginx-dialect paths are regexes, as last decided. */
  #regexHosts: ReadonlySet<string> = new Set();
  /** Canary paths of nginx-dialect Ingresses, as last decided. */
  #canaries: ReadonlyMap<string, CanarySpec> = new Map();
  #pending = 0;

  constructor(store: ObjectStore, options: ProviderOptions) {
    this.#store = store;
    this.#options = options;
    this.#registries = new Registries<IngressState>(store, (state) => this.#queue(state, 1));
    const selector = parseLabelSelector(options.labelSelector ?? '');
    if (selector.ok) this.#selector = selector.selector;
    else {
      const sink = new DiagnosticSink();
      const message = `${quote(options.labelSelector)}: ${selector.error}; no Ingress is served`;
      sink.about(OPTIONS).error('InvalidLabelSelector', 'labelSelector', message);
      this.#selectorProblem = sink.list;
    }
    this.#decideOwnership();
  }

  /** Brings every result up to date with the store; undefined when the result did not change. */
  apply(touched: Touched): CompileResult | undefined {
    const dirty = new Set<IngressState>();
    this.#applyIngresses(touched.ingresses, dirty);
    if (touched.classes) {
      this.#decideOwnership();
      for (const state of this.#states.values()) if (this.#setOwned(state)) dirty.add(state);
    }
    if (touched.ingresses.size > 0) touched.deps.add(ANY_INGRESS);
    if (this.#options.ingressNginx === true) this.#decideRegexHosts(dirty);
    for (const dep of touched.deps) for (const state of this.#dependents.get(dep)) dirty.add(state);
    for (const state of dirty) this.#retract(state);
    for (const dep of touched.deps) if (dep[0] === 'S' || dep[0] === 'E') this.#registries.invalidateService(dep.slice(2));
    for (const state of dirty) if (state.owned) this.#queue(state, 2);
    this.#sweep();
    if (touched.diagnostics) this.#output.readDiagnosticsChanged();
    this.#registries.prune();
    const result = this.#output.build(this.#sources());
    this.#registries.settled();
    return result;
  }

  /** Every Ingress held, in no particular order, with its ownership decision (the namespaces watched only). */
  selection(): IngressSelection[] {
    return [...this.#states.values()].map((state) => ({ key: state.key, hosts: hostsOf(state.model), decision: state.decision }));
  }

  #sources() {
    const registries = this.#registries;
    return {
      ordered: this.#ordered,
      defaultRouter: registries.defaultRouter,
      poolIds: registries.poolIds,
      poolIdsChanged: registries.poolIdsChanged,
      changedPools: registries.changedPools,
      pool: (id: string) => registries.pool(id),
      readDiagnostics: () => [...this.#store.diagnostics(), ...this.#selectorProblem],
    };
  }

  /** New, changed and removed Ingress models: states follow, in age order. */
  #applyIngresses(keys: ReadonlySet<string>, dirty: Set<IngressState>): void {
    for (const key of keys) {
      const model = this.#store.ingresses.get(key);
      let state = this.#states.get(key);
      if (state?.model === model) continue;
      if (state) this.#retract(state);
      if (!model) {
        if (state) {
          this.#unorder(state);
          this.#states.delete(key);
        }
        continue;
      }
      if (!state) {
        state = { key, model, owned: false, decision: INVALID_SELECTOR, dialect: undefined, result: undefined, pending: 0, routerOffset: 0, routerCount: -1, retracted: undefined };
        this.#states.set(key, state);
        this.#order(state);
      } else if (compareAge(state.model, model) !== 0) {
        this.#unorder(state);
        state.model = model;
        this.#order(state);
      } else state.model = model;
      this.#setOwned(state);
      dirty.add(state);
    }
  }

  #decideOwnership(): void {
    const selector = this.#selector;
    this.#decide = selector ? decideOwnership(this.#options, this.#store.classes, selector) : () => INVALID_SELECTOR;
  }

  /** A change of the regex hosts or canaries recompiles every nginx-dialect Ingress (both span Ingresses). */
  #decideRegexHosts(dirty: Set<IngressState>): void {
    const nginx = this.#ordered.filter((state) => state.dialect === 'nginx');
    const models = nginx.map((state) => state.model);
    const hosts = nginxRegexHosts(models);
    const canaries = nginxCanaries(models);
    const sameHosts = hosts.size === this.#regexHosts.size && [...hosts].every((host) => this.#regexHosts.has(host));
    if (sameHosts && sameCanaries(canaries, this.#canaries)) return;
    this.#regexHosts = hosts;
    this.#canaries = canaries;
    for (const state of nginx) dirty.add(state);
  }

  /** Re-decides whether the Ingress is ours; true when that changed. */
  #setOwned(state: IngressState): boolean {
    state.decision = this.#decide(state.model);
    const dialect = state.decision.ours ? state.decision.dialect : undefined;
    if (dialect === state.dialect) return false;
    state.dialect = dialect;
    state.owned = dialect !== undefined;
    return true;
  }

  /** Recompiles what is marked, oldest first; younger Ingresses get marked on the way. */
  #sweep(): void {
    for (let i = 0; i < this.#ordered.length && this.#pending > 0; i++) {
      const state = this.#ordered[i]!;
      if (state.pending === 0) continue;
      const recompile = state.pending === 2 || !state.result || !this.#registries.verify(state.result);
      state.pending = 0;
      this.#pending--;
      if (!recompile || !state.owned) continue;
      this.#retract(state);
      this.#compile(state);
    }
    // Only states in the order can be marked; a miscount must not outlive the pass.
    this.#pending = 0;
  }

  #queue(state: IngressState, level: 1 | 2): void {
    if (state.pending >= level || this.#states.get(state.key) !== state) return;
    if (state.pending === 0) this.#pending++;
    state.pending = level;
  }

  #compile(state: IngressState): void {
    const compiled = runIngress(state.model, {
      store: this.#store, options: this.#options, older: this.#registries, dialect: state.dialect ?? 'traefik', nginxRegexHosts: this.#regexHosts, nginxCanaries: this.#canaries,
    });
    const result = state.retracted ? keepUnchanged(state.retracted, compiled) : compiled;
    state.retracted = undefined;
    state.result = result;
    this.#registries.publish(state, result);
    this.#output.published(state);
    for (const dep of result.deps) this.#dependents.add(dep, state);
  }

  #retract(state: IngressState): void {
    const result = state.result;
    if (!result) return;
    state.result = undefined;
    state.retracted = result;
    this.#registries.retract(state, result);
    this.#output.retracted(state, result);
    for (const dep of result.deps) this.#dependents.delete(dep, state);
  }

  #order(state: IngressState): void {
    this.#ordered.splice(this.#position(state.model), 0, state);
    this.#output.reordered();
  }

  #unorder(state: IngressState): void {
    this.#output.reordered();
    const index = this.#position(state.model);
    if (this.#ordered[index] === state) this.#ordered.splice(index, 1);
    else this.#ordered.splice(this.#ordered.indexOf(state), 1);
  }

  /** First index whose Ingress is not older than `model`. */
  #position(model: IngressModel): number {
    let low = 0;
    let high = this.#ordered.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareAge(this.#ordered[middle]!.model, model) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The new result with the previous routers wherever they compiled the same (consumers compare by identity). */
function keepUnchanged(previous: IngressResult, next: IngressResult): IngressResult {
  const routers = next.routers.map((router, i) => (previous.routers[i] && sameContent(previous.routers[i], router) ? previous.routers[i]! : router));
  const same = routers.length === previous.routers.length && routers.every((router, i) => router === previous.routers[i]);
  const defaultRouter = previous.defaultRouter && next.defaultRouter && sameContent(previous.defaultRouter, next.defaultRouter) ? previous.defaultRouter : next.defaultRouter;
  return { ...next, routers: same ? previous.routers : routers, defaultRouter };
}
