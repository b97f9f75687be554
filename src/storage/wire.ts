/**
 * The compact form a shard takes in storage (Workers KV). The table the
 * compiler produces is written for people (ids, one object per router); a
 * stored shard carries the same information in about a fifth of the bytes,
 * because a cold isolate pays for every byte it reads and parses:
 *
 * - services and middlewares are arrays, referred to by index (ids are only
 *   meaningful inside one table, so decoding assigns fresh ones);
 * - routers are grouped by host and Ingress (or HTTPRoute), each router a short tuple
 *   `[id, rule, service, middlewares?, priority?, flags?, conditions?]`
 *   (positions named by `ROUTE` of `./wire-schema.ts`): `id` is the part
 *   after `#` (`1.3` written as the number 1003), `rule` the match type's
 *   letter (`e`xact, `p`refix, `s`tring-prefix, `r`egex, `f`ull-regex, `a`ny) followed by the path,
 *   `flags` has `h` for "do not pass the Host header", `s`/`p` for
 *   https-/http-only, `u` for passing URL-override headers, `g` for a router
 *   from an HTTPRoute, `l` for a wildcard host of one or more labels, and
 *   `conditions` is the router's `conditions` object as it is;
 * - a pool is `[target, servers, protocol?, extra?]` (protocol `http`
 *   omitted; `extra` holds `external`, `unavailable` and `balancer` when
 *   set); its servers are `"port|ip|ip|…"` when they share one port and
 *   weight 1, else a list of `"ip:port"` or `["ip:port", weight]`; pod names
 *   are left out;
 * - a weighted group is `{weighted: [[service, weight, middlewares?], …], sticky?}`;
 * - a status service is `{status, reason}`.
 * Tables without Gateway API routers encode exactly as before these were added.
 * `decodeShard(encodeShard(t))` equals `t` up to ids and pod names.
 *
 * @example
 * ```ts
 * const text = encodeShard(shard);          // what the publisher stores
 * const table = decodeShard(JSON.parse(text)); // undefined when invalid
 * ```
 */
import type { Middleware } from '../table/middleware.ts';
import { TABLE_SCHEMA_VERSION } from '../table/constants.ts';
import type { PathMatch, Router, Server, Service, Table } from '../table/schema.ts';
import { renameMiddlewareServices } from '../table/middleware-refs.ts';
import { checkWireShard } from './wire-check.ts';
import { MEMBER, POOL, ROUTE, type WirePoolTuple, type WireRouteTuple, type WireService, type WireShard, type WireWeightedEntry } from './wire-schema.ts';

export type { WireRouteTuple, WireService, WireShard } from './wire-schema.ts';
export { DEFAULT_ENTRY, GROUP, MEMBER, POOL, ROUTE } from './wire-schema.ts';

/**
 * The stored shard, checked (by `./wire-check.ts`, which mirrors
 * `WireShardSchema` of `./wire-schema.ts` at a fraction of the cost);
 * undefined when it is not one this code can read.
 */
export function parseWireShard(value: unknown): WireShard | undefined {
  const shard = checkWireShard(value);
  return shard && shard.schema === TABLE_SCHEMA_VERSION ? shard : undefined;
}

/** Id of the `index`th service or middleware of a decoded shard. */
export const serviceId = (index: number): string => `s${index}`;
export const middlewareId = (index: number): string => `m${index}`;

const TYPE_CODES = { exact: 'e', prefix: 'p', 'string-prefix': 's', regex: 'r', 'full-regex': 'f', any: 'a' } as const;
const CODE_TYPES = { e: 'exact', p: 'prefix', s: 'string-prefix', r: 'regex', f: 'full-regex', a: 'any' } as const;
/** Path indexes below this fold into a numeric id: `rule * ID_RADIX + path`. */
const ID_RADIX = 1000;

/** The stored text of a shard. */
export function encodeShard(table: Table): string {
  const services = new Indexer<Service>(table.services);
  const middlewares = new Indexer<Middleware>(table.middlewares);
  const groups = new Map<string, [string, string, ...WireRouteTuple[]]>();
  for (const router of table.routers) {
    const key = `${router.host} ${router.source}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = [router.host, router.source]));
    group.push(encodeRouter(router, services, middlewares));
  }
  const defaultRouter = table.defaultRouter;
  const encodedDefault = defaultRouter ? ([defaultRouter.source, encodeRouter(defaultRouter, services, middlewares)] as const) : undefined;
  // A middleware's service references become the ids decoding gives those services; a weighted
  // member's middlewares are indexed in turn, so both lists grow while they are walked.
  const encodedMiddlewares: Middleware[] = [];
  const encodedServices: WireShard['services'] = [];
  while (encodedMiddlewares.length < middlewares.values.length || encodedServices.length < services.values.length) {
    for (let index = encodedMiddlewares.length; index < middlewares.values.length; index++) {
      encodedMiddlewares.push(renameMiddlewareServices(middlewares.values[index]!, (id) => serviceId(services.index(id))));
    }
    for (let index = encodedServices.length; index < services.values.length; index++) encodedServices.push(encodeService(services.values[index]!, services, middlewares));
  }
  const shard: WireShard = {
    schema: TABLE_SCHEMA_VERSION,
    services: encodedServices,
    middlewares: encodedMiddlewares,
    groups: [...groups.values()],
    ...(encodedDefault ? { default: [...encodedDefault] } : {}),
  };
  return JSON.stringify(shard);
}

/** Assigns indexes to ids in order of first use. */
class Indexer<T> {
  readonly values: T[] = [];
  readonly #indexes = new Map<string, number>();
  readonly #source: Readonly<Record<string, T>>;

  constructor(source: Readonly<Record<string, T>>) {
    this.#source = source;
  }

  index(id: string): number {
    let index = this.#indexes.get(id);
    if (index === undefined) {
      const value = this.#source[id];
      if (value === undefined) throw new Error(`table refers to unknown ${id}`);
      index = this.values.push(value) - 1;
      this.#indexes.set(id, index);
    }
    return index;
  }
}

function encodeRouter(router: Router, services: Indexer<Service>, middlewares: Indexer<Middleware>): WireRouteTuple {
  const flags =
    (router.passHostHeader ? '' : 'h') +
    (router.schemes?.length === 1 ? (router.schemes[0] === 'https' ? 's' : 'p') : '') +
    (router.passUrlOverrideHeaders ? 'u' : '') +
    (router.origin === 'httproute' ? 'g' : '') +
    (router.hostWildcard === 'labels' ? 'l' : '');
  const rule = TYPE_CODES[router.match.type] + (router.match.type === 'any' ? '' : router.match.path);
  const tuple: WireRouteTuple = [encodeId(router.id), rule, services.index(router.service)];
  const mws = router.middlewares.map((id) => middlewares.index(id));
  // Trailing positions are left out; a later one present fills those before it.
  const conditions = router.conditions;
  if (mws.length > 0 || router.priority > 0 || flags || conditions) tuple[ROUTE.middlewares] = mws;
  if (router.priority > 0 || flags || conditions) tuple[ROUTE.priority] = router.priority;
  if (flags || conditions) tuple[ROUTE.flags] = flags;
  if (conditions) tuple[ROUTE.conditions] = conditions;
  return tuple;
}

function encodeId(id: string): string | number {
  const suffix = id.slice(id.lastIndexOf('#') + 1);
  const numbered = /^(\d{1,6})\.(\d{1,3})$/.exec(suffix);
  return numbered ? Number(numbered[1]) * ID_RADIX + Number(numbered[2]) : suffix;
}

function decodeId(source: string, id: string | number): string {
  return `${source}#${typeof id === 'number' ? `${Math.floor(id / ID_RADIX)}.${id % ID_RADIX}` : id}`;
}

function encodeService(service: Service, services: Indexer<Service>, middlewares: Indexer<Middleware>): WireService {
  if (service.kind === 'status') return { status: service.status, reason: service.reason };
  if (service.kind === 'weighted') {
    const weighted: WireWeightedEntry['weighted'] = service.services.map((member) =>
      member.middlewares
        ? [services.index(member.service), member.weight, member.middlewares.map((id) => middlewares.index(id))]
        : [services.index(member.service), member.weight],
    );
    return service.sticky ? { weighted, sticky: service.sticky } : { weighted };
  }
  const target = service.target ? `${service.target.namespace}/${service.target.name}:${service.target.port}` : '';
  const extra = {
    ...(service.external ? { external: true as const } : {}),
    ...(service.unavailable !== undefined ? { unavailable: service.unavailable } : {}),
    ...(service.balancer ? { balancer: service.balancer } : {}),
  };
  const pool: WirePoolTuple = [target, encodeServers(service.servers)];
  if (service.protocol !== 'http' || Object.keys(extra).length > 0) pool[POOL.protocol] = service.protocol;
  if (Object.keys(extra).length > 0) pool[POOL.extra] = extra;
  return pool;
}

function encodeServers(servers: readonly Server[]): WirePoolTuple[1] {
  const port = /:(\d{1,5})$/.exec(servers[0]?.address ?? '')?.[1];
  const suffix = `:${port}`;
  const shared = port !== undefined && servers.every((server) => server.weight === 1 && server.address.endsWith(suffix) && !server.address.slice(0, -suffix.length).includes('|'));
  if (shared) return [port, ...servers.map((server) => server.address.slice(0, -suffix.length))].join('|');
  return servers.map((server) => (server.weight === 1 ? server.address : ([server.address, server.weight] as [string, number])));
}

function decodeServers(servers: WirePoolTuple[1]): Server[] {
  if (typeof servers === 'string') {
    const [port, ...hosts] = servers.split('|');
    return hosts.map((host) => ({ address: `${host}:${port}`, weight: 1 }));
  }
  return servers.map((server) => (typeof server === 'string' ? { address: server, weight: 1 } : { address: server[0], weight: server[1] }));
}

/** The table a stored shard stands for; undefined when the value is not a valid shard. */
export function decodeShard(value: unknown): Table | undefined {
  const wire = parseWireShard(value);
  if (!wire) return undefined;
  const services: Record<string, Service> = {};
  wire.services.forEach((service, index) => (services[serviceId(index)] = decodeService(service)));
  const middlewares: Record<string, Middleware> = {};
  wire.middlewares.forEach((middleware, index) => (middlewares[middlewareId(index)] = middleware));
  const routers = wire.groups.flatMap(([host, source, ...routes]) => routes.map((route) => decodeRouter(host, source, route)));
  return {
    schema: TABLE_SCHEMA_VERSION,
    routers,
    ...(wire.default ? { defaultRouter: decodeRouter('', wire.default[0], wire.default[1]) } : {}),
    middlewares,
    services,
  };
}

export function decodeRouter(host: string, source: string, route: WireRouteTuple): Router {
  const id = route[ROUTE.id];
  const rule = route[ROUTE.rule];
  const mws = route[ROUTE.middlewares] ?? [];
  const priority = route[ROUTE.priority] ?? 0;
  const flags = route[ROUTE.flags] ?? '';
  const conditions = route[ROUTE.conditions];
  const type = CODE_TYPES[rule[0] as keyof typeof CODE_TYPES];
  const match: PathMatch = type === 'any' ? { type } : { type, path: rule.slice(1) };
  return {
    id: decodeId(source, id),
    source,
    ...(flags.includes('g') ? { origin: 'httproute' as const } : {}),
    host,
    ...(flags.includes('l') ? { hostWildcard: 'labels' as const } : {}),
    match,
    ...(conditions ? { conditions } : {}),
    priority,
    ...(flags.includes('s') ? { schemes: ['https' as const] } : flags.includes('p') ? { schemes: ['http' as const] } : {}),
    middlewares: mws.map(middlewareId),
    service: serviceId(route[ROUTE.service]),
    passHostHeader: !flags.includes('h'),
    ...(flags.includes('u') ? { passUrlOverrideHeaders: true as const } : {}),
  };
}

export function decodeService(service: WireService): Service {
  if (!Array.isArray(service)) {
    if ('status' in service) return { kind: 'status', status: service.status, reason: service.reason };
    return {
      kind: 'weighted',
      services: service.weighted.map((member) => {
        const mws = member[MEMBER.middlewares];
        return { service: serviceId(member[MEMBER.service]), weight: member[MEMBER.weight], ...(mws ? { middlewares: mws.map(middlewareId) } : {}) };
      }),
      ...(service.sticky ? { sticky: service.sticky } : {}),
    };
  }
  const target = service[POOL.target];
  const servers = service[POOL.servers];
  const protocol = service[POOL.protocol] ?? 'http';
  const extra = service[POOL.extra];
  const match = /^([^/]+)\/(.+):(\d+)$/.exec(target);
  return {
    kind: 'servers',
    protocol,
    ...(match ? { target: { namespace: match[1]!, name: match[2]!, port: Number(match[3]) } } : {}),
    ...(extra?.external ? { external: true } : {}),
    servers: decodeServers(servers),
    ...(extra?.unavailable !== undefined ? { unavailable: extra.unavailable } : {}),
    ...(extra?.balancer ? { balancer: extra.balancer } : {}),
  };
}
