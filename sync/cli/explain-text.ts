/**
 * The words of `edgress explain`: a request's route (or its absence) as a
 * structured object for `--json`, and the same object as lines for people.
 * The outcome comes first: it is the question the user asked.
 */
import type { IngressSelection } from '../../src/compile/selection.ts';
import { pathMatches, type CompiledRoute } from '../../src/match/compiled-route.ts';
import type { HostView } from '../../src/match/compiled-table.ts';
import type { RouteGroup } from '../../src/match/route-group.ts';
import { CONTROL_ESCAPE } from '../../src/match/normalize.ts';
import type { ConditionRequest } from '../../src/match/conditions.ts';
import type { Selection, SelectionReason } from '../../src/match/select.ts';
import { redactMiddleware } from '../../src/table/redact.ts';
import type { Dialect } from '../../src/compile/api.ts';
import type { PathMatch, RouterConditions, Service } from '../../src/table/schema.ts';
import { routeEndpoints, walkRoute, type Endpoint, type ExplainedRequest, type MiddlewareDecision, type Outcome } from './explain-outcome.ts';
import { routeKind } from '../edge-hosts/route-kind.ts';
import type { UnservedRoute } from './explain-httproutes.ts';

export interface ExplainRequest extends ExplainedRequest {
  /** The normalised host the matcher uses. */
  readonly host: string;
  /** The path in the form routes are matched against. */
  readonly matchPath: string;
  readonly view: HostView;
  /** Method, headers and URL that Gateway API conditions read; without it a conditioned route counts as not matching. */
  readonly conditionRequest?: ConditionRequest;
}

/** A path rule as the README names path types: `{ type: 'Prefix', path: '/api' }`. */
export interface RulePath {
  readonly type: 'Exact' | 'Prefix' | 'ImplementationSpecific' | 'Regex' | 'RegularExpression' | 'any';
  readonly path?: string;
}

export interface ExplainedRoute {
  /** `HTTPRoute` when the route came from one; absent for an Ingress's. */
  readonly kind?: 'HTTPRoute';
  readonly id: string;
  readonly ingress: string;
  readonly host: string;
  readonly path: RulePath;
  readonly priority: number;
  readonly schemes?: readonly string[];
  readonly why: string;
  readonly passHostHeader: boolean;
  /** The client's X-Original-URL and X-Rewrite-URL reach the pod (`pass-original-url-headers`). */
  readonly passUrlOverrideHeaders?: true;
  /** The method, header and query conditions the request met (Gateway API). */
  readonly conditions?: RouterConditions;
  /** Other routes of the chosen host whose paths match too, lower in precedence. */
  readonly alsoMatched: readonly { readonly id: string; readonly path: RulePath; readonly kind?: 'HTTPRoute' }[];
}

export interface Explanation {
  readonly request: { readonly url: string; readonly scheme: string; readonly host: string; readonly path: string; readonly clientIp: string; readonly method: string };
  readonly matched: boolean;
  readonly outcome: Omit<Outcome, 'by'> & { readonly by: Outcome['by'] | 'router' };
  readonly route?: ExplainedRoute;
  /** How the Ingress's annotations were read: `traefik` or `nginx` (absent for a table file). */
  readonly dialect?: Dialect;
  readonly middlewares?: readonly (MiddlewareDecision & { readonly config: Readonly<Record<string, unknown>> })[];
  readonly service?: { readonly id: string; readonly description: string };
  readonly endpoints?: readonly Endpoint[];
  /** Rules of the chosen host when none of their paths matched. */
  readonly hostRules?: readonly { readonly id: string; readonly path: RulePath; readonly schemes?: readonly string[]; readonly conditions?: RouterConditions }[];
  /** Ingresses that name this host but are not served, and why. */
  readonly skipped?: readonly { readonly ingress: string; readonly reason: string; readonly detail: string }[];
  /** HTTPRoutes that name this host but contributed no route, and why. */
  readonly unservedRoutes?: readonly UnservedRoute[];
}

const REASONS: Record<SelectionReason, string> = {
  priority: 'a route with a priority annotation ranks above every route of lower priority, whatever the host',
  'exact-host': 'an exact host rule names this host (exact host > *.wildcard > host-less rules)',
  'wildcard-host': 'no exact host rule; a *.wildcard rule covers this host (one label for Ingress, one or more for Gateway API; the longest suffix wins)',
  'any-host': 'no exact or wildcard rule names this host; host-less rules apply',
  'default-backend': 'no rule of the chosen host matches the path, so the default backend answers',
};

export function rulePath(match: PathMatch): RulePath {
  switch (match.type) {
    case 'exact':
      return { type: 'Exact', path: match.path };
    case 'prefix':
      return { type: 'Prefix', path: match.path };
    case 'string-prefix':
      return { type: 'ImplementationSpecific', path: match.path };
    case 'regex':
      return { type: 'Regex', path: match.path };
    case 'full-regex':
      return { type: 'RegularExpression', path: match.path };
    case 'any':
      return { type: 'any' };
  }
}

export function describeRulePath(path: RulePath): string {
  switch (path.type) {
    case 'Exact':
      return `Exact ${path.path}`;
    case 'Prefix':
      return `Prefix ${path.path} (whole path segments)`;
    case 'ImplementationSpecific':
      return `ImplementationSpecific ${path.path} (string prefix)`;
    case 'Regex':
      return `Regex ^${path.path} (ingress-nginx: case-insensitive, anchored at the start)`;
    case 'RegularExpression':
      return `RegularExpression ${path.path} (Gateway API: case-sensitive, the whole path)`;
    case 'any':
      return 'any path (a rule without a path)';
  }
}

function requestOf(request: ExplainRequest): Explanation['request'] {
  return {
    url: `${request.scheme}://${request.hostHeader}${request.path}${request.search}`,
    scheme: request.scheme, host: request.host, path: request.path, clientIp: request.clientIp, method: request.method,
  };
}

export const DIALECTS: Readonly<Record<Dialect, string>> = {
  traefik: 'Traefik 1.7 (ingress.kubernetes.io/*, traefik.ingress.kubernetes.io/* annotations)',
  nginx: 'ingress-nginx (nginx.ingress.kubernetes.io/* annotations, nginx path rules)',
};

export function describeSelection(request: ExplainRequest & { readonly selection: Selection; readonly dialect?: Dialect | undefined }): Explanation {
  const { route, via } = request.selection;
  const router = route.router;
  const walk = walkRoute(route, request);
  const { endpoints: _reached, ...outcome } = walk.outcome;
  return {
    request: requestOf(request),
    matched: true,
    outcome,
    route: {
      id: router.id, ingress: router.source, ...(routeKind(router) === 'HTTPRoute' ? { kind: 'HTTPRoute' as const } : {}), host: router.host, path: rulePath(router.match), priority: router.priority,
      ...(router.schemes ? { schemes: router.schemes } : {}), why: REASONS[via], passHostHeader: router.passHostHeader,
      ...(router.passUrlOverrideHeaders ? { passUrlOverrideHeaders: true } : {}),
      ...(router.conditions ? { conditions: router.conditions } : {}),
      alsoMatched: alsoMatched(request, route),
    },
    ...(request.dialect ? { dialect: request.dialect } : {}),
    middlewares: walk.middlewares.map((decision, index) => ({ ...decision, config: configOf(route, index) })),
    service: { id: router.service, description: describeService(route.service) },
    endpoints: routeEndpoints(route),
  };
}

function configOf(route: CompiledRoute, index: number): Readonly<Record<string, unknown>> {
  const { kind: _kind, ...config } = redactMiddleware(route.middlewares[index]!);
  return config;
}

function alsoMatched(request: ExplainRequest, chosen: CompiledRoute): ExplainedRoute['alsoMatched'] {
  const group = chosenGroup(request.view);
  if (!group) return [];
  return group.routes
    .filter((route) => route !== chosen && pathMatches(route.router.match, request.matchPath))
    // A route whose method, header or query conditions do not hold did not match at all.
    .filter((route) => route.conditions === undefined || route.conditions.accepts(request.conditionRequest))
    .map((route) => ({ id: route.router.id, path: rulePath(route.router.match), ...(routeKind(route.router) === 'HTTPRoute' ? { kind: 'HTTPRoute' as const } : {}) }));
}

function describeService(service: Service): string {
  if (service.kind === 'status') return `answers ${service.status} (${service.reason})`;
  if (service.kind === 'weighted') return `weighted split over ${service.services.length} services${service.sticky ? ` (sticky cookie ${service.sticky.cookie})` : ''}`;
  const target = service.target ? `Service ${service.target.namespace}/${service.target.name} port ${service.target.port}` : 'a Service that does not exist';
  const balancing = service.balancer ? ` (${service.balancer.method}${service.balancer.sticky ? `, sticky cookie ${service.balancer.sticky.cookie}` : ''})` : '';
  return `${target} over ${service.protocol}${balancing}`;
}

function chosenGroup(view: HostView): RouteGroup | undefined {
  return [view.exact, view.wildcard, view.anyHost].find((group) => group !== undefined && group.routes.length > 0);
}

export function describeNoMatch(
  request: ExplainRequest & { readonly validPath: boolean; readonly validHost?: boolean; readonly selection?: readonly IngressSelection[]; readonly unservedRoutes?: readonly UnservedRoute[] },
): Explanation {
  const base = { request: requestOf(request), matched: false } as const;
  if (request.validHost === false) {
    return { ...base, outcome: { status: 400, summary: '400: the Host has an empty label or a port above 65535', by: 'router' } };
  }
  if (!request.validPath) {
    // The worker's two reasons for refusing a path (src/match/normalize.ts); name the one that applies.
    const why = CONTROL_ESCAPE.test(request.rawPath)
      ? 'the path holds an encoded control character (%00-%1F, %7F)'
      : 'the path hides a dot segment behind an encoded slash or ;parameters';
    return { ...base, outcome: { status: 400, summary: `400: ${why}`, by: 'router' } };
  }
  const skipped = skippedFor(request.host, request.selection);
  const group = chosenGroup(request.view);
  if (!group) {
    const routes = request.unservedRoutes ?? [];
    const unserved = skipped.length > 0 || routes.length > 0 ? '; only objects that edgress does not serve name it (see below)' : '';
    return {
      ...base,
      outcome: { status: 404, summary: `404: no rule names this host and there is no default backend${unserved}`, by: 'router' },
      ...(skipped.length ? { skipped } : {}),
      ...(routes.length ? { unservedRoutes: routes } : {}),
    };
  }
  const which = group === request.view.exact ? `rules for host ${request.host}` : group === request.view.wildcard ? 'the *.wildcard rules' : 'host-less rules';
  const conditioned = group.routes.some((route) => route.conditions !== undefined) ? ' (or their method, header, query or port conditions do not hold)' : '';
  return {
    ...base,
    outcome: { status: 404, summary: `404: ${which} apply, none of their paths matches${conditioned}, and there is no default backend`, by: 'router' },
    hostRules: group.routes.map((route) => ({
      id: route.router.id,
      path: rulePath(route.router.match),
      ...(route.router.schemes ? { schemes: route.router.schemes } : {}),
      ...(route.router.conditions ? { conditions: route.router.conditions } : {}),
    })),
    ...(skipped.length ? { skipped } : {}),
  };
}

/** Ingresses naming the host (exactly, or by a wildcard covering it) that are not served. */
function skippedFor(host: string, selection: readonly IngressSelection[] | undefined): NonNullable<Explanation['skipped']> {
  const covers = (pattern: string) => {
    if (pattern === host) return true;
    if (!pattern.startsWith('*.') || !host.endsWith(pattern.slice(1))) return false;
    const label = host.slice(0, host.length - pattern.length + 1);
    return label !== '' && !label.includes('.');
  };
  return (selection ?? []).flatMap((entry) =>
    entry.decision.ours || !entry.hosts.some(covers) ? [] : [{ ingress: entry.key, reason: entry.decision.reason, detail: entry.decision.detail }],
  );
}

/** Gateway API match conditions in one line: `method GET, header version = "two", query page ~ /[0-9]+/`. */
export function describeConditions(conditions: RouterConditions): string {
  const value = (condition: { readonly type: 'exact' | 'regex'; readonly value: string }) =>
    condition.type === 'exact' ? `= ${JSON.stringify(condition.value)}` : `~ /${condition.value}/ (whole value)`;
  return [
    ...(conditions.method ? [`method ${conditions.method}`] : []),
    ...(conditions.headers ?? []).map((header) => `header ${header.name} ${value(header)}`),
    ...(conditions.query ?? []).map((query) => `query ${query.name} ${value(query)}`),
    ...(conditions.port !== undefined ? [`edge port ${conditions.port}`] : []),
  ].join(', ');
}

/** The explanation as lines: request, outcome, then how it got there. */
export function explanationText(explanation: Explanation): string[] {
  const { request, outcome, route } = explanation;
  const lines = [`request:     ${request.method} ${request.url} from ${request.clientIp}`, `outcome:     ${outcome.summary}`];
  if (route) {
    lines.push(
      `route:       ${route.id} (${route.kind ?? 'Ingress'} ${route.ingress})`,
      ...(explanation.dialect ? [`dialect:     ${DIALECTS[explanation.dialect]}`] : []),
      `why:         ${route.why}`,
      `rule:        host ${route.host === '' ? '(any)' : route.host}, path ${describeRulePath(route.path)}` +
        (route.priority > 0 ? `, priority ${route.priority}` : '') + (route.schemes ? `, only ${route.schemes.join('/')}` : ''),
      ...(route.conditions ? [`conditions:  ${describeConditions(route.conditions)}`] : []),
    );
    if (route.alsoMatched.length > 0) {
      lines.push(
        route.kind === 'HTTPRoute' || route.alsoMatched.some((other) => other.kind === 'HTTPRoute')
          ? 'also matched (lower precedence: Exact > longer path; then a method, more header, more query conditions; then the older route):'
          : 'also matched (lower precedence: longer rule path wins, then Exact > Prefix > ImplementationSpecific, then the older Ingress):',
      );
      for (const other of route.alsoMatched) lines.push(`  - ${other.id}: ${describeRulePath(other.path)}`);
    }
    lines.push(`host header: ${route.passHostHeader ? "the client's Host is sent upstream" : "the endpoint's address is sent as Host"}`);
    if (route.passUrlOverrideHeaders) lines.push("url headers: the client's X-Original-URL and X-Rewrite-URL are sent upstream (pass-original-url-headers)");
  }
  if (explanation.middlewares) {
    lines.push(`middlewares: ${explanation.middlewares.length === 0 ? '(none)' : ''}`);
    explanation.middlewares.forEach((step, index) => lines.push(`  ${index + 1}. ${step.kind} ${JSON.stringify(step.config)}`, `     ${step.decision}: ${step.detail}`));
  }
  if (explanation.service) lines.push(`service:     ${explanation.service.description}`);
  for (const endpoint of explanation.endpoints ?? []) {
    lines.push(`  endpoint ${endpoint.address} weight ${endpoint.weight}${endpoint.pod ? ` (pod ${endpoint.pod})` : ''}`);
  }
  if (explanation.hostRules) {
    lines.push('rules of that host:');
    for (const rule of explanation.hostRules) {
      const only = rule.schemes ? ` (only ${rule.schemes.join('/')})` : '';
      lines.push(`  - ${rule.id}: ${describeRulePath(rule.path)}${only}${rule.conditions ? `, when ${describeConditions(rule.conditions)}` : ''}`);
    }
  }
  for (const skipped of explanation.skipped ?? []) lines.push(`not served:  Ingress ${skipped.ingress} names this host: ${skipped.detail}`);
  for (const unserved of explanation.unservedRoutes ?? []) lines.push(`not served:  HTTPRoute ${unserved.route} names this host: ${unserved.detail}`);
  return lines;
}
