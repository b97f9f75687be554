/**
 * One Ingress of ours → routers: annotations read once, then the default
 * backend and every rule path. Each path fails alone (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe): a bad
 * host, path, backend or duplicate drops that path with a diagnostic, and a
 * missing Service still gives a router whose pool answers 503 (docs/design/decisions.md#decision-4-a-missing-service-answers-503).
 *
 * @example
 * ```ts
 * const served = compileIngress(ingress, { cluster, options, pools, table, sink });
 * ```
 */
import type { Dialect, ProviderOptions } from './api.ts';
import type { Middleware } from '../table/middleware.ts';
import type { Router } from '../table/schema.ts';
import type { Sticky } from '../table/traffic.ts';
import { checkIngressAnnotations } from './annotations/check.ts';
import { readProtection } from './annotations/protection.ts';
import { readRouting, type RoutingSettings } from './annotations/routing.ts';
import type { ClusterObjects } from './cluster.ts';
import { quote, type DiagnosticSink, type Reporter } from './diagnostics.ts';
import { hostProblem } from './hosts.ts';
import { readHttpFeatures, type HttpFeatures } from './http-features.ts';
import type { CanarySpec } from './nginx/canary.ts';
import { readNginxIngress } from './nginx/ingress.ts';
import { routePath, type RoutePath } from './paths.ts';
import type { PoolRef, PoolResolver } from './pools.ts';
import type { BackendRef } from './read/backend.ts';
import type { IngressModel, PathModel, RuleModel } from './read/ingress.ts';
import type { RouteTable } from './table-builder.ts';
import { checkTls } from './tls.ts';
import { readIngressTraffic, WeightedRoutes, type IngressTraffic } from './traffic/ingress.ts';
import { joined } from './text.ts';

/** Everything one compile shares across Ingresses. */
export interface CompileContext {
  readonly cluster: ClusterObjects;
  readonly options: ProviderOptions;
  readonly pools: PoolResolver;
  readonly table: RouteTable;
  readonly sink: DiagnosticSink;
  /** Hosts whose nginx-dialect paths are all regexes (see `./nginx/regex-hosts.ts`); absent: none. */
  readonly nginxRegexHosts?: ReadonlySet<string>;
  /** nginx-dialect canary paths by host and path (see `./nginx/canary.ts`); absent: none. */
  readonly nginxCanaries?: ReadonlyMap<string, CanarySpec>;
}

/**
 * What a dialect read from one Ingress's annotations: the settings every
 * router shares and how each rule path becomes a match.
 */
export interface IngressReading {
  readonly routing: RoutingSettings;
  /** Access-control middlewares every router of the Ingress starts with (see `readProtection`). */
  readonly protection: readonly Middleware[];
  /** Redirects, rewrites, headers, error pages, entry points (`readHttpFeatures`). */
  readonly features: HttpFeatures;
  /** `rate-limit` and `service-weights`. */
  readonly traffic: IngressTraffic;
  /** The match and path middlewares of a rule path, or undefined (reported) when it cannot be routed. */
  route(path: PathModel, host: string): DialectRoute | undefined;
  /**
   * The Ingress's default backend serves only its own hosts (ingress-nginx: the
   * `/` of each rule host not otherwise routed), not every unclaimed request.
   */
  readonly defaultBackendPerHost?: boolean;
  /** A pool that answers instead of a route's own pool when that has no endpoint (ingress-nginx `default-backend`). */
  readonly emptyPoolFallback?: string;
  /** The Ingress routes nothing itself (an ingress-nginx canary: its paths join other Ingresses' routes). */
  readonly routesNothing?: boolean;
  /** Session affinity for every route (ingress-nginx `affinity: cookie`): the pool is wrapped in a sticky group. */
  readonly sticky?: Sticky;
  /** More names for the Ingress's first rule host, with the same paths (ingress-nginx `server-alias`). */
  readonly hostAliases?: readonly string[];
  /** Hosts that only redirect (ingress-nginx `from-to-www-redirect`): served when no Ingress claims their `/`. */
  readonly hostRedirects?: readonly { readonly host: string; readonly middleware: Middleware }[];
}

/** A rule path's route, plus the exact path that answers with a 301 to it (nginx's trailing-slash redirect). */
export interface DialectRoute extends RoutePath {
  readonly slashRedirect?: { readonly from: string; readonly middleware: Middleware };
}

/** One Ingress being compiled. */
interface Scope extends IngressReading {
  readonly ctx: CompileContext;
  readonly ingress: IngressModel;
  readonly report: Reporter;
  /** Pools whose problem this Ingress already reported. */
  readonly reported: Set<string>;
  readonly weighted: WeightedRoutes;
  /** The pool of the Ingress's first router (what redirect-only routers name as their service). */
  firstPool: string | undefined;
  /** Trailing-slash 301s, added after every path of the Ingress so that a path of its own (`Exact /docs`) wins over them. */
  readonly slashRedirects: { readonly host: string; readonly redirect: NonNullable<DialectRoute['slashRedirect']>; readonly id: string; readonly service: string }[];
}

type ServiceBackend = Extract<BackendRef, { kind: 'service' }>;

/** Compiles one Ingress in its dialect; true when it contributed a router or the default backend. */
export function compileIngress(ingress: IngressModel, ctx: CompileContext, dialect: Dialect = 'traefik'): boolean {
  const report = ctx.sink.about(ingress.ref);
  const reading = dialect === 'nginx' ? readNginxIngress(ingress, ctx, report) : readTraefikIngress(ingress, ctx, report);
  if (!reading) return false;
  if (reading.routesNothing) return true;
  const scope: Scope = { ...reading, route: reading.route, ctx, ingress, report, reported: new Set(), weighted: new WeightedRoutes(), firstPool: undefined, slashRedirects: [] };
  let served = scope.defaultBackendPerHost ? false : compileDefaultBackend(scope);
  ingress.rules.forEach((rule, index) => {
    if (rule && compileRule(scope, rule, index)) served = true;
  });
  compileHostAliases(scope);
  for (const { host, redirect, id, service } of scope.slashRedirects) addSlashRedirect(scope, host, redirect, id, service);
  if (scope.defaultBackendPerHost && compileHostDefaultBackends(scope)) served = true;
  compileHostRedirects(scope);
  if (dialect === 'traefik') warnIgnoredRuleType(scope);
  for (const [id, service] of scope.weighted.finish()) ctx.table.addService(id, service);
  return served;
}

/** Traefik 1.7's annotations; undefined when the Ingress is not served (an invalid service-weights). */
function readTraefikIngress(ingress: IngressModel, ctx: CompileContext, report: Reporter): IngressReading | undefined {
  const annotations = ingress.meta.annotations;
  const routing = readRouting(annotations, ctx.options, report);
  const namespace = ingress.meta.namespace;
  const access = readProtection(annotations, { namespace, secret: (name) => ctx.cluster.secret(namespace, name) }, report);
  const features = readHttpFeatures(ingress, ctx, routing.ruleType.type, report);
  const unenforced = checkIngressAnnotations(annotations, report);
  // An access key edgress cannot read must not leave the routes open (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe): the deny replaces the rest.
  const protection = unenforced ? [unenforced] : access;
  checkTls(ingress, ctx.cluster, report);
  const traffic = readIngressTraffic(ingress, ctx.cluster, report);
  if (!traffic.served) return undefined;
  return { routing, protection, features, traffic, route: (path) => routePath(path, routing.ruleType.type, ingress.style, report) };
}

function compileRule(scope: Scope, rule: RuleModel, ruleIndex: number, idSuffix = ''): boolean {
  const problem = hostProblem(rule.host);
  if (problem) {
    scope.report.error('InvalidHost', `${rule.field}.host`, `host ${quote(rule.host)}: ${problem}; rule skipped`);
    return false;
  }
  if (!rule.paths || rule.paths.length === 0) {
    scope.report.warn('EmptyRule', rule.field, 'rule has no http paths; ignored');
    return false;
  }
  let served = false;
  rule.paths.forEach((path, pathIndex) => {
    if (path && compilePath(scope, rule.host, path, joined(scope.ingress.key, '#', ruleIndex, '.', pathIndex, idSuffix))) served = true;
  });
  return served;
}

function compilePath(scope: Scope, host: string, path: PathModel, id: string): boolean {
  const { ctx, ingress, report, routing } = scope;
  const route = scope.route(path, host);
  const backend = route && serviceBackend(scope, path.backend, 'path skipped');
  if (!route || !backend) return false;
  const owner = ctx.table.claim(host, route.match, scope.features.schemes, id);
  // Under service-weights, paths of this Ingress with the same host and path share one route.
  if (owner !== undefined && scope.traffic.weights && scope.weighted.join(owner, weightedMember(scope, host, path, backend))) return true;
  if (owner !== undefined) {
    const what = `${host ? `host ${quote(host)}` : 'any host'} ${route.match.type} ${quote(route.match.type === 'any' ? '' : route.match.path)}`;
    const source = owner.slice(0, owner.indexOf('#'));
    const winner = source === ingress.key
      ? `earlier in this Ingress (${owner})`
      : `by Ingress ${source} (${owner}), older or of the same age and first by namespace/name`;
    report.error('DuplicateRoute', path.field, `${what} is already routed ${winner}; path skipped`);
    return false;
  }
  const { match } = route;
  const pool = poolFor(scope, backend);
  const middlewares = concat(route.middlewares, scope.features.forPath(match), pool.traffic?.middlewares);
  const service = stickyService(scope, pool.size === 0 && scope.emptyPoolFallback !== undefined ? scope.emptyPoolFallback : pool.id);
  const added = router(scope, { id, host, match, priority: routing.priority, middlewares, service });
  scope.firstPool ??= pool.id;
  ctx.table.addRouter(added);
  if (scope.traffic.weights) scope.weighted.start(added, weightedMember(scope, host, path, backend), pool.traffic?.sticky);
  if (route.slashRedirect) scope.slashRedirects.push({ host, redirect: route.slashRedirect, id: `${id}/`, service: pool.id });
  return true;
}

/**
 * With `sticky`, the pool as the one member of a weighted group carrying the
 * cookie: the sticky machinery of Traefik's groups (opaque, tamper-evident
 * values naming one endpoint) pins the client to a pod.
 */
function stickyService(scope: Scope, pool: string): string {
  const sticky = scope.sticky;
  if (!sticky) return pool;
  const id = joined(pool, '+sticky:', sticky.cookie, sticky.secure ? ':secure' : '', sticky.sameSite ? `:${sticky.sameSite}` : '');
  scope.ctx.table.addService(id, { kind: 'weighted', services: [{ service: pool, weight: 1 }], sticky });
  return id;
}

/** nginx answers `/foo` with a 301 to `/foo/` when only the prefix location `/foo/` exists (a path `/foo` already claimed keeps it). */
function addSlashRedirect(scope: Scope, host: string, redirect: NonNullable<DialectRoute['slashRedirect']>, id: string, service: string): void {
  const match = { type: 'exact', path: redirect.from } as const;
  if (scope.ctx.table.claim(host, match, scope.features.schemes, id) !== undefined) return;
  scope.ctx.table.addRouter({
    id, source: scope.ingress.key, host, match, priority: 0,
    ...(scope.features.schemes ? { schemes: [...scope.features.schemes] } : {}),
    middlewares: scope.ctx.table.middlewareIds([redirect.middleware]), service, passHostHeader: scope.routing.passHostHeader,
  });
}

/** The rules of the first rule host again under each alias (router ids end in `@<alias>`). */
function compileHostAliases(scope: Scope): void {
  const first = scope.ingress.rules.find((rule) => rule !== undefined)?.host;
  if (!scope.hostAliases || first === undefined) return;
  for (const alias of scope.hostAliases) {
    scope.ingress.rules.forEach((rule, index) => {
      if (rule && rule.host === first) compileRule(scope, { ...rule, host: alias }, index, `@${alias}`);
    });
  }
}

/** Redirect-only hosts, routed by a `/` prefix nobody else claims. */
function compileHostRedirects(scope: Scope): void {
  const service = scope.firstPool;
  if (!scope.hostRedirects || service === undefined) return;
  for (const { host, middleware } of scope.hostRedirects) {
    const match = { type: 'prefix', path: '/' } as const;
    const id = joined(scope.ingress.key, '#redirect.', host);
    if (scope.ctx.table.claim(host, match, scope.features.schemes, id) !== undefined) continue;
    scope.ctx.table.addRouter({
      id, source: scope.ingress.key, host, match, priority: 0,
      middlewares: scope.ctx.table.middlewareIds([middleware]), service, passHostHeader: scope.routing.passHostHeader,
    });
  }
}

/**
 * ingress-nginx: an Ingress's defaultBackend answers the `/` of each of its
 * rule hosts that no path claims; without rules it is the cluster's default.
 */
function compileHostDefaultBackends(scope: Scope): boolean {
  const { ctx, ingress } = scope;
  const hosts = [...new Set(ingress.rules.flatMap((rule) => (rule && !hostProblem(rule.host) ? [rule.host] : [])))];
  if (hosts.length === 0) return compileDefaultBackend(scope);
  const backend = ingress.defaultBackend && serviceBackend(scope, ingress.defaultBackend, 'default backend ignored');
  if (!backend) return false;
  let served = false;
  for (const host of hosts) {
    const route = scope.route({ field: 'spec.defaultBackend', path: '/', pathType: 'Prefix', backend }, host);
    if (!route) continue;
    const id = joined(ingress.key, '#default.', host);
    if (ctx.table.claim(host, route.match, scope.features.schemes, id) !== undefined) continue;
    const pool = poolFor(scope, backend);
    const middlewares = concat(route.middlewares, scope.features.forDefaultBackend, pool.traffic?.middlewares);
    ctx.table.addRouter(router(scope, { id, host, match: route.match, priority: 0, middlewares, service: stickyService(scope, pool.id) }));
    served = true;
  }
  return served;
}

function compileDefaultBackend(scope: Scope): boolean {
  const { ctx, ingress, report } = scope;
  const backend = ingress.defaultBackend && serviceBackend(scope, ingress.defaultBackend, 'default backend ignored');
  if (!backend) return false;
  const winner = ctx.table.defaultRouter;
  if (winner) {
    report.warn('DuplicateDefaultBackend', backend.field, `the default backend of older Ingress ${winner.source} is used; this one is ignored`);
    return false;
  }
  // The default router is consulted apart from all others, so a priority would mean nothing on it.
  const pool = poolFor(scope, backend);
  ctx.table.defaultRouter = router(scope, {
    id: joined(ingress.key, '#default'), host: '', match: { type: 'prefix', path: '/' }, priority: 0,
    middlewares: concat(scope.features.forDefaultBackend, pool.traffic?.middlewares), service: pool.id,
  });
  return true;
}

interface RouterParts {
  readonly id: string;
  readonly host: string;
  readonly match: Router['match'];
  readonly priority: number;
  readonly middlewares: readonly Middleware[];
  readonly service: string;
}

function router(scope: Scope, parts: RouterParts): Router {
  const { ctx, ingress, routing, protection, features } = scope;
  const schemes = features.schemes;
  // A feature that cannot be honoured safely fails the route closed (its deny runs first).
  const deny = features.deny ? [features.deny] : undefined;
  return {
    id: parts.id,
    source: ingress.key,
    host: parts.host,
    match: parts.match,
    priority: parts.priority,
    ...(schemes ? { schemes: [...schemes] } : {}),
    middlewares: ctx.table.middlewareIds(concat(deny, protection, scope.traffic.middlewares, parts.middlewares)),
    service: parts.service,
    passHostHeader: routing.passHostHeader,
    ...(routing.passUrlOverrideHeaders ? { passUrlOverrideHeaders: true as const } : {}),
  };
}

/** The Service backend, or undefined after reporting why the path (or default backend) cannot use it. */
function serviceBackend(scope: Scope, backend: BackendRef, skipped: string): ServiceBackend | undefined {
  if (backend.kind === 'invalid') scope.report.error('InvalidBackend', backend.field, `${backend.message}; ${skipped}`);
  if (backend.kind === 'resource') {
    scope.report.warn('UnsupportedBackend', backend.field, `resource backend ${quote(backend.resource)} is not supported (Services only); ${skipped}`);
  }
  return backend.kind === 'service' ? backend : undefined;
}

/** The pool for a backend; its problem is reported once per Ingress. */
function poolFor(scope: Scope, backend: ServiceBackend): PoolRef {
  const pool = scope.ctx.pools.resolve(scope.ingress.meta.namespace, backend, scope.routing.protocol);
  if (pool.problem && !scope.reported.has(pool.id)) {
    scope.reported.add(pool.id);
    const severity = pool.problem.code === 'NoReadyEndpoints' ? 'warn' : 'error';
    scope.report[severity](pool.problem.code, backend.field, pool.problem.message);
  }
  return pool;
}

/** A path's pool in its weighted route: Traefik's per-instance weight times the pool's endpoints. */
function weightedMember(scope: Scope, host: string, path: PathModel, backend: ServiceBackend): { pool: string; weight: number } {
  const pool = poolFor(scope, backend);
  return { pool: pool.id, weight: (scope.traffic.weights?.get(`${host}${path.path} ${backend.name}`) ?? 0) * pool.size };
}

/** The lists joined in order (most are empty: one array, or none, is allocated). */
function concat(...lists: (readonly Middleware[] | undefined)[]): readonly Middleware[] {
  let joined: Middleware[] | undefined;
  let only: readonly Middleware[] = NO_MIDDLEWARES;
  for (const list of lists) {
    if (!list || list.length === 0) continue;
    if (joined) joined.push(...list);
    else if (only.length === 0) only = list;
    else joined = [...only, ...list];
  }
  return joined ?? only;
}

const NO_MIDDLEWARES: readonly Middleware[] = [];

/** `rule-type: Path` / `PathPrefix` cannot change an Exact or Prefix path: say so once. */
function warnIgnoredRuleType(scope: Scope): void {
  const { type, key } = scope.routing.ruleType;
  if (key === undefined || (type !== 'Path' && type !== 'PathPrefix')) return;
  const typed = scope.ingress.rules.some((rule) => rule?.paths?.some((path) => path?.pathType === 'Exact' || path?.pathType === 'Prefix'));
  if (typed) {
    scope.report.warn('IgnoredAnnotation', key, `rule-type ${quote(type)} has no effect on paths with pathType Exact or Prefix; their pathType decides`);
  }
}
