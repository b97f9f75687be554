/**
 * The incremental compiler's result, assembled from the Ingresses' results
 * the way `compile()` assembles its table: routers oldest Ingress first,
 * middlewares and services (pools, then weighted groups over them) in id
 * order, diagnostics of reading objects first, then of each Ingress by age,
 * served Ingresses sorted. Parts nothing touched are handed out again (the
 * same objects), so a consumer can tell what changed by identity.
 *
 * @example
 * ```ts
 * output.add(state.key, result);
 * const compiled = output.build({ ordered, defaultRouter, pool, poolIds, poolsChanged, readDiagnostics });
 * ```
 */
import type { CompileResult, Diagnostic } from '../api.ts';
import type { Middleware } from '../../table/middleware.ts';
import { TABLE_SCHEMA_VERSION, type Router, type Service, type Table } from '../../table/schema.ts';
import type { IngressResult } from './ingress-run.ts';
import { CountedIds, insertSorted, removeSorted } from './sorted-ids.ts';

/** What the output reads from the rest of the compiler. */
export interface OutputSources {
  /** Results of the Ingresses served, oldest first. */
  readonly ordered: readonly { readonly owned: boolean; readonly result: IngressResult | undefined }[];
  readonly defaultRouter: Router | undefined;
  readonly poolIds: readonly string[];
  readonly poolsChanged: boolean;
  pool(id: string): Service | undefined;
  /** Problems found reading objects (and the provider options), in input order. */
  readDiagnostics(): readonly Diagnostic[];
}

export class TableOutput {
  readonly #middlewares = new CountedIds<Middleware>();
  readonly #weighted = new CountedIds<Service>();
  readonly #served: string[] = [];
  #routersChanged = true;
  #diagnosticsChanged = true;
  #servedChanged = true;
  #result: CompileResult | undefined;

  add(key: string, result: IngressResult): void {
    for (const [id, middleware] of result.middlewares) this.#middlewares.add(id, middleware);
    for (const [id, service] of result.services) this.#weighted.add(id, service);
    if (result.served) this.#servedChanged = insertSorted(this.#served, key) || this.#servedChanged;
    this.#routersChanged = this.#diagnosticsChanged = true;
  }

  remove(key: string, result: IngressResult): void {
    for (const id of result.middlewares.keys()) this.#middlewares.remove(id);
    for (const id of result.services.keys()) this.#weighted.remove(id);
    if (result.served) this.#servedChanged = removeSorted(this.#served, key) || this.#servedChanged;
    this.#routersChanged = this.#diagnosticsChanged = true;
  }

  /** Problems found reading objects changed. */
  readDiagnosticsChanged(): void {
    this.#diagnosticsChanged = true;
  }

  /** The result; undefined when nothing changed since the last one. */
  build(sources: OutputSources): CompileResult | undefined {
    const previous = this.#result;
    const servicesChanged = sources.poolsChanged || this.#weighted.changed;
    const tableChanged = this.#routersChanged || this.#middlewares.changed || servicesChanged || previous?.table.defaultRouter !== sources.defaultRouter;
    if (previous && !tableChanged && !this.#diagnosticsChanged && !this.#servedChanged) return undefined;
    const table: Table = previous && !tableChanged ? previous.table : {
      schema: TABLE_SCHEMA_VERSION,
      routers: this.#routersChanged || !previous ? routersOf(sources.ordered) : previous.table.routers,
      ...(sources.defaultRouter ? { defaultRouter: sources.defaultRouter } : {}),
      middlewares: this.#middlewares.record(),
      services: servicesChanged || !previous ? this.#services(sources) : previous.table.services,
    };
    this.#result = {
      table,
      diagnostics: this.#diagnosticsChanged || !previous ? diagnosticsOf(sources) : previous.diagnostics,
      served: this.#servedChanged || !previous ? [...this.#served] : previous.served,
    };
    this.#routersChanged = this.#diagnosticsChanged = this.#servedChanged = false;
    return this.#result;
  }

  /** Pools and weighted groups merged in id order (a weighted group would win a shared id, as in `compile()`). */
  #services(sources: OutputSources): Record<string, Service> {
    const pools = sources.poolIds;
    const weighted = this.#weighted.sorted;
    const services: Record<string, Service> = {};
    let p = 0;
    let w = 0;
    while (p < pools.length || w < weighted.length) {
      const pool = pools[p];
      const group = weighted[w];
      if (group === undefined || (pool !== undefined && pool < group)) {
        const service = sources.pool(pool!);
        if (service) services[pool!] = service;
        p++;
      } else {
        services[group] = this.#weighted.get(group)!;
        if (pool === group) p++;
        w++;
      }
    }
    this.#weighted.changed = false;
    return services;
  }
}

function routersOf(ordered: OutputSources['ordered']): Router[] {
  const routers: Router[] = [];
  for (const { owned, result } of ordered) if (owned && result) for (const router of result.routers) routers.push(router);
  return routers;
}

function diagnosticsOf(sources: OutputSources): Diagnostic[] {
  const diagnostics = [...sources.readDiagnostics()];
  for (const { owned, result } of sources.ordered) if (owned && result) for (const diagnostic of result.diagnostics) diagnostics.push(diagnostic);
  return diagnostics;
}
