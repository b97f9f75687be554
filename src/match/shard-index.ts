/**
 * A stored shard, kept in its compact wire form and indexed by host. Routes
 * are built (decoded, resolved, put in a `RouteGroup`) only for the hosts
 * that get requests, the first time they do, so a cold isolate pays for one
 * host and a warm one holds little more than the parsed shard.
 *
 * Every reference inside the shard (service and middleware indexes, weighted
 * members) is checked when the index is built, so a broken shard is refused
 * as a whole, before any of its hosts is served. Middleware entries are
 * checked against the zod union of `../table/middleware.ts` when a route using
 * them is first built. (The schemas are constructed when the module is
 * evaluated, in the isolate's start-up, which the platform limits apart from
 * each request's CPU time; constructing them on a request's path costs tens
 * of milliseconds.)
 *
 * @example
 * ```ts
 * const shard = new ShardIndex(parseWireShard(JSON.parse(text))!);
 * (await shard.exactGroup('shop.example.com'))?.match('/cart', 'https');
 * ```
 */
import { MAX_WEIGHTED_DEPTH } from '../table/constants.ts';
import { MiddlewareSchema, type Middleware } from '../table/middleware.ts';
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
  /** Groups holding wildcard routes of one or more labels (flag `l`), by suffix. */
  readonly #deepWildcard: GroupRefs = new Map();
  readonly #anyHost: number[] = [];
  readonly #built = new Map<string, Promise<RouteGroup>>();
  /** Which middleware entries the zod schema has accepted. */
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
      const host = group[GROUP.host];
      const wildcard = host.startsWith('*.');
      if (host === '') this.#anyHost.push(index);
      else add(wildcard ? this.#wildcard : this.#exact, wildcard ? host.slice(2) : host, index);
      let deep = false;
      for (let position = GROUP.routes; position < group.length; position++) {
        const route = group[position] as WireRouteTuple;
        const rule = route[ROUTE.rule];
        const path = paths.get(rule);
        if (path === undefined) paths.set(rule, rule);
        else route[ROUTE.rule] = path;
        this.#checkReferences(route);
        if (wildcard && isDeep(route)) deep = true;
        if (!wildcard && host !== '') continue;
        if ((route[ROUTE.priority] ?? 0) > 0) prioritized = true;
      }
      if (deep) add(this.#deepWildcard, host.slice(2), index);
    });
    if (wire.default) this.#checkReferences(wire.default[DEFAULT_ENTRY.route]);
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

  /** The `*.suffix` rules that cover one or more labels, for a host two or more labels deeper than `suffix`. */
  async deepWildcardGroup(suffix: string): Promise<RouteGroup | undefined> {
    return this.#group(`d ${suffix}`, this.#deepWildcard.get(suffix), isDeep);
  }

  /** Whether the shard has wildcard routes of one or more labels. */
  get hasDeepWildcards(): boolean {
    return this.#deepWildcard.size > 0;
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
    const route = entry[DEFAULT_ENTRY.route];
    await this.#checkMiddlewares([route]);
    return compileRoute(decodeRouter('', entry[DEFAULT_ENTRY.source], route), this.#references, Number.MAX_SAFE_INTEGER);
  }

  #group(key: string, refs: number | readonly number[] | undefined, only?: (route: WireRouteTuple) => boolean): Promise<RouteGroup> | undefined {
    if (refs === undefined) return undefined;
    let group = this.#built.get(key);
    if (!group) {
      group = this.#buildGroup(typeof refs === 'number' ? [refs] : refs, only);
      this.#built.set(key, group);
    }
    return group;
  }

  async #buildGroup(refs: readonly number[], only: ((route: WireRouteTuple) => boolean) | undefined): Promise<RouteGroup> {
    await this.#checkMiddlewares(refs.flatMap((index) => this.#wire.groups[index]!.slice(GROUP.routes) as WireRouteTuple[]));
    const group = new RouteGroup();
    for (const index of refs) {
      const [host, source, ...routes] = this.#wire.groups[index]!;
      // Order across groups of one host follows the shard (older Ingress first).
      routes.forEach((route, position) => {
        if (only && !only(route)) return;
        group.add(compileRoute(decodeRouter(host, source, route), this.#references, index * 10_000 + position));
      });
    }
    group.seal();
    return group;
  }

  /** Checks the middleware entries the routes use, their services' weighted members' included. */
  async #checkMiddlewares(routes: readonly WireRouteTuple[]): Promise<void> {
    const used = routes.flatMap((route) => [...(route[ROUTE.middlewares] ?? []), ...this.#memberMiddlewares(route[ROUTE.service], 0)]);
    const pending = [...new Set(used)].filter((index) => !this.#checkedMiddlewares[index]);
    if (pending.length === 0) return;
    for (const index of pending) {
      const result = MiddlewareSchema.safeParse(this.#wire.middlewares[index]);
      if (!result.success) throw new TableReferenceError(`middleware ${middlewareId(index)} is invalid: ${String(result.error).slice(0, 300)}`);
      this.#checkedMiddlewares[index] = true;
    }
  }

  /** Middleware indexes of a weighted service's members (nesting was bounded when the index was built). */
  #memberMiddlewares(index: number, depth: number): number[] {
    const service = this.#wire.services[index];
    if (!service || Array.isArray(service) || !('weighted' in service) || depth >= MAX_WEIGHTED_DEPTH) return [];
    return service.weighted.flatMap((member) => [...(member[MEMBER.middlewares] ?? []), ...this.#memberMiddlewares(member[MEMBER.service], depth + 1)]);
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

/** A route whose wildcard host covers one or more labels. */
function isDeep(route: WireRouteTuple): boolean {
  return route[ROUTE.flags]?.includes('l') === true;
}

function add(refs: GroupRefs, key: string, index: number): void {
  const held = refs.get(key);
  if (held === undefined) refs.set(key, index);
  else if (typeof held === 'number') refs.set(key, [held, index]);
  else held.push(index);
}
