/**
 * The incremental compiler's result, assembled from the Ingresses' results
 * the way `compile()` assembles its table: routers oldest Ingress first,
 * middlewares and services (pools, then weighted groups over them) in id
 * order, diagnostics of reading objects first, then of each Ingress by age,
 * served Ingresses sorted.
 *
 * A pass costs what it changed, not the table's size: routers are copied
 * and patched where Ingresses kept their router count, and the middleware
 * and service records are built again only when their ids change — when
 * only values change they are replaced in place, so successive results
 * share these two records. What did not change is handed out again (the
 * same objects), so consumers can tell changes by identity.
 *
 * @example
 * ```ts
 * output.retracted(state); output.published(state);
 * const compiled = output.build(sources); // undefined when nothing changed
 * ```
 */
import type { CompileResult, Diagnostic } from '../api.ts';
import type { Middleware } from '../../table/middleware.ts';
import { TABLE_SCHEMA_VERSION, type Router, type Service, type Table } from '../../table/schema.ts';
import type { IngressResult } from './ingress-run.ts';
import { CountedIds, insertSorted, lowerBound, removeSorted } from './sorted-ids.ts';

/** An Ingress as the output sees it; `routerOffset`/`routerCount` place its routers in the last table. */
export interface OutputIngress {
  readonly key: string;
  readonly owned: boolean;
  readonly result: IngressResult | undefined;
  routerOffset: number;
  routerCount: number;
}

/** What the output reads from the rest of the compiler. */
export interface OutputSources {
  /** Every Ingress, oldest first. */
  readonly ordered: readonly OutputIngress[];
  readonly defaultRouter: Router | undefined;
  readonly poolIds: readonly string[];
  /** Pool ids appeared or went since the last pass. */
  readonly poolIdsChanged: boolean;
  /** Pools whose content may have changed since the last pass. */
  readonly changedPools: ReadonlySet<string>;
  pool(id: string): Service | undefined;
  /** Problems found reading objects (and the provider options), in input order. */
  readDiagnostics(): readonly Diagnostic[];
}

export class TableOutput {
  readonly #middlewares = new CountedIds<Middleware>();
  readonly #weighted = new CountedIds<Service>();
  readonly #served: string[] = [];
  /** Served or not, by Ingress key, as this pass leaves them. */
  readonly #servedDelta = new Map<string, boolean>();
  /** Ingresses whose routers may differ from the last table. */
  readonly #changed = new Set<OutputIngress>();
  /** Ingresses came, went or moved: routers are gathered again. */
  #reordered = true;
  #diagnosticsChanged = true;
  #result: CompileResult | undefined;

  published(ingress: OutputIngress): void {
    const result = ingress.result!;
    for (const [id, middleware] of result.middlewares) this.#middlewares.add(id, middleware);
    for (const [id, service] of result.services) this.#weighted.add(id, service);
    this.#servedDelta.set(ingress.key, result.served);
    if (result.diagnostics.length > 0) this.#diagnosticsChanged = true;
    this.#changed.add(ingress);
  }

  retracted(ingress: OutputIngress, result: IngressResult): void {
    for (const id of result.middlewares.keys()) this.#middlewares.remove(id);
    for (const id of result.services.keys()) this.#weighted.remove(id);
    this.#servedDelta.set(ingress.key, false);
    if (result.diagnostics.length > 0) this.#diagnosticsChanged = true;
    this.#changed.add(ingress);
  }

  /** The order of Ingresses changed (one came, went, or changed its age). */
  reordered(): void {
    this.#reordered = true;
  }

  /** Problems found reading objects changed. */
  readDiagnosticsChanged(): void {
    this.#diagnosticsChanged = true;
  }

  /** The result; undefined when nothing changed since the last one. */
  build(sources: OutputSources): CompileResult | undefined {
    const previous = this.#result;
    const routers = this.#routers(sources.ordered, previous?.table.routers);
    const middlewares = this.#middlewareRecord(previous?.table.middlewares);
    const services = this.#serviceRecord(sources, previous?.table.services);
    const served = this.#servedList(previous?.served);
    const diagnostics = this.#diagnosticsChanged || !previous ? diagnosticsOf(sources) : previous.diagnostics;
    this.#diagnosticsChanged = false;
    const same = previous && routers === previous.table.routers && services.same && middlewares.same && sources.defaultRouter === previous.table.defaultRouter;
    if (same && diagnostics === previous.diagnostics && served === previous.served) return undefined;
    const table: Table = same ? previous.table : {
      schema: TABLE_SCHEMA_VERSION,
      routers,
      ...(sources.defaultRouter ? { defaultRouter: sources.defaultRouter } : {}),
      middlewares: middlewares.record,
      services: services.record,
    };
    return (this.#result = { table, diagnostics, served });
  }

  /** The routers, copied and patched when every changed Ingress kept its place and router count. */
  #routers(ordered: readonly OutputIngress[], previous: Router[] | undefined): Router[] {
    const changed = [...this.#changed];
    this.#changed.clear();
    if (previous && changed.length === 0 && !this.#reordered) return previous;
    const patchable = previous && !this.#reordered && changed.every((ingress) => routersOf(ingress).length === ingress.routerCount);
    if (patchable) {
      const moved = changed.filter((ingress) => routersOf(ingress).some((router, i) => previous[ingress.routerOffset + i] !== router));
      if (moved.length === 0) return previous;
      const routers = previous.slice();
      for (const ingress of moved) routersOf(ingress).forEach((router, i) => (routers[ingress.routerOffset + i] = router));
      return routers;
    }
    this.#reordered = false;
    const routers: Router[] = [];
    for (const ingress of ordered) {
      const own = routersOf(ingress);
      ingress.routerOffset = routers.length;
      ingress.routerCount = own.length;
      for (const router of own) routers.push(router);
    }
    return routers;
  }

  #middlewareRecord(previous: Readonly<Record<string, Middleware>> | undefined): { record: Record<string, Middleware>; same: boolean } {
    const changed = this.#middlewares.settle();
    return updateRecord(previous, changed, this.#middlewares.idsChanged, (id) => this.#middlewares.get(id), () => {
      this.#middlewares.idsChanged = false;
      return buildRecord(this.#middlewares.sorted, (id) => this.#middlewares.get(id));
    });
  }

  /** Pools and weighted groups in id order (a weighted group would win a shared id, as in `compile()`). */
  #serviceRecord(sources: OutputSources, previous: Readonly<Record<string, Service>> | undefined): { record: Record<string, Service>; same: boolean } {
    const changed = [...this.#weighted.settle(), ...sources.changedPools];
    const value = (id: string) => this.#weighted.get(id) ?? sources.pool(id);
    return updateRecord(previous, changed, this.#weighted.idsChanged || sources.poolIdsChanged, value, () => {
      this.#weighted.idsChanged = false;
      return buildRecord(mergeSorted(sources.poolIds, this.#weighted.sorted), value);
    });
  }

  #servedList(previous: readonly string[] | undefined): readonly string[] {
    let changed = !previous;
    for (const [key, served] of this.#servedDelta) changed = (served ? insertSorted(this.#served, key) : removeSorted(this.#served, key)) || changed;
    this.#servedDelta.clear();
    return changed || !previous ? [...this.#served] : previous;
  }
}

function routersOf(ingress: OutputIngress): readonly Router[] {
  return ingress.owned && ingress.result ? ingress.result.routers : [];
}

/**
 * The record again when ids changed; else the previous one with changed
 * values replaced in place (`same` when no value changed).
 */
function updateRecord<V>(
  previous: Readonly<Record<string, V>> | undefined,
  changed: readonly string[],
  idsChanged: boolean,
  value: (id: string) => V | undefined,
  rebuild: () => Record<string, V>,
): { record: Record<string, V>; same: boolean } {
  if (!previous || idsChanged || changed.some((id) => value(id) === undefined)) return { record: rebuild(), same: false };
  const record = previous as Record<string, V>;
  let same = true;
  for (const id of changed) {
    const next = value(id)!;
    if (record[id] !== next) {
      record[id] = next;
      same = false;
    }
  }
  return { record, same };
}

function buildRecord<V>(ids: readonly string[], value: (id: string) => V | undefined): Record<string, V> {
  const record: Record<string, V> = {};
  for (const id of ids) {
    const entry = value(id);
    if (entry !== undefined) record[id] = entry;
  }
  return record;
}

/** Two sorted id lists as one, without repeats. */
function mergeSorted(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return a as string[];
  const merged = [...a];
  for (const id of b) if (merged[lowerBound(merged, id)] !== id) insertSorted(merged, id);
  return merged;
}

function diagnosticsOf(sources: OutputSources): Diagnostic[] {
  const diagnostics = [...sources.readDiagnostics()];
  for (const { owned, result } of sources.ordered) if (owned && result) for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
  return diagnostics;
}
