/**
 * A router with its references resolved: the middleware configurations in
 * pipeline order and the service it sends to. Built once per table version;
 * the worker hangs per-route state (handler chains, balancer state) on these
 * objects by identity.
 *
 * @example
 * ```ts
 * const route = compileRoute(router, table, 0);
 * route.middlewares.map((m) => m.kind); // ['strip-prefix']
 * ```
 */
import { MAX_WEIGHTED_DEPTH } from '../table/constants.ts';
import { middlewareServices } from '../table/middleware-refs.ts';
import type { Middleware, PathMatch, Router, Service, Table } from '../table/schema.ts';
import { LinearRegex } from '../regex/index.ts';
import { compileConditions, ConditionError, type CompiledConditions } from './conditions.ts';
import { prefixKey } from './route-group.ts';

export interface CompiledRoute {
  readonly router: Router;
  readonly middlewares: readonly Middleware[];
  readonly service: Service;
  /** The services of the table this route came from, for weighted groups. */
  readonly services: Readonly<Record<string, Service>>;
  /** Position in the table: the last tie-breaker (older Ingress first). */
  readonly order: number;
  /** Rule path length used for "longest match wins". */
  readonly ruleLength: number;
  /** Exact 4 > Prefix 3 > string prefix 2 > regex 1 > path-less 0, for equal lengths. */
  readonly typeRank: number;
  /** The compiled regex of a `regex` match (anchored at the start, case-insensitive) or a `full-regex` one (whole path, case-sensitive). */
  readonly regex: LinearRegex | undefined;
  /** The path the matcher compares: a Prefix rule without its trailing slash, `''` for path-less rules. */
  readonly key: string;
  /** Method, header and query conditions (Gateway API); undefined for the usual router without any. */
  readonly conditions: CompiledConditions | undefined;
  /**
   * A Gateway API split (`backendRefs`): set when the route's service is a
   * weighted group with a member that has middlewares or answers a status.
   * The worker then draws one member per request and runs only that
   * member's middlewares; other weighted groups balance as before.
   */
  readonly split: readonly SplitMember[] | undefined;
}

/** One member of a Gateway API split, its references resolved. */
export interface SplitMember {
  readonly id: string;
  readonly service: Service;
  readonly weight: number;
  readonly middlewares: readonly Middleware[];
}

/** Raised when a table refers to a middleware or service it does not define. */
export class TableReferenceError extends Error {
  override readonly name = 'TableReferenceError';
}

/** Where a route's references are looked up: a whole table, or a shard decoding them on demand. */
export interface RouteReferences {
  service(id: string): Service | undefined;
  middleware(id: string): Middleware | undefined;
  /** The record weighted members are read from (the worker looks members up in it). */
  readonly services: Readonly<Record<string, Service>>;
}

/** References resolved against a table held whole. */
export function tableReferences(table: Table): RouteReferences {
  return { service: (id) => table.services[id], middleware: (id) => table.middlewares[id], services: table.services };
}

export function compileRoute(router: Router, references: RouteReferences, order: number): CompiledRoute {
  const service = references.service(router.service);
  if (!service) throw new TableReferenceError(`router ${router.id} refers to unknown service ${router.service}`);
  const middlewares = router.middlewares.map((id) => resolveMiddleware(router, id, references));
  checkMembers(router, service, references, 0);
  return {
    router,
    middlewares,
    service,
    services: references.services,
    order,
    ruleLength: ruleLength(router.match),
    typeRank: TYPE_RANK[router.match.type],
    regex: router.match.type === 'regex' || router.match.type === 'full-regex' ? compilePathRegex(router.match.path, router.match.type) : undefined,
    key: router.match.type === 'any' ? '' : router.match.type === 'prefix' ? prefixKey(router.match.path) : router.match.path,
    conditions: routeConditions(router),
    split: splitOf(router, service, references),
  };
}

function splitOf(router: Router, service: Service, references: RouteReferences): SplitMember[] | undefined {
  if (service.kind !== 'weighted') return undefined;
  const members = service.services.map((member) => ({ member, service: references.service(member.service)! }));
  if (!members.some(({ member, service }) => member.middlewares !== undefined || service.kind === 'status')) return undefined;
  return members.map(({ member, service }) => ({
    id: member.service,
    service,
    weight: member.weight,
    middlewares: (member.middlewares ?? []).map((id) => resolveMiddleware(router, id, references)),
  }));
}

function resolveMiddleware(router: Router, id: string, references: RouteReferences): Middleware {
  const middleware = references.middleware(id);
  if (!middleware) throw new TableReferenceError(`router ${router.id} refers to unknown middleware ${id}`);
  for (const used of middlewareServices(middleware)) {
    if (!references.service(used)) throw new TableReferenceError(`router ${router.id}: middleware ${id} refers to unknown service ${used}`);
  }
  return middleware;
}

function routeConditions(router: Router): CompiledConditions | undefined {
  try {
    return compileConditions(router.conditions);
  } catch (error) {
    if (error instanceof ConditionError) throw new TableReferenceError(`router ${router.id}: ${error.message}`);
    throw error;
  }
}

function checkMembers(router: Router, service: Service, references: RouteReferences, depth: number): void {
  if (service.kind !== 'weighted') return;
  if (depth >= MAX_WEIGHTED_DEPTH) throw new TableReferenceError(`router ${router.id}: weighted services nest too deep`);
  for (const member of service.services) {
    const child = references.service(member.service);
    if (!child) throw new TableReferenceError(`router ${router.id}: weighted service refers to unknown ${member.service}`);
    checkMembers(router, child, references, depth + 1);
  }
}

/** Gateway API leaves the rank of RegularExpression paths to implementations: they rank as nginx regexes do. */
const TYPE_RANK: Readonly<Record<PathMatch['type'], number>> = { exact: 4, prefix: 3, 'string-prefix': 2, regex: 1, 'full-regex': 1, any: 0 };

/**
 * ingress-nginx's `location ~* "^<path>"` (`regex`), or Gateway API's
 * `RegularExpression` matched against the whole path, case-sensitively
 * (`full-regex`), on the linear-time engine.
 */
export function compilePathRegex(source: string, type: 'regex' | 'full-regex' = 'regex'): LinearRegex {
  try {
    return LinearRegex.compile(type === 'regex' ? { source: `^${source}`, flags: 'i' } : { source: `^(?:${source})$`, flags: '' });
  } catch (error) {
    throw new TableReferenceError(`regex path ${JSON.stringify(source)} does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function ruleLength(match: PathMatch): number {
  switch (match.type) {
    case 'exact':
    case 'string-prefix':
    case 'regex':
    case 'full-regex':
      return match.path.length;
    case 'prefix':
      return Math.max(prefixKey(match.path).length, 1);
    case 'any':
      return 0;
  }
}

/** Whether a path match accepts `path` (used for the few prioritized routes). */
export function pathMatches(match: PathMatch, path: string): boolean {
  switch (match.type) {
    case 'exact':
      return path === match.path;
    case 'string-prefix':
      return path.startsWith(match.path);
    case 'regex':
    case 'full-regex':
      return compilePathRegex(match.path, match.type).test(path);
    case 'any':
      return true;
    case 'prefix': {
      const key = prefixKey(match.path);
      return key === '' || path === key || path.startsWith(key + '/');
    }
  }
}
