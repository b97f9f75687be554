/**
 * The routing table: what the compiler produces once per cluster change and
 * what the edge worker serves from. Version {@link TABLE_SCHEMA_VERSION}.
 *
 * A table is a set of routers (host + path match → middlewares → service),
 * middlewares (a union discriminated by `kind`, see `./middleware.ts`) and
 * services (endpoint pools, or weighted groups of other services). Routers
 * refer to middlewares and services by id, so identical configuration is
 * stored once.
 *
 * The schemas are zod schemas so the worker can validate what it reads from
 * storage at its boundary; the TypeScript types are inferred from them.
 *
 * @example
 * ```ts
 * const table: Table = {
 *   schema: 1,
 *   routers: [{
 *     id: 'default/web#0.0', source: 'default/web', host: 'shop.example.com',
 *     match: { type: 'prefix', path: '/' }, priority: 0,
 *     middlewares: [], service: 'default/web:80', passHostHeader: true,
 *   }],
 *   middlewares: {},
 *   services: {
 *     'default/web:80': {
 *       kind: 'servers', protocol: 'http', target: { namespace: 'default', name: 'web', port: 80 },
 *       servers: [{ address: '10.0.0.7:8080', weight: 1 }],
 *     },
 *   },
 * };
 * ```
 */
import { z } from 'zod';
import { HOST_PATTERN, MAX_HOST_LENGTH, MAX_RULE_PATH_LENGTH, TABLE_SCHEMA_VERSION } from './constants.ts';
import { HeaderNameSchema, HeaderValueSchema } from './header-schemas.ts';
import { MiddlewareSchema } from './middleware.ts';
import { BalancerSchema, StickySchema } from './traffic.ts';

export { HOST_PATTERN, TABLE_SCHEMA_VERSION } from './constants.ts';

/**
 * A router's host: `''` (any host), an exact lower-case DNS name, or `*.` + a
 * DNS name: exactly one label in front of the suffix for Ingress, one or more
 * when the router has `hostWildcard: 'labels'` (Gateway API hostnames).
 */
export const HostPatternSchema = z.string().max(MAX_HOST_LENGTH).regex(HOST_PATTERN, 'not a lower-case host, *.wildcard or empty');

const RulePath = z.string().max(MAX_RULE_PATH_LENGTH).startsWith('/');

/**
 * How a router matches the request path.
 * - `exact`: byte-for-byte equality (Ingress `Exact`, Traefik rule-type `Path`/`PathStrip`).
 * - `prefix`: element-wise prefix (Ingress `Prefix`); stored without a trailing slash, `/` matches all.
 * - `string-prefix`: plain string prefix (Traefik `PathPrefix`, used for `ImplementationSpecific`).
 * - `regex`: ingress-nginx's regex location (`location ~* "^<path>"`): `path` is a
 *   JavaScript regex source (the compiler translated and checked it), matched
 *   case-insensitively from the start of the path, not to its end, on the
 *   linear-time engine of `src/regex/`. Longer sources rank first.
 * - `full-regex`: Gateway API `RegularExpression`: `path` is a JavaScript regex
 *   source matched against the whole path (anchored at both ends),
 *   case-sensitively, on the same linear-time engine. Ranks like `regex`.
 * - `any`: a rule without a path; matches every path and ranks below every path rule.
 */
export const PathMatchSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('exact'), path: RulePath }),
  z.object({ type: z.literal('prefix'), path: RulePath }),
  z.object({ type: z.literal('string-prefix'), path: RulePath }),
  z.object({ type: z.literal('regex'), path: RulePath }),
  z.object({ type: z.literal('full-regex'), path: RulePath }),
  z.object({ type: z.literal('any') }),
]);
export type PathMatch = z.infer<typeof PathMatchSchema>;

/** Request schemes a router can be limited to (Traefik's `frontend-entry-points`). */
export const SchemeSchema = z.enum(['http', 'https']);
export type Scheme = z.infer<typeof SchemeSchema>;

/** Longest regex source a condition can carry. */
const CONDITION_REGEX_MAX = 1000;

/**
 * A request header a Gateway API match requires: `name` in lower case (names
 * are case-insensitive), `value` compared case-sensitively, either equal
 * (`exact`) or matched whole by a regex (`regex`, a JavaScript source, run
 * anchored at both ends on the linear-time engine of `src/regex/`). A header
 * sent several times is compared as its values joined by `, `.
 */
export const HeaderConditionSchema = z.discriminatedUnion('type', [
  z.object({ name: HeaderNameSchema.regex(/^[^A-Z]+$/, 'not lower case'), type: z.literal('exact'), value: HeaderValueSchema.max(4096) }),
  z.object({ name: HeaderNameSchema.regex(/^[^A-Z]+$/, 'not lower case'), type: z.literal('regex'), value: z.string().min(1).max(CONDITION_REGEX_MAX) }),
]);
export type HeaderCondition = z.infer<typeof HeaderConditionSchema>;

/**
 * A query parameter a Gateway API match requires: `name` compared exactly
 * (case-sensitively), against the parameter's first value, either equal or
 * matched whole by a regex as in {@link HeaderConditionSchema}. An absent
 * parameter never matches.
 */
export const QueryConditionSchema = z.discriminatedUnion('type', [
  z.object({ name: z.string().min(1).max(256), type: z.literal('exact'), value: z.string().max(4096) }),
  z.object({ name: z.string().min(1).max(256), type: z.literal('regex'), value: z.string().min(1).max(CONDITION_REGEX_MAX) }),
]);
export type QueryCondition = z.infer<typeof QueryConditionSchema>;

/**
 * What a request must carry beyond host and path for a router to match
 * (Gateway API HTTPRouteMatch): every listed condition holds (AND). When one
 * does not, the matcher tries the next candidate in precedence order.
 */
export const RouterConditionsSchema = z.object({
  /** Upper-case request method (`GET`). */
  method: z.string().regex(/^[A-Z]{1,20}$/, 'not an upper-case method').optional(),
  headers: z.array(HeaderConditionSchema).min(1).max(16).optional(),
  query: z.array(QueryConditionSchema).min(1).max(16).optional(),
  /**
   * The port the client reached the edge on (Gateway API listener port): the
   * request URL's port, or 80/443 by scheme when it names none. Set only when
   * a Gateway's listeners span several ports and the route is not attached
   * to all of them; Cloudflare proxies HTTP on 80, 8080, 8880, 2052, 2082,
   * 2086, 2095 and HTTPS on 443, 2053, 2083, 2087, 2096, 8443.
   */
  port: z.number().int().min(1).max(65535).optional(),
});
export type RouterConditions = z.infer<typeof RouterConditionsSchema>;

/**
 * One routing rule. Routers appear in the table in precedence order for equal
 * matches (older Ingress first), so the array index is the last tie-breaker.
 */
export const RouterSchema = z.object({
  /** Stable, readable id: `namespace/ingress#rule.path` (or `#default`). */
  id: z.string().min(1),
  /** The Ingress (or HTTPRoute, see `origin`) this router came from, `namespace/name`. */
  source: z.string().min(1),
  /** `httproute`: compiled from a Gateway API HTTPRoute; absent: from an Ingress. */
  origin: z.literal('httproute').optional(),
  host: HostPatternSchema,
  /**
   * `labels`: the `*.` of `host` stands for one or more labels (Gateway API),
   * not exactly one (Ingress). Among wildcards the longest matching suffix wins.
   */
  hostWildcard: z.literal('labels').optional(),
  match: PathMatchSchema,
  /** Method, header and query conditions (Gateway API); absent: none. */
  conditions: RouterConditionsSchema.optional(),
  /** `priority` annotation; > 0 ranks above every route of lower priority, whatever its host. */
  priority: z.number().int().min(0),
  /** When set, the router only exists for requests of these schemes. */
  schemes: z.array(SchemeSchema).min(1).optional(),
  /** Middleware ids, already in pipeline order (see `./pipeline.ts`). */
  middlewares: z.array(z.string().min(1)),
  service: z.string().min(1),
  /** Send the client's Host upstream (true) or the endpoint's address (false). */
  passHostHeader: z.boolean(),
  /**
   * Pass the client's `X-Original-URL` / `X-Rewrite-URL` (and `_` spellings) to the pod
   * (`pass-original-url-headers`); absent: they are removed like other edge-owned headers.
   */
  passUrlOverrideHeaders: z.literal(true).optional(),
});
export type Router = z.infer<typeof RouterSchema>;

/** One endpoint: `ip:port`, `[ipv6]:port` or, for ExternalName Services, `name:port`. */
export const ServerSchema = z.object({
  address: z.string().min(3).max(300),
  weight: z.number().int().min(0),
  /** Pod name when known (EndpointSlice `targetRef`), for explain output and logs. */
  pod: z.string().optional(),
});
export type Server = z.infer<typeof ServerSchema>;

/** The Kubernetes Service port a pool stands for (tunnel-hostname transports route by it). */
export const ServiceTargetSchema = z.object({
  namespace: z.string().min(1),
  name: z.string().min(1),
  port: z.number().int().min(1).max(65535),
});
export type ServiceTarget = z.infer<typeof ServiceTargetSchema>;

/**
 * What a router sends traffic to.
 * - `servers`: a pool of endpoints of one Service port. An empty pool answers 503
 *   (`unavailable` says why, for explain and logs).
 * - `weighted`: a split across other services (Traefik's `service-weights`,
 *   Gateway API `backendRefs` weights); a member's `middlewares` (backendRef
 *   filters) run only when that member is picked.
 * - `status`: answers `status` without contacting anything (Gateway API: 500
 *   for a backendRef that cannot be resolved, or only zero weights; 404 for a
 *   hostname that listener isolation keeps from less specific listeners);
 *   `reason` is for explain and logs, never sent to the client.
 */
export const ServiceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('servers'),
    protocol: z.enum(['http', 'https', 'h2c']),
    /** Absent only for an unavailable pool whose Service port is known by name alone (missing Service). */
    target: ServiceTargetSchema.optional(),
    /** ExternalName Service: the address is a DNS name, not a pod. */
    external: z.boolean().optional(),
    servers: z.array(ServerSchema),
    unavailable: z.string().optional(),
    /** Service annotations on load balancing; absent: smooth weighted round robin, not sticky. */
    balancer: BalancerSchema.optional(),
  }),
  z.object({
    kind: z.literal('weighted'),
    services: z
      .array(z.object({ service: z.string().min(1), weight: z.number().int().min(0), middlewares: z.array(z.string().min(1)).min(1).optional() }))
      .min(1),
    /** Stickiness across the whole group (the cookie names one endpoint of any member). */
    sticky: StickySchema.optional(),
  }),
  z.object({
    kind: z.literal('status'),
    status: z.union([z.literal(404), z.literal(500)]),
    reason: z.string(),
  }),
]);
export type Service = z.infer<typeof ServiceSchema>;

/** A whole compiled table, or one shard of it (a shard has the same shape). */
export const TableSchema = z.object({
  schema: z.literal(TABLE_SCHEMA_VERSION),
  routers: z.array(RouterSchema),
  /** The cluster's default backend: answers what no router claims. */
  defaultRouter: RouterSchema.optional(),
  middlewares: z.record(z.string(), MiddlewareSchema),
  services: z.record(z.string(), ServiceSchema),
});
export type Table = z.infer<typeof TableSchema>;

export type { Middleware, MiddlewareKind } from './middleware.ts';
