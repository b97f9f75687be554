/**
 * The one set of table builders for tests, read like the Ingress they stand
 * for. Runtime-neutral (types only from src/table), so the Node projects and
 * the workerd project (test/worker/helpers.ts adds pools of echo servers)
 * build tables the same way.
 *
 * @example
 * ```ts
 * const t = table({ routers: [router('shop.example.com', '/api', 'api')] }); // `api` gets a placeholder pool
 * ```
 */
import type { Middleware, PathMatch, Router, Server, Service, Table } from '../src/table/schema.ts';

export interface TableParts {
  readonly routers: readonly Router[];
  /** When absent, every service a router names gets a placeholder pool named after it. */
  readonly services?: Readonly<Record<string, Service>>;
  readonly middlewares?: Readonly<Record<string, Middleware>>;
  readonly defaultRouter?: Router;
}

export function table(parts: TableParts): Table {
  const routers = parts.defaultRouter ? [...parts.routers, parts.defaultRouter] : parts.routers;
  const services = parts.services ?? Object.fromEntries(routers.map((r) => [r.service, pool(r.service)]));
  return {
    schema: 1,
    routers: [...parts.routers],
    ...(parts.defaultRouter ? { defaultRouter: parts.defaultRouter } : {}),
    middlewares: { ...parts.middlewares },
    services: { ...services },
  };
}

let routerCount = 0;

/**
 * A router; a string `match` means a Prefix rule. Its id is `test/ingress#<n>`
 * unless `extra.id` names one; the source is the id's part before `#`.
 */
export function router(host: string, match: PathMatch | string, service: string, extra: Partial<Router> = {}): Router {
  routerCount += 1;
  const id = extra.id ?? `test/ingress#${routerCount}`;
  return {
    id,
    source: id.split('#')[0] ?? id,
    host,
    match: typeof match === 'string' ? { type: 'prefix', path: match } : match,
    priority: 0,
    middlewares: [],
    service,
    passHostHeader: true,
    ...extra,
  };
}

/** A pool of the Service `test/<name>:80`; a string member is an address of weight 1. */
export function pool(name: string, members: readonly (string | Server)[] = ['10.0.0.1:80']): Extract<Service, { kind: 'servers' }> {
  return {
    kind: 'servers',
    protocol: 'http',
    target: { namespace: 'test', name, port: 80 },
    servers: members.map((member) => (typeof member === 'string' ? { address: member, weight: 1 } : member)),
  };
}

export const exact = (path: string): PathMatch => ({ type: 'exact', path });
export const prefix = (path: string): PathMatch => ({ type: 'prefix', path });
export const stringPrefix = (path: string): PathMatch => ({ type: 'string-prefix', path });
