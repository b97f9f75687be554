/**
 * A stored shard, kept in its compact wire form and indexed by host. Routes
 * are built (decoded, resolved, put in a `RouteGroup`) only for the hosts
 * that get requests, the first time they do, so a cold isolate pays for one
 * host and a warm one holds little more than the parsed shard.
 *
 * Every reference inside the shard (service and middleware indexes, weighted
 * members) is checked when the index is built, so a broken shard is refused
 * as a whole, before any of its hosts is served. Middleware entries are
 * checked (`../table/middleware-check.ts`, the zod union's rules written out,
 * so that the worker carries no zod) when a route using them is first built.
 *
 * @example
 * ```ts
 * const shard = new ShardIndex(parseWireShard(JSON.parse(text))!);
 * (await shard.exactGroup('shop.example.com'))?.match('/cart', 'https');
 * ```
 */
import { MAX_WEIGHTED_DEPTH } from '../table/constants.ts';
import { middlewareProblem } from '../table/middleware-check.ts';
import type { Middleware } from '../table/middleware.ts';
import type { Service } from '../table/schema.ts';
import { DEFAULT_ENTRY, decodeRouter, decodeService, GROUP, MEMBER, middlewareId, ROUTE, serviceId, type WireRouteTuple, type WireShard } from '../storage/wire.ts';
import { compileRoute, TableReferenceError, type CompiledRoute, type RouteReferences } from './compiled-route.ts';
import { RouteGroup } from './route-group.ts';

/**
 * Group indexes (into `wire.groups`) by key. Most keys have exactly one
 * group, held as a bare number: a warm isolate keeps this map for every host
 * of every shard it has read, and an array per host costs more than the rest
 * of the index.
 */
type GroupRefs = Map<string, number | number[]>;

export class ShardIndex {
  readonly #wire: WireShard;
  readonly #exact: GroupRefs = new Map();
  readonly #wildcard: GroupRefs = new Map();
  readonly #anyHost: number[] = [];
  readonly #built = new Map<string, Promise<RouteGroup>>();
  /** Which middleware entries the middleware check has accepted. */
  readonly #checkedMiddlewares: boolean[] = [];
  readonly #services: Record<string, Service> = {};
  readonly #references: RouteReferences;
  #defaultRoute: Promise<CompiledRoute | undefined> | undefined;
  /** Whether a wildcard or host-less group holds `priority` routes (which can beat an exact host). */
  readonly prioritizedBeyondExact: boolean;

  constructor(wire: WireShard) {
    this.#wire = wire;
    let prioritized = false;
    // Hosts repeat the same rule paths (`/`, `/api`); JSON.parse gives each its own copy.
    const paths = new Map<string, string>();
    wire.groups.forEach((group, index) => {
      const host = group[0];
      if (host === '') this.#anyHost.push(index);
      else add(host.startsWith('*.') ? this.#wildcard : this.#exact, host.startsWith('*.') ? host.slice(2) : host, index);
      for (let position = 2; position < group.length; position++) {
        const route = group[position] as WireRouteTuple;
        const path = paths.get(route[1]);
        if (path === undefined) paths.set(route[1], route[1]);
        else route[1] = path;
        this.#checkReferences(route);
        if (!host.startsWith('*.') && host !== '') continue;
        if ((route[4] ?? 0) > 0) prioritized = true;
      }
    });
    if (wire.default) this.#checkReferences(wire.default[1]);
    wire.services.forEach((_, index) => this.#checkWeighted(index, 0));
    this.prioritizedBeyondExact = prioritized;
    this.#references = {
      service: (id) => this.#service(id),
      middleware: (id) => this.#middleware(id),
      services: this.#services,
    };
  }

  /** The routes of `host`; rejects when one of them cannot be built (an invalid middleware entry). */
  async exactGroup(host: string): Promise<RouteGroup | undefined> {
    return this.#group(`e ${host}`, this.#exact.get(host));
  }

  /** The group of `*.suffix` rules. */
  async wildcardGroup(suffix: string): Promise<RouteGroup | undefined> {
    return this.#group(`w ${suffix}`, this.#wildcard.get(suffix));
  }

  async anyHostGroup(): Promise<RouteGroup | undefined> {
    return this.#group('a', this.#anyHost.length > 0 ? this.#anyHost : undefined);
  }

  defaultRoute(): Promise<CompiledRoute | undefined> {
    this.#defaultRoute ??= this.#buildDefaultRoute();
    return this.#defaultRoute;
  }

  async #buildDefaultRoute(): Promise<CompiledRoute | undefined> {
    const entry = this.#wire.default;
    if (!entry) return undefined;
    await this.#checkMiddlewares([entry[1]]);
    return compileRoute(decodeRouter('', entry[0], entry[1]), this.#references, Number.MAX_SAFE_INTEGER);
  }

  #group(key: string, refs: number | readonly number[] | undefined): Promise<RouteGroup> | undefined {
    if (refs === undefined) return undefined;
    let group = this.#built.get(key);
    if (!group) {
      group = this.#buildGroup(typeof refs === 'number' ? [refs] : refs);
      this.#built.set(key, group);
    }
    return group;
  }

  async #buildGroup(refs: readonly number[]): Promise<RouteGroup> {
    await this.#checkMiddlewares(refs.flatMap((index) => this.#wire.groups[index]!.slice(2) as WireRouteTuple[]));
    const group = new RouteGroup();
    for (const index of refs) {
      const [host, source, ...routes] = this.#wire.groups[index]!;
      // Order across groups of one host follows the shard (older Ingress first).
      routes.forEach((route, position) => group.add(compileRoute(decodeRouter(host, source, route), this.#references, index * 10_000 + position)));
    }
    group.seal();
    return group;
  }

  async #checkMiddlewares(routes: readonly WireRouteTuple[]): Promise<void> {
    const pending = [...new Set(routes.flatMap((route) => route[3] ?? []))].filter((index) => !this.#checkedMiddlewares[index]);
    if (pending.length === 0) return;
    for (const index of pending) {
      const problem = middlewareProblem(this.#wire.middlewares[index]);
      if (problem) throw new TableReferenceError(`middleware ${middlewareId(index)} is invalid: ${problem.slice(0, 300)}`);
      this.#checkedMiddlewares[index] = true;
    }
  }

  #service(id: string): Service | undefined {
    let service = this.#services[id];
    if (!service) {
      const entry = this.#wire.services[Number(id.slice(1))];
      if (!entry) return undefined;
      this.#services[id] = service = decodeService(entry);
    }
    return service;
  }

  #middleware(id: string): Middleware | undefined {
    return this.#wire.middlewares[Number(id.slice(1))];
  }

  #checkReferences(route: WireRouteTuple): void {
    this.#checkIndex(route[ROUTE.service], this.#wire.services.length, 'service');
    for (const index of route[ROUTE.middlewares] ?? []) this.#checkIndex(index, this.#wire.middlewares.length, 'middleware');
  }

  /** Weighted members exist, and groups nest at most MAX_WEIGHTED_DEPTH deep (no cycles). */
  #checkWeighted(index: number, depth: number): void {
    const service = this.#wire.services[index];
    if (!service || Array.isArray(service)) return;
    if (depth >= MAX_WEIGHTED_DEPTH) throw new TableReferenceError(`weighted service ${serviceId(index)} nests too deep or in a cycle`);
    if (!('weighted' in service)) return;
    for (const member of service.weighted) {
      this.#checkIndex(member[MEMBER.service], this.#wire.services.length, 'service');
      for (const index of member[MEMBER.middlewares] ?? []) this.#checkIndex(index, this.#wire.middlewares.length, 'middleware');
      this.#checkWeighted(member[MEMBER.service], depth + 1);
    }
  }

  #checkIndex(index: number, length: number, what: string): void {
    if (index >= length) throw new TableReferenceError(`shard refers to unknown ${what} ${what === 'service' ? serviceId(index) : middlewareId(index)}`);
  }
}

function add(refs: GroupRefs, key: string, index: number): void {
  const held = refs.get(key);
  if (held === undefined) refs.set(key, index);
  else if (typeof held === 'number') refs.set(key, [held, index]);
  else held.push(index);
}
