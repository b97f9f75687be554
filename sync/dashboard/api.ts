/**
 * The dashboard's JSON. Traefik 1.7's shapes where Traefik had them, so
 * scripts written against its API keep working:
 * - `/api/providers/kubernetes` `{frontends, backends}` from the compiled
 *   table: one frontend and one backend per route, named `host + path` as
 *   Traefik's Kubernetes provider named them;
 * - `/health` (`thoas/stats` fields) from the edge statistics.
 * Then edgress's own, under `/api/edgress/`: routes grouped by host with
 * their statistics, diagnostics, publications, per-host edge state.
 * Every value is data for `textContent`; nothing here is markup.
 */
import { STATUS_CODES } from 'node:http';
import type { Diagnostic } from '../../src/compile/api.ts';
import { ruleText, UNMATCHED_INDEX } from '../../src/stats/layout.ts';
import { redactMiddleware } from '../../src/table/redact.ts';
import type { Router, Service, Table } from '../../src/table/schema.ts';
import type { RouteStatistics, StatsSnapshot } from '../stats/snapshot.ts';
import type { DashboardState } from './state.ts';
import { routeKind, type RouteKind } from '../edge-hosts/route-kind.ts';

// ---- Traefik 1.7: providers, frontends, backends ----

export interface TraefikFrontend {
  readonly entryPoints: readonly string[];
  readonly backend: string;
  readonly routes: Readonly<Record<string, { readonly rule: string }>>;
  readonly passHostHeader: boolean;
  readonly priority: number;
  /** edgress's additions: the route id, the object it came from (`ingress` for an Ingress, `httpRoute` for an HTTPRoute; `namespace/name`), its middlewares in order. */
  readonly edgress: { readonly route: string; readonly ingress?: string; readonly httpRoute?: string; readonly middlewares: readonly string[] };
}

export interface TraefikBackend {
  readonly servers: Readonly<Record<string, { readonly url: string; readonly weight: number }>>;
  readonly loadBalancer: { readonly method: string; readonly stickiness?: { readonly cookieName: string } };
}

export interface TraefikProvider {
  readonly frontends: Readonly<Record<string, TraefikFrontend>>;
  readonly backends: Readonly<Record<string, TraefikBackend>>;
}

export function kubernetesProvider(table: Table | undefined): TraefikProvider {
  const frontends: Record<string, TraefikFrontend> = {};
  const backends: Record<string, TraefikBackend> = {};
  if (!table) return { frontends, backends };
  const entries = [...table.routers.map((router) => ({ router, isDefault: false })), ...(table.defaultRouter ? [{ router: table.defaultRouter, isDefault: true }] : [])];
  for (const { router, isDefault } of entries) {
    const names = isDefault ? { frontend: 'global-default-frontend', backend: 'global-default-backend' } : undefined;
    const base = traefikBaseName(router, table);
    // Traefik merged routes of one name into one frontend; edgress keeps them apart, so a second one is named by its route id.
    const name = base in frontends ? router.id : base;
    const frontend = names?.frontend ?? name;
    const backend = names?.backend ?? name;
    const routes: Record<string, { rule: string }> = {};
    if (router.match.type !== 'any') routes[router.match.path] = { rule: `${router.match.type === 'exact' ? 'Path' : 'PathPrefix'}:${router.match.path}` };
    if (router.host) routes[router.host] = { rule: router.host.startsWith('*.') ? `HostRegexp:{subdomain:[a-z0-9-]+}.${router.host.slice(2)}` : `Host:${router.host}` };
    if (Object.keys(routes).length === 0) routes['/'] = { rule: 'PathPrefix:/' };
    frontends[frontend] = {
      entryPoints: router.schemes ?? ['http', 'https'],
      backend,
      routes,
      passHostHeader: router.passHostHeader,
      priority: router.priority,
      edgress: { route: router.id, ...(routeKind(router) === 'HTTPRoute' ? { httpRoute: router.source } : { ingress: router.source }), middlewares: router.middlewares.map((id) => table.middlewares[id]?.kind ?? id) },
    };
    backends[backend] = traefikBackend(table.services[router.service], table.services);
  }
  return { frontends, backends };
}

/**
 * Traefik 1.7's Kubernetes provider's name for a rule's frontend and backend:
 * host + path, or the Service's name when the rule has neither; prefixed
 * `ep1-ep2_` with frontend-entry-points and `N-` with a priority.
 */
function traefikBaseName(router: Router, table: Table): string {
  const service = table.services[router.service];
  const hostAndPath = router.host + (router.match.type === 'any' ? '' : router.match.path);
  const base = hostAndPath || (service?.kind === 'servers' && service.target ? service.target.name : router.id);
  const withEntryPoints = router.schemes ? `${router.schemes.join('-')}_${base}` : base;
  return router.priority > 0 ? `${router.priority}-${withEntryPoints}` : withEntryPoints;
}

function traefikBackend(service: Service | undefined, services: Table['services']): TraefikBackend {
  const servers: Record<string, { url: string; weight: number }> = {};
  for (const endpoint of endpointsOf(service, services)) {
    servers[endpoint.pod ?? endpoint.address] = { url: `${endpoint.protocol === 'https' ? 'https' : 'http'}://${endpoint.address}`, weight: endpoint.weight };
  }
  const sticky = service?.kind === 'servers' ? service.balancer?.sticky : service?.kind === 'weighted' ? service.sticky : undefined;
  const method = service?.kind === 'servers' && service.balancer?.method === 'drr' ? 'drr' : 'wrr';
  return { servers, loadBalancer: { method, ...(sticky ? { stickiness: { cookieName: sticky.cookie } } : {}) } };
}

interface EndpointView {
  readonly address: string;
  readonly weight: number;
  readonly pod?: string;
  readonly protocol: string;
  /** `ns/name:port` of the Service the endpoint belongs to. */
  readonly service: string;
}

function endpointsOf(service: Service | undefined, services: Table['services'], depth = 0): EndpointView[] {
  if (!service || service.kind === 'status' || depth > 4) return [];
  if (service.kind === 'servers') {
    const name = serviceName(service);
    return service.servers.map((server) => ({ address: server.address, weight: server.weight, ...(server.pod ? { pod: server.pod } : {}), protocol: service.protocol, service: name }));
  }
  return service.services.flatMap((member) => endpointsOf(services[member.service], services, depth + 1));
}

function serviceName(service: Service | undefined): string {
  if (service?.kind !== 'servers') return '';
  return service.target ? `${service.target.namespace}/${service.target.name}:${service.target.port}` : '';
}

// ---- Traefik 1.7: /health ----

export function healthJson(state: DashboardState, snapshot: StatsSnapshot): Record<string, unknown> {
  const now = state.now();
  const uptimeMs = now - state.startedAt;
  const { totals, window } = snapshot;
  const average = totals.count === 0 ? 0 : totals.responseMs / totals.count;
  return {
    pid: process.pid,
    uptime: goDuration(uptimeMs),
    uptime_sec: uptimeMs / 1000,
    time: goTime(now),
    unixtime: Math.floor(now / 1000),
    status_code_count: window.statusCodes,
    total_status_code_count: totals.statusCodes,
    count: window.count,
    total_count: totals.count,
    total_response_time: goDuration(totals.responseMs),
    total_response_time_sec: totals.responseMs / 1000,
    average_response_time: goDuration(average),
    average_response_time_sec: average / 1000,
    recent_errors: snapshot.recentErrors.map((error) => ({
      status_code: error.status,
      status: STATUS_CODES[error.status] ?? '',
      method: error.method,
      host: error.host,
      path: error.path,
      time: new Date(error.time).toISOString(),
    })),
    edgress: statisticsSummary(snapshot),
  };
}

/** Where the figures come from and how far they can be trusted. */
function statisticsSummary(snapshot: StatsSnapshot): Record<string, unknown> {
  return {
    source: snapshot.source,
    sampled: snapshot.sampled,
    window_seconds: snapshot.windowSeconds,
    totals_scope: snapshot.source === 'dev' ? 'since edgress dev started' : 'the last hour',
    updated_at: snapshot.updatedAt === undefined ? null : new Date(snapshot.updatedAt).toISOString(),
    ...(snapshot.problem === undefined ? {} : { problem: snapshot.problem }),
  };
}

/** A duration as Go's `time.Duration.String()` writes it (Traefik's `*_time` fields). */
export function goDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 0.001) return `${trim(ms * 1e6)}ns`;
  if (ms < 1) return `${trim(ms * 1000)}µs`;
  if (ms < 1000) return `${trim(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${trim(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  const rest = `${trim(seconds - minutes * 60)}s`;
  return minutes < 60 ? `${minutes}m${rest}` : `${Math.floor(minutes / 60)}h${minutes % 60}m${rest}`;
}

/** An instant as Go's `time.Time.String()` writes it in UTC (Traefik's `time`): `2006-01-02 15:04:05.999999999 +0000 UTC`. */
export function goTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}

function trim(value: number): string {
  return String(Number(value.toFixed(6)));
}

// ---- edgress: routes, diagnostics, publications, edge hosts ----

export interface RouteView {
  readonly id: string;
  /** `namespace/name` of the object the route came from (an Ingress, or an HTTPRoute: see `sourceKind`). */
  readonly ingress: string;
  readonly sourceKind: RouteKind;
  readonly rule: string;
  readonly priority: number;
  readonly schemes: readonly string[];
  readonly passHostHeader: boolean;
  readonly middlewares: readonly { readonly id: string; readonly kind: string; readonly config: Readonly<Record<string, unknown>> }[];
  readonly service: { readonly name: string; readonly kind: string; readonly unavailable?: string; readonly endpoints: readonly EndpointView[] };
  readonly statistics: RouteStatistics | null;
  readonly isDefault: boolean;
}

export interface HostView {
  readonly host: string;
  readonly routes: readonly RouteView[];
}

/** Routes grouped by host (hosts sorted, `*` for any host), each with the statistics of its route id. */
export function hostsView(table: Table | undefined, snapshot: StatsSnapshot): HostView[] {
  if (!table) return [];
  const byRoute = new Map(snapshot.routes.filter((stats) => stats.route !== UNMATCHED_INDEX).map((stats) => [stats.route, stats]));
  const hosts = new Map<string, RouteView[]>();
  const add = (router: Router, isDefault: boolean) => {
    const host = router.host || '*';
    let routes = hosts.get(host);
    if (!routes) hosts.set(host, (routes = []));
    routes.push(routeView(router, table, byRoute.get(router.id) ?? byPrefix(byRoute, router.id) ?? null, isDefault));
  };
  for (const router of table.routers) add(router, false);
  if (table.defaultRouter) add(table.defaultRouter, true);
  return [...hosts.entries()].sort(([a], [b]) => (a === '*' ? 1 : b === '*' ? -1 : a.localeCompare(b))).map(([host, routes]) => ({ host, routes }));
}

/** Long ids reach Analytics Engine shortened (`worker/base/stats.ts`): the first 80 bytes and a hash. */
function byPrefix(byRoute: ReadonlyMap<string, RouteStatistics>, id: string): RouteStatistics | undefined {
  if (id.length <= 80) return undefined;
  for (const [route, stats] of byRoute) if (route.includes('~') && id.startsWith(route.slice(0, route.lastIndexOf('~')))) return stats;
  return undefined;
}

function routeView(router: Router, table: Table, statistics: RouteStatistics | null, isDefault: boolean): RouteView {
  const service = table.services[router.service];
  return {
    id: router.id,
    ingress: router.source,
    sourceKind: routeKind(router),
    rule: ruleText(router.match),
    priority: router.priority,
    schemes: router.schemes ?? ['http', 'https'],
    passHostHeader: router.passHostHeader,
    middlewares: router.middlewares.map((id) => {
      const middleware = table.middlewares[id];
      return { id, kind: middleware?.kind ?? 'unknown', config: middleware ? redactMiddleware(middleware) : {} };
    }),
    service: {
      name: serviceName(service) || (service?.kind === 'weighted' ? 'weighted split' : router.service),
      kind: service?.kind ?? 'unknown',
      ...(service?.kind === 'servers' && service.unavailable ? { unavailable: service.unavailable } : {}),
      endpoints: endpointsOf(service, table.services),
    },
    statistics,
    isDefault,
  };
}

export function diagnosticsView(diagnostics: readonly Diagnostic[]) {
  return diagnostics.map((diagnostic) => ({
    severity: diagnostic.severity,
    code: diagnostic.code,
    object: `${diagnostic.object.kind} ${diagnostic.object.namespace ? `${diagnostic.object.namespace}/` : ''}${diagnostic.object.name}`,
    field: diagnostic.field ?? '',
    message: diagnostic.message,
  }));
}

export function publicationsView(state: DashboardState) {
  return state.publications.map((publication, i) => ({
    version: publication.version,
    at: new Date(publication.at).toISOString(),
    routes: publication.routes,
    inForce: i === 0,
    rollback: state.rollbackTarget !== undefined && i > 0 ? `edgress rollback ${state.rollbackTarget} --to ${publication.version.slice(0, 12)}` : null,
  }));
}

/** Per-host edge state (Custom Domain or route, records, certificate) from the agent's last reconcile; never invented here. */
export function edgeHostsView(state: DashboardState) {
  const source = state.edgeHosts;
  if (!source) {
    const how = state.mode === 'dev' ? 'edgress dev does not attach hosts at the edge' : 'edgress sync runs without --edge-hosts';
    return { enabled: false, message: `not enabled: ${how} (see docs/operations/edge-hosts.md)`, hosts: [] };
  }
  const hosts = source.reports.map((report) => ({
    host: report.host, ingresses: report.ingresses, httpRoutes: report.httpRoutes ?? [], zone: report.zone ?? null, status: report.status, via: report.via ?? null, detail: report.detail, tls: report.tls ?? null,
  }));
  return { enabled: true, message: `--edge-hosts ${source.mode}: ${hosts.length} host(s) as of the last reconcile`, hosts };
}

export function overviewJson(state: DashboardState) {
  const snapshot = state.stats.snapshot();
  const unmatched = snapshot.routes.filter((stats) => stats.route === UNMATCHED_INDEX);
  return {
    mode: state.mode,
    generatedAt: new Date(state.now()).toISOString(),
    compiledAt: state.compiledAt === undefined ? null : new Date(state.compiledAt).toISOString(),
    statistics: { ...statisticsSummary(snapshot), window: snapshot.window, totals: snapshot.totals, recentErrors: snapshot.recentErrors },
    hosts: hostsView(state.table, snapshot),
    unmatched,
    diagnostics: diagnosticsView(state.diagnostics),
    publications: publicationsView(state),
    edgeHosts: edgeHostsView(state),
  };
}
