/**
 * Accumulates the table while Ingresses are compiled oldest first: routers
 * in emission order (so the matcher's last tie-break is by age), claims on
 * host + path match + schemes for duplicate detection (docs/design/decisions.md#decision-3-the-oldest-ingress-wins-a-duplicate), and
 * middlewares stored once under content-derived ids.
 *
 * @example
 * ```ts
 * const builder = new TableBuilder();
 * const owner = builder.claim('shop.example.com', { type: 'prefix', path: '/' }, undefined, 'shop/web#0.0');
 * if (owner === undefined) builder.addRouter({ …, middlewares: builder.middlewareIds([strip]) });
 * builder.build(pools.services());
 * ```
 */
import type { Middleware } from '../table/middleware.ts';
import { pipelineRank } from '../table/pipeline.ts';
import { TABLE_SCHEMA_VERSION, type PathMatch, type Router, type Scheme, type Service, type Table } from '../table/schema.ts';
import { prefixKey } from '../match/route-group.ts';
import { accessMiddlewareId } from './annotations/access-id.ts';
import { contentId } from './content-id.ts';
import { joined } from './text.ts';

/** What compiling one Ingress writes to the table (the full compile's `TableBuilder`, or the incremental compiler's per-Ingress record). */
export interface RouteTable {
  /** The id of the router already holding this host and path match, or undefined when `routerId` now holds it. */
  claim(host: string, match: PathMatch, schemes: readonly Scheme[] | undefined, routerId: string): string | undefined;
  /** Stores the middlewares and returns their ids in pipeline order. */
  middlewareIds(middlewares: readonly Middleware[]): string[];
  addRouter(router: Router): void;
  addService(id: string, service: Service): void;
  /** The router of the cluster's default backend, once an (older) Ingress provides one. */
  defaultRouter: Router | undefined;
}

/** The key two routes collide on: host, match type, path (Prefix as the matcher indexes it) and schemes. */
export function claimKey(host: string, match: PathMatch, schemes: readonly Scheme[] | undefined): string {
  // Prefix `/a` and `/a/` are one index key in the matcher, so they collide here too.
  const path = match.type === 'any' ? '' : match.type === 'prefix' ? prefixKey(match.path) : match.path;
  return joined(host, ' ', match.type, ' ', path, ' ', schemes?.join(',') ?? '*');
}

/** The middlewares' ids in pipeline order (then by id); `store` is told each one. */
const REDIRECT_RANK = pipelineRank('redirect');

export function orderedMiddlewareIds(middlewares: readonly Middleware[], store: (id: string, middleware: Middleware) => void): string[] {
  if (middlewares.length <= 1) {
    const only = middlewares[0];
    if (!only) return [];
    const id = middlewareId(only);
    store(id, only);
    return [id];
  }
  const entries = middlewares.map((middleware, index) => {
    const id = middlewareId(middleware);
    store(id, middleware);
    return { id, index, rank: pipelineRank(middleware.kind) };
  });
  // Redirects keep the order the dialect gave them (the first that matches answers: ingress-nginx's app-root,
  // then permanent/temporal-redirect, then the https redirect); other kinds are ordered by id.
  entries.sort((a, b) => a.rank - b.rank || (a.rank === REDIRECT_RANK ? a.index - b.index : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return entries.map((entry) => entry.id);
}

export class TableBuilder implements RouteTable {
  readonly #routers: Router[] = [];
  /** The router of the cluster's default backend, once an Ingress provides one. */
  defaultRouter: Router | undefined;
  readonly #middlewares = new Map<string, Middleware>();
  /** Claim key → id of the router that holds it. */
  readonly #claims = new Map<string, string>();
  /** Services other than pools (weighted groups), by id. */
  readonly #services = new Map<string, Service>();

  /**
   * Claims a host and path match for `routerId`. Returns the id of the
   * router that already holds it (the caller reports the duplicate), or
   * undefined when the claim succeeded.
   */
  claim(host: string, match: PathMatch, schemes: readonly Scheme[] | undefined, routerId: string): string | undefined {
    const key = claimKey(host, match, schemes);
    const owner = this.#claims.get(key);
    if (owner === undefined) this.#claims.set(key, routerId);
    return owner;
  }

  /** Stores the middlewares and returns their ids in pipeline order. */
  middlewareIds(middlewares: readonly Middleware[]): string[] {
    return orderedMiddlewareIds(middlewares, (id, middleware) => this.#middlewares.set(id, middleware));
  }

  addRouter(router: Router): void {
    this.#routers.push(router);
  }

  addService(id: string, service: Service): void {
    this.#services.set(id, service);
  }

  /** The finished table with sorted maps; `pools` are the pools built (weighted groups win a shared id). */
  build(pools: Iterable<readonly [string, Service]>): Table {
    const middlewares = sortedRecord(this.#middlewares);
    const services = new Map(pools);
    for (const [id, service] of this.#services) services.set(id, service);
    return {
      schema: TABLE_SCHEMA_VERSION,
      routers: this.#routers,
      ...(this.defaultRouter ? { defaultRouter: this.defaultRouter } : {}),
      middlewares,
      services: sortedRecord(services),
    };
  }
}

/** A record of the map's entries in id order. */
function sortedRecord<V>(map: ReadonlyMap<string, V>): Record<string, V> {
  const record: Record<string, V> = {};
  for (const id of [...map.keys()].sort()) record[id] = map.get(id)!;
  return record;
}

/**
 * A readable id derived from the whole configuration, so identical
 * middlewares share one entry: `strip-prefix:/api`, `deny:403:<reason>`;
 * kinds with larger configurations get `kind:<64-bit hash>` (`./content-id.ts`).
 */
export function middlewareId(middleware: Middleware): string {
  switch (middleware.kind) {
    case 'deny':
      return `deny:${middleware.status}:${middleware.reason}`;
    case 'strip-prefix':
      return `strip-prefix:${middleware.prefix}`;
    case 'replace-path':
      return `replace-path:${middleware.path}`;
    case 'ip-allow-list':
    case 'basic-auth':
    case 'digest-auth':
    case 'forward-auth':
      return accessMiddlewareId(middleware);
    case 'circuit-breaker':
      return `circuit-breaker:${middleware.condition.source}`;
    case 'buffering':
    case 'max-conn':
    case 'rate-limit': {
      const { kind, ...settings } = middleware;
      return `${kind}:${JSON.stringify(settings)}`;
    }
    case 'add-prefix':
      return `add-prefix:${middleware.prefix}`;
    default:
      return contentId(middleware);
  }
}
