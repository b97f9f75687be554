/**
 * What a request would get on a route: each middleware's decision for that
 * scheme, client address and method (no credentials), in the order the
 * worker runs them, then the outcome: a redirect with its Location, a
 * refusal, an authentication challenge, or the Service and pods that would
 * answer. It mirrors the worker's middlewares (`worker/middleware/`) from
 * their table entries; nothing is sent anywhere (forward auth is named, not
 * asked).
 *
 * @example
 * ```ts
 * const walk = walkRoute(route, { scheme: 'http', hostHeader: 'shop.example.com', path: '/', rawPath: '/', search: '', clientIp: '127.0.0.1', method: 'GET' });
 * walk.outcome.summary; // '301 → https://shop.example.com/'
 * ```
 */
import { parseAddress, RangeList } from '../../src/net/ip-range.ts';
import { LinearRegex } from '../../src/regex/index.ts';
import { replaceAllMatches } from '../../src/regex/replace.ts';
import type { CompiledRoute } from '../../src/match/compiled-route.ts';
import { redirectLocation, replacePrefixMatch } from '../../src/net/gateway-url.ts';
import type { Middleware, MiddlewareOf } from '../../src/table/middleware.ts';
import type { Scheme, Server, Service } from '../../src/table/schema.ts';

export interface ExplainedRequest {
  readonly scheme: Scheme;
  /** The Host as sent (port included): what redirects and allowed-hosts see. */
  readonly hostHeader: string;
  /** The normalised path the pod would get before path modifiers. */
  readonly path: string;
  /**
   * The path redirects keep (docs/design/decisions.md#decision-8-redirects-see-the-client-url): the client's,
   * normalised as the worker normalises it (merged slashes, dot segments, decoded unreserved escapes), so a
   * Location never names a path other than the one the pod would have got.
   */
  readonly rawPath: string;
  /** `?…` or `''`. */
  readonly search: string;
  readonly clientIp: string;
  readonly method: string;
}

/** What one middleware does with the request: lets it through, changes it, or answers it. */
export interface MiddlewareDecision {
  readonly kind: Middleware['kind'];
  readonly decision: 'pass' | 'modify' | 'answer' | 'ask';
  readonly detail: string;
}

export interface Endpoint {
  readonly address: string;
  readonly weight: number;
  readonly pod?: string;
  /** The Service pool it belongs to (`namespace/name:port`). */
  readonly service: string;
}

export interface Outcome {
  /** The status the client gets; absent when a forward-auth server decides first. */
  readonly status?: number;
  /** One line: `302 → https://…`, `401 without credentials`, `403 from 127.0.0.1`, `→ pod web-0 (10.0.0.7:8080)`. */
  readonly summary: string;
  /** The middleware that answered, or `service`. */
  readonly by: Middleware['kind'] | 'service';
  readonly location?: string;
  /** The path the pod would receive, when the request reaches one. */
  readonly upstreamPath?: string;
  /** The endpoints that could answer (the balancer picks among them by weight). */
  readonly endpoints?: readonly Endpoint[];
}

export interface RouteWalk {
  readonly middlewares: readonly MiddlewareDecision[];
  readonly outcome: Outcome;
}

/** Walks the route's middlewares in order, as the worker would run them, and says where the request ends. */
export function walkRoute(route: CompiledRoute, request: ExplainedRequest): RouteWalk {
  const decisions: MiddlewareDecision[] = [];
  let upstreamPath = request.path;
  let askedFirst: string | undefined;
  let pages: MiddlewareOf<'error-pages'> | undefined;
  for (const middleware of route.middlewares) {
    const step = decide(middleware, request, upstreamPath);
    decisions.push({ kind: middleware.kind, decision: step.decision, detail: step.detail });
    if (step.path !== undefined) upstreamPath = step.path;
    if (step.decision === 'ask') askedFirst ??= step.detail;
    if (middleware.kind === 'error-pages') pages = middleware;
    if (step.answer) return { middlewares: decisions, outcome: withErrorPage({ ...step.answer, by: middleware.kind }, pages) };
  }
  const reached = withErrorPage(serviceOutcome(route, upstreamPath), pages);
  if (askedFirst === undefined) return { middlewares: decisions, outcome: reached };
  const { status: _decidedLater, ...rest } = reached;
  return { middlewares: decisions, outcome: { ...rest, summary: `if the forward-auth server lets it in: ${reached.summary}` } };
}

/** The error page that replaces the body of an edge answer (it wraps everything after it, statuses kept). */
function withErrorPage(outcome: Outcome, pages: MiddlewareOf<'error-pages'> | undefined): Outcome {
  const status = outcome.status;
  const page = status === undefined ? undefined : pages?.pages.find((entry) => entry.statuses.some(([from, to]) => status >= from && status <= to));
  if (!page) return outcome;
  return { ...outcome, summary: `${outcome.summary}, with error page ${page.name} (${page.service} ${page.path.replace('{status}', String(status))})` };
}

interface Step {
  readonly decision: MiddlewareDecision['decision'];
  readonly detail: string;
  readonly path?: string;
  readonly answer?: Omit<Outcome, 'by'>;
}

const pass = (detail: string): Step => ({ decision: 'pass', detail });
const answer = (status: number, summary: string, location?: string): Step => ({
  decision: 'answer', detail: summary, answer: { status, summary, ...(location ? { location } : {}) },
});

function decide(middleware: Middleware, request: ExplainedRequest, path: string): Step {
  switch (middleware.kind) {
    case 'deny':
      return answer(middleware.status, `${middleware.status}: the route fails closed (${middleware.reason})`);
    case 'strip-prefix': {
      const stripped = path.startsWith(middleware.prefix) ? path.slice(middleware.prefix.length) || '/' : path;
      return { decision: 'modify', detail: `upstream path ${path} → ${withSlash(stripped)}`, path: withSlash(stripped) };
    }
    case 'add-prefix':
      return { decision: 'modify', detail: `upstream path ${path} → ${middleware.prefix + path}`, path: middleware.prefix + path };
    case 'replace-path':
      return { decision: 'modify', detail: `upstream path ${path} → ${middleware.path}`, path: middleware.path };
    case 'replace-path-regex': {
      const replaced = replaceAllMatches(LinearRegex.compile(middleware.regex), path, middleware.replacement);
      return replaced === undefined ? pass(`${path} does not match ${middleware.regex.source}; path unchanged`) : { decision: 'modify', detail: `upstream path ${path} → ${replaced}`, path: replaced };
    }
    case 'ip-allow-list':
      return allowList(middleware, request);
    case 'redirect':
      return redirect(middleware, request);
    case 'security-headers':
      return securityHeaders(middleware, request);
    case 'basic-auth':
    case 'digest-auth': {
      const scheme = middleware.kind === 'basic-auth' ? 'Basic' : 'Digest';
      return answer(401, `401 without credentials (${scheme} auth, ${middleware.users.length} user(s) of Secret ${middleware.secret})`);
    }
    case 'forward-auth':
      return { decision: 'ask', detail: `asks ${middleware.address}; a 2xx answer lets the request on, any other is returned to the client` };
    case 'error-pages':
      return pass(`statuses ${middleware.pages.map((page) => page.statuses.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(',')).join('; ')} get an error page`);
    case 'custom-headers':
      return pass(`sets ${middleware.request.set.length} and removes ${middleware.request.remove.length} request header(s)`);
    case 'pass-tls-client-cert':
      return pass('passes the client certificate the edge verified (none here)');
    case 'cors':
      return pass(`answers CORS preflights and adds CORS headers for ${middleware.origins.join(', ')}`);
    case 'canary':
      return pass(`sends matching requests (${[middleware.header && `header ${middleware.header}`, middleware.cookie && `cookie ${middleware.cookie}`, `weight ${middleware.weight}/${middleware.total}`].filter(Boolean).join(', ')}) to the canary ${middleware.service}`);
    case 'upstream-host':
      return { decision: 'modify', detail: `Host sent upstream: ${middleware.host}` };
    case 'upstream-timeout':
      return pass(`the pod has ${middleware.ms} ms to answer with its headers`);
    case 'circuit-breaker':
    case 'buffering':
    case 'max-conn':
    case 'rate-limit':
      return pass('lets a single request through');
    case 'replace-prefix': {
      const replaced = replacePrefixMatch(path, middleware.prefix, middleware.value);
      return replaced === undefined
        ? pass(`${path} is not under ${middleware.prefix}; path unchanged`)
        : { decision: 'modify', detail: `upstream path ${path} → ${replaced} (prefix ${middleware.prefix} → ${middleware.value || '(empty)'})`, path: replaced };
    }
    case 'gateway-redirect': {
      const host = request.hostHeader.replace(/:\d*$/, '');
      const port = /:(\d+)$/.exec(request.hostHeader)?.[1];
      const location = redirectLocation(
        { scheme: request.scheme, host, port: port === undefined ? undefined : Number(port), path: request.rawPath, search: request.search },
        middleware,
      );
      return answer(middleware.status, `${middleware.status} → ${location}`, location);
    }
    case 'header-modifier': {
      const edits = [
        middleware.set.length > 0 && `sets ${middleware.set.map(([name]) => name).join(', ')}`,
        middleware.add.length > 0 && `adds ${middleware.add.map(([name]) => name).join(', ')}`,
        middleware.remove.length > 0 && `removes ${middleware.remove.join(', ')}`,
      ].filter(Boolean);
      return pass(`${middleware.phase} headers: ${edits.join('; ') || 'no change'}`);
    }
    case 'request-mirror':
      return pass(`mirrors ${middleware.percent ?? 100}% of requests to ${middleware.service} (its answer is discarded)`);
  }
}

function withSlash(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

function allowList(middleware: MiddlewareOf<'ip-allow-list'>, request: ExplainedRequest): Step {
  const address = parseAddress(request.clientIp);
  const listed = `${middleware.ranges.join(', ')}`;
  const inList = address !== undefined && new RangeList(middleware.ranges).contains(address);
  if (middleware.deny) return inList ? answer(403, `403 from ${request.clientIp} (denied: ${listed})`) : pass(`${request.clientIp} is not in the deny list ${listed}`);
  if (inList) return pass(`${request.clientIp} is in ${listed}`);
  return answer(403, `403 from ${request.clientIp} (allowed: ${listed})`);
}

function redirect(middleware: MiddlewareOf<'redirect'>, request: ExplainedRequest): Step {
  const [get, other] = middleware.permanent ? [301, 308] : [302, 307];
  const status = middleware.status ?? (request.method === 'GET' ? get : other);
  const target = request.rawPath + request.search;
  const to = middleware.to;
  let location: string | undefined;
  if (to.type === 'app-root') {
    if (request.rawPath === '/') location = `${request.scheme}://${request.hostHeader}${to.path}${to.path.includes('?') ? '' : request.search}`;
  } else if (to.type === 'scheme') {
    if (request.scheme !== to.scheme) location = `${to.scheme}://${request.hostHeader.replace(/:\d*$/, '')}:${to.port}${target}`;
  } else {
    const url = `${request.scheme}://${request.hostHeader}${target}`;
    const replaced = replaceAllMatches(LinearRegex.compile(to.regex), url, to.replacement);
    if (replaced !== undefined && replaced !== url) location = replaced;
  }
  return location === undefined ? pass(`no ${to.type} redirect for this request`) : answer(status, `${status} → ${location}`, location);
}

function securityHeaders(middleware: MiddlewareOf<'security-headers'>, request: ExplainedRequest): Step {
  const host = request.hostHeader;
  if (middleware.allowedHosts && !middleware.allowedHosts.includes(host.toLowerCase())) {
    return answer(500, `500 Bad Host: ${host} is not among allowed-hosts`);
  }
  const forceHost = middleware.sslForceHost && middleware.sslHost !== undefined && middleware.sslHost.toLowerCase() !== host.toLowerCase();
  if ((middleware.sslRedirect && request.scheme !== 'https') || forceHost) {
    const location = `https://${middleware.sslHost ?? host}${request.rawPath}${request.search}`;
    return answer(middleware.sslRedirectStatus, `${middleware.sslRedirectStatus} → ${location}`, location);
  }
  return pass('adds the security headers to the response');
}

/** The pool's endpoints (weighted groups flattened, weights multiplied), or 503 when there are none. */
function serviceOutcome(route: CompiledRoute, upstreamPath: string): Outcome {
  if (route.service.kind === 'status') return { status: route.service.status, summary: `${route.service.status}: ${route.service.reason}`, by: 'service', upstreamPath };
  const endpoints = routeEndpoints(route);
  const live = endpoints.filter((endpoint) => endpoint.weight > 0);
  if (live.length === 0) {
    const why = route.service.kind === 'servers' && route.service.unavailable ? ` (${route.service.unavailable})` : '';
    return { status: 503, summary: `503: no endpoint to send it to${why}`, by: 'service', upstreamPath, endpoints };
  }
  const name = (endpoint: Endpoint) => (endpoint.pod ? `pod ${endpoint.pod} (${endpoint.address})` : endpoint.address);
  const summary = live.length === 1
    ? `→ ${name(live[0]!)}, path ${upstreamPath}`
    : `→ one of ${live.length} endpoints, by weight (${live.map(name).join(', ')}), path ${upstreamPath}`;
  return { summary: summary + splitNote(route), by: 'service', upstreamPath, endpoints };
}

/** What a Gateway API split adds: the shares that answer 500, and the members with their own filters. */
function splitNote(route: CompiledRoute): string {
  if (!route.split) return '';
  const total = route.split.reduce((sum, member) => sum + member.weight, 0) || 1;
  const notes = route.split.flatMap((member) => {
    const share = `${Math.round((member.weight * 100) / total)}%`;
    if (member.service.kind === 'status') return [`${share} of requests answer ${member.service.status} (${member.service.reason})`];
    return member.middlewares.length > 0 ? [`${share} go to ${member.id} through ${member.middlewares.map((m) => m.kind).join(', ')}`] : [];
  });
  return notes.length > 0 ? `; ${notes.join('; ')}` : '';
}

/** The endpoints of the route's service; in a weighted split, each gets its pool's weight shared by server weight. */
export function routeEndpoints(route: CompiledRoute): Endpoint[] {
  return endpointsOf(route.router.service, route.service, route.services, undefined);
}

/** `share`: the pool's weight in its weighted group (undefined outside one: servers keep their own weights). */
function endpointsOf(id: string, service: Service, services: Readonly<Record<string, Service>>, share: number | undefined): Endpoint[] {
  if (service.kind === 'servers') {
    // Inside a group the pool's share is split over its servers by their own weights.
    const total = service.servers.reduce((sum, server) => sum + server.weight, 0) || 1;
    const weight = (server: Server) => (share === undefined ? server.weight : Math.round((server.weight * share) / total));
    return service.servers.map((server) => ({ address: server.address, weight: weight(server), ...(server.pod ? { pod: server.pod } : {}), service: id }));
  }
  if (service.kind === 'status') return [];
  return service.services.flatMap((member) => {
    const child = services[member.service];
    return child ? endpointsOf(member.service, child, services, share === undefined ? member.weight : (share * member.weight) / totalWeight(service)) : [];
  });
}

function totalWeight(service: Extract<Service, { kind: 'weighted' }>): number {
  return service.services.reduce((sum, member) => sum + member.weight, 0) || 1;
}
