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
import { middlewareServices } from '../table/middleware.ts';
import type { Middleware, PathMatch, Router, Service, Table } from '../table/schema.ts';
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
  /** Exact 3 > Prefix 2 > string prefix 1 > path-less 0, for equal lengths. */
  readonly typeRank: number;
}

/** Raised when a table refers to a middleware or service it does not define. */
export class TableReferenceError extends Error {
  override readonly name = 'TableReferenceError';
}

export function compileRoute(router: Router, table: Table, order: number): CompiledRoute {
  const service = table.services[router.service];
  if (!service) throw new TableReferenceError(`router ${router.id} refers to unknown service ${router.service}`);
  const middlewares = router.middlewares.map((id) => {
    const middleware = table.middlewares[id];
    if (!middleware) throw new TableReferenceError(`router ${router.id} refers to unknown middleware ${id}`);
    for (const used of middlewareServices(middleware)) {
      if (!table.services[used]) throw new TableReferenceError(`router ${router.id}: middleware ${id} refers to unknown service ${used}`);
    }
    return middleware;
  });
  if (service.kind === 'weighted') {
    for (const member of service.services) {
      if (!table.services[member.service]) {
        throw new TableReferenceError(`router ${router.id}: weighted service refers to unknown ${member.service}`);
      }
    }
  }
  return {
    router,
    middlewares,
    service,
    services: table.services,
    order,
    ruleLength: ruleLength(router.match),
    typeRank: TYPE_RANK[router.match.type],
  };
}

const TYPE_RANK: Readonly<Record<PathMatch['type'], number>> = { exact: 3, prefix: 2, 'string-prefix': 1, any: 0 };

function ruleLength(match: PathMatch): number {
  switch (match.type) {
    case 'exact':
    case 'string-prefix':
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
    case 'any':
      return true;
    case 'prefix': {
      const key = prefixKey(match.path);
      return key === '' || path === key || path.startsWith(key + '/');
    }
  }
}
