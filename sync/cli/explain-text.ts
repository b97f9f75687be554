/**
 * The words of `edgress explain`: a selection (or its absence) described as
 * lines for people and as a plain object for `--json`.
 */
import { pathMatches, type CompiledRoute } from '../../src/match/compiled-route.ts';
import type { HostView } from '../../src/match/compiled-table.ts';
import type { RouteGroup } from '../../src/match/route-group.ts';
import type { Selection, SelectionReason } from '../../src/match/select.ts';
import { redactMiddleware } from '../../src/table/redact.ts';
import type { Dialect } from '../../src/compile/api.ts';
import type { PathMatch, Scheme, Service } from '../../src/table/schema.ts';

export interface Explanation {
  readonly matched: boolean;
  readonly status?: number;
  readonly route?: string;
  readonly ingress?: string;
  /** How the Ingress's annotations were read: `traefik` or `nginx` (absent for a table file). */
  readonly dialect?: Dialect;
  readonly text: string[];
}

interface Request {
  readonly host: string;
  readonly path: string | undefined;
  readonly scheme: Scheme;
  readonly view: HostView;
}

const REASONS: Record<SelectionReason, string> = {
  priority: 'a route with a priority annotation ranks above every route of lower priority, whatever the host',
  'exact-host': 'an exact host rule claims this host (exact host > *.wildcard > host-less rules)',
  'wildcard-host': 'no exact host rule; a *.wildcard rule covers this host (one label)',
  'any-host': 'no exact or wildcard rule claims this host; host-less rules apply',
  'default-backend': 'no rule of the chosen host matches the path, so the default backend answers',
};

export function describeMatch(match: PathMatch): string {
  switch (match.type) {
    case 'exact':
      return `Exact ${match.path}`;
    case 'prefix':
      return `Prefix ${match.path} (element-wise)`;
    case 'string-prefix':
      return `PathPrefix ${match.path} (string prefix)`;
    case 'regex':
      return `Regex ^${match.path} (ingress-nginx: case-insensitive, anchored at the start)`;
    case 'any':
      return 'any path (rule without a path)';
  }
}

const DIALECTS: Readonly<Record<Dialect, string>> = {
  traefik: 'Traefik 1.7 (ingress.kubernetes.io/*, traefik.ingress.kubernetes.io/* annotations)',
  nginx: 'ingress-nginx (nginx.ingress.kubernetes.io/* annotations, nginx path rules)',
};

export function describeSelection(request: Request & { readonly selection: Selection; readonly dialect?: Dialect | undefined }): Explanation {
  const { route, via } = request.selection;
  const router = route.router;
  const text = [
    `request:     ${request.scheme}://${request.host}${request.path}`,
    `route:       ${router.id} (Ingress ${router.source})`,
    ...(request.dialect ? [`dialect:     ${DIALECTS[request.dialect]}`] : []),
    `why:         ${REASONS[via]}`,
    `rule:        host ${router.host === '' ? '(any)' : router.host}, path ${describeMatch(router.match)}` +
      (router.priority > 0 ? `, priority ${router.priority}` : '') +
      (router.schemes ? `, only ${router.schemes.join('/')}` : ''),
    ...othersLine(request, route),
    `host header: ${router.passHostHeader ? "the client's Host is sent upstream" : "the endpoint's address is sent as Host"}`,
    `middlewares: ${route.middlewares.length === 0 ? '(none)' : ''}`,
    ...route.middlewares.map((middleware, index) => `  ${index + 1}. ${middleware.kind} ${JSON.stringify({ ...redactMiddleware(middleware), kind: undefined })}`),
    ...describeService(route.service, route.services, ''),
  ];
  return { matched: true, route: router.id, ingress: router.source, ...(request.dialect ? { dialect: request.dialect } : {}), text };
}

function othersLine(request: Request, chosen: CompiledRoute): string[] {
  const group = chosenGroup(request.view);
  if (!group || request.path === undefined) return [];
  const path = request.path;
  const others = group.routes.filter((route) => route !== chosen && pathMatches(route.router.match, path));
  if (others.length === 0) return [];
  return [
    `also matched (lower precedence: longer rule path wins, then Exact > Prefix > PathPrefix, then the older Ingress):`,
    ...others.map((route) => `  - ${route.router.id}: ${describeMatch(route.router.match)}`),
  ];
}

function describeService(service: Service, services: Readonly<Record<string, Service>>, indent: string): string[] {
  if (service.kind === 'weighted') {
    return [
      `${indent}service:     weighted split${service.sticky ? ` (sticky cookie ${service.sticky.cookie})` : ''}`,
      ...service.services.flatMap((member) => {
        const child = services[member.service];
        return [`${indent}  weight ${member.weight}: ${member.service}`, ...(child ? describeService(child, services, indent + '    ') : [])];
      }),
    ];
  }
  const target = service.target ? `${service.target.namespace}/${service.target.name}:${service.target.port}` : 'a Service that does not exist';
  const balancing = service.balancer && ` (${service.balancer.method}${service.balancer.sticky ? `, sticky cookie ${service.balancer.sticky.cookie}` : ''})`;
  const head = `${indent}service:     ${target} over ${service.protocol}${balancing ?? ''}`;
  if (service.servers.length === 0) return [head, `${indent}  no endpoints: answers 503${service.unavailable ? ` (${service.unavailable})` : ''}`];
  return [
    head,
    ...service.servers.map((server) => `${indent}  endpoint ${server.address} weight ${server.weight}${server.pod ? ` (pod ${server.pod})` : ''}`),
  ];
}

function chosenGroup(view: HostView): RouteGroup | undefined {
  return [view.exact, view.wildcard, view.anyHost].find((group) => group !== undefined && group.routes.length > 0);
}

export function describeNoMatch(request: Request): Explanation {
  const start = `request:     ${request.scheme}://${request.host}${request.path ?? ''}`;
  if (request.path === undefined) {
    return { matched: false, status: 400, text: [start, 'result:      400: the path hides a dot segment behind an encoded slash'] };
  }
  const group = chosenGroup(request.view);
  if (!group) {
    return { matched: false, status: 404, text: [start, `result:      404: no rule claims host ${request.host} and there is no default backend`] };
  }
  const which = group === request.view.exact ? `exact host ${request.host}` : group === request.view.wildcard ? 'the *.wildcard rule' : 'host-less rules';
  return {
    matched: false,
    status: 404,
    text: [
      start,
      `result:      404: ${which} claim this host, none of their paths matches, and there is no default backend`,
      'rules of that host:',
      ...group.routes.map((route) => `  - ${route.router.id}: ${describeMatch(route.router.match)}${route.router.schemes ? ` (only ${route.router.schemes.join('/')})` : ''}`),
    ],
  };
}
