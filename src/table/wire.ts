/**
 * The compact form a shard takes in storage (Workers KV). The table the
 * compiler produces is written for people (ids, one object per router); a
 * stored shard carries the same information in about a fifth of the bytes,
 * because a cold isolate pays for every byte it reads and parses:
 *
 * - services and middlewares are arrays, referred to by index (ids are only
 *   meaningful inside one table, so decoding assigns fresh ones);
 * - routers are grouped by host and Ingress, each router a short tuple
 *   `[idSuffix, type, path, service, middlewares?, priority?, flags?]` where
 *   `type` is `e`xact, `p`refix, `s`tring-prefix or `a`ny, and `flags` has
 *   `h` for "do not pass the Host header", `s`/`p` for https-/http-only;
 * - a pool is `[target, protocol, servers, extra?]`, a server `"ip:port"` or
 *   `["ip:port", weight]` (weight 1 omitted); pod names are left out.
 * `decodeShard(encodeShard(t))` equals `t` up to ids and pod names.
 *
 * @example
 * ```ts
 * const text = encodeShard(shard);          // what the publisher stores
 * const table = decodeShard(JSON.parse(text)); // undefined when invalid
 * ```
 */
import { z } from 'zod';
import { MiddlewareSchema, type Middleware } from './middleware.ts';
import { HostPatternSchema, TABLE_SCHEMA_VERSION, type PathMatch, type Router, type Service, type Table } from './schema.ts';

const WireServer = z.union([z.string(), z.tuple([z.string(), z.number().int().min(0)])]);
const WirePool = z.tuple([
  z.string(),
  z.enum(['http', 'https', 'h2c']),
  z.array(WireServer),
  z.object({ external: z.literal(true).optional(), unavailable: z.string().optional() }).optional(),
]);
const WireWeighted = z.object({ weighted: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])).min(1) });
const WireRoute = z.tuple([
  z.string(),
  z.enum(['e', 'p', 's', 'a']),
  z.union([z.literal(''), z.string().max(2048).startsWith('/')]),
  z.number().int().min(0),
  z.array(z.number().int().min(0)).optional(),
  z.number().int().min(0).optional(),
  z.string().optional(),
]);
const WireGroup = z.tuple([HostPatternSchema, z.string().min(1)]).rest(WireRoute);

export const WireShardSchema = z.object({
  schema: z.number().int(),
  services: z.array(z.union([WirePool, WireWeighted])),
  middlewares: z.array(MiddlewareSchema),
  groups: z.array(WireGroup),
  default: z.tuple([z.string(), WireRoute]).optional(),
});
export type WireShard = z.infer<typeof WireShardSchema>;
type WireRouteTuple = z.infer<typeof WireRoute>;

const TYPE_CODES = { exact: 'e', prefix: 'p', 'string-prefix': 's', any: 'a' } as const;
const CODE_TYPES = { e: 'exact', p: 'prefix', s: 'string-prefix', a: 'any' } as const;

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
  const encodedServices: WireShard['services'] = [];
  // Encoding a weighted service indexes its members, so the list grows while it is walked.
  for (let index = 0; index < services.values.length; index++) encodedServices.push(encodeService(services.values[index]!, services));
  const shard: WireShard = {
    schema: TABLE_SCHEMA_VERSION,
    services: encodedServices,
    middlewares: middlewares.values,
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
  const hash = router.id.lastIndexOf('#');
  const flags = (router.passHostHeader ? '' : 'h') + (router.schemes?.length === 1 ? (router.schemes[0] === 'https' ? 's' : 'p') : '');
  const tuple: WireRouteTuple = [
    hash === -1 ? router.id : router.id.slice(hash + 1),
    TYPE_CODES[router.match.type],
    router.match.type === 'any' ? '' : router.match.path,
    services.index(router.service),
  ];
  const mws = router.middlewares.map((id) => middlewares.index(id));
  if (mws.length > 0 || router.priority > 0 || flags) tuple[4] = mws;
  if (router.priority > 0 || flags) tuple[5] = router.priority;
  if (flags) tuple[6] = flags;
  return tuple;
}

function encodeService(service: Service, services: Indexer<Service>): z.infer<typeof WirePool> | z.infer<typeof WireWeighted> {
  if (service.kind === 'weighted') {
    return { weighted: service.services.map((member) => [services.index(member.service), member.weight] as [number, number]) };
  }
  const target = service.target ? `${service.target.namespace}/${service.target.name}:${service.target.port}` : '';
  const servers = service.servers.map((server) => (server.weight === 1 ? server.address : ([server.address, server.weight] as [string, number])));
  const extra = { ...(service.external ? { external: true as const } : {}), ...(service.unavailable !== undefined ? { unavailable: service.unavailable } : {}) };
  return Object.keys(extra).length > 0 ? [target, service.protocol, servers, extra] : [target, service.protocol, servers];
}

/** The table a stored shard stands for; undefined when the value is not a valid shard. */
export function decodeShard(value: unknown): Table | undefined {
  const parsed = WireShardSchema.safeParse(value);
  if (!parsed.success || parsed.data.schema !== TABLE_SCHEMA_VERSION) return undefined;
  const wire = parsed.data;
  const services: Record<string, Service> = {};
  wire.services.forEach((service, index) => (services[`s${index}`] = decodeService(service)));
  const middlewares: Record<string, Middleware> = {};
  wire.middlewares.forEach((middleware, index) => (middlewares[`m${index}`] = middleware));
  const routers = wire.groups.flatMap(([host, source, ...routes]) => routes.map((route) => decodeRouter(host, source, route)));
  if (routers.some((router) => router.match.type !== 'any' && !('path' in router.match && router.match.path))) return undefined;
  return {
    schema: TABLE_SCHEMA_VERSION,
    routers,
    ...(wire.default ? { defaultRouter: decodeRouter('', wire.default[0], wire.default[1]) } : {}),
    middlewares,
    services,
  };
}

function decodeRouter(host: string, source: string, route: WireRouteTuple): Router {
  const [suffix, code, path, service, mws = [], priority = 0, flags = ''] = route;
  const type = CODE_TYPES[code];
  const match: PathMatch = type === 'any' ? { type } : { type, path };
  return {
    id: `${source}#${suffix}`,
    source,
    host,
    match,
    priority,
    ...(flags.includes('s') ? { schemes: ['https' as const] } : flags.includes('p') ? { schemes: ['http' as const] } : {}),
    middlewares: mws.map((index) => `m${index}`),
    service: `s${service}`,
    passHostHeader: !flags.includes('h'),
  };
}

function decodeService(service: z.infer<typeof WirePool> | z.infer<typeof WireWeighted>): Service {
  if (!Array.isArray(service)) {
    return { kind: 'weighted', services: service.weighted.map(([index, weight]) => ({ service: `s${index}`, weight })) };
  }
  const [target, protocol, servers, extra] = service;
  const match = /^([^/]+)\/(.+):(\d+)$/.exec(target);
  return {
    kind: 'servers',
    protocol,
    ...(match ? { target: { namespace: match[1]!, name: match[2]!, port: Number(match[3]) } } : {}),
    ...(extra?.external ? { external: true } : {}),
    servers: servers.map((server) => (typeof server === 'string' ? { address: server, weight: 1 } : { address: server[0], weight: server[1] })),
    ...(extra?.unavailable !== undefined ? { unavailable: extra.unavailable } : {}),
  };
}
