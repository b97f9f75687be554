/**
 * Positions of the fields in the wire form's tuples (`./wire-schema.ts`), in
 * a module without zod: the worker reads shards by them and its bundle must
 * not carry zod.
 */

/** Positions in a route tuple `[id, rule, service, middlewares?, priority?, flags?, conditions?]`. */
export const ROUTE = { id: 0, rule: 1, service: 2, middlewares: 3, priority: 4, flags: 5, conditions: 6 } as const;
/** Positions in a pool tuple `[target, servers, protocol?, extra?]`. */
export const POOL = { target: 0, servers: 1, protocol: 2, extra: 3 } as const;
/** Positions in a weighted member `[service, weight, middlewares?]`. */
export const MEMBER = { service: 0, weight: 1, middlewares: 2 } as const;
/** Positions in a group `[host, source, ...routes]`: routes start at `GROUP.routes`. */
export const GROUP = { host: 0, source: 1, routes: 2 } as const;
/** Positions in the default entry `[source, route]`. */
export const DEFAULT_ENTRY = { source: 0, route: 1 } as const;
