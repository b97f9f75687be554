/**
 * Builders for tables in tests, read like the YAML they stand for.
 */
import type { PathMatch, Router, Service, Table } from '../../src/table/schema.ts';

export interface RouteSpec {
  readonly host?: string;
  readonly match?: PathMatch;
  readonly priority?: number;
  readonly schemes?: Router['schemes'];
  readonly middlewares?: string[];
  /** Service id; a one-endpoint pool is created for it when absent from `services`. */
  readonly to: string;
}

export function router(id: string, spec: RouteSpec): Router {
  return {
    id,
    source: id.split('#')[0] ?? id,
    host: spec.host ?? '',
    match: spec.match ?? { type: 'any' },
    priority: spec.priority ?? 0,
    ...(spec.schemes ? { schemes: spec.schemes } : {}),
    middlewares: spec.middlewares ?? [],
    service: spec.to,
    passHostHeader: true,
  };
}

export function pool(name: string, addresses: string[] = ['10.0.0.1:80']): Service {
  return {
    kind: 'servers',
    protocol: 'http',
    target: { namespace: 'default', name, port: 80 },
    servers: addresses.map((address) => ({ address, weight: 1 })),
  };
}

/** A table whose routers are given in order (older first); every referenced service gets a pool. */
export function table(routers: Router[], defaultRouter?: Router, extra: Partial<Table> = {}): Table {
  const services: Record<string, Service> = { ...extra.services };
  for (const r of defaultRouter ? [...routers, defaultRouter] : routers) services[r.service] ??= pool(r.service);
  return {
    schema: 1,
    routers,
    ...(defaultRouter ? { defaultRouter } : {}),
    middlewares: extra.middlewares ?? {},
    services,
  };
}

export const exact = (path: string): PathMatch => ({ type: 'exact', path });
export const prefix = (path: string): PathMatch => ({ type: 'prefix', path });
export const stringPrefix = (path: string): PathMatch => ({ type: 'string-prefix', path });
