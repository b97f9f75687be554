/**
 * Where the worker gets its routes from. The question a store answers is
 * "what does a request for host H need": the exact-host group, the wildcard
 * group of H's parent domain, the host-less rules and the default backend.
 * How the table is laid out in storage (one value, or shards per host
 * bucket) stays behind this interface, so the matcher never changes with it.
 *
 * @example
 * ```ts
 * const store: TableStore = new MemoryTableStore(table);
 * const lookup = await store.forHost('shop.example.com');
 * if (lookup) selectRoute(lookup.view, '/cart', 'https');
 * ```
 */
import { compileTable, hostView, type CompiledTable, type HostView } from '../match/compiled-table.ts';
import type { Table } from '../table/schema.ts';

/** The routes one host can match, from one table version. */
export interface HostLookup {
  /** Content hash of the table version these routes come from. */
  readonly version: string;
  readonly view: HostView;
}

export interface TableStore {
  /**
   * The routes a request for `host` (already normalised) may need; `null` when no table is
   * available. A store may answer a warm host at once rather than through a promise.
   */
  forHost(host: string): HostLookup | null | Promise<HostLookup | null>;
}

/** A store over one table held in memory (tests, `edgress explain`). */
export class MemoryTableStore implements TableStore {
  readonly #compiled: CompiledTable;
  readonly #version: string;

  constructor(table: Table, version = 'memory') {
    this.#compiled = compileTable(table);
    this.#version = version;
  }

  async forHost(host: string): Promise<HostLookup> {
    return { version: this.#version, view: hostView(this.#compiled, host) };
  }
}
