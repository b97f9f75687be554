/**
 * One Ingress read in the nginx dialect: ingress-nginx's annotations
 * (`nginx.ingress.kubernetes.io/*`, see `./catalog.ts`) and path rules
 * (`./paths.ts`), as the settings and middlewares the shared route builder
 * (`../routes.ts`) turns into routers. Annotations it does not honour are
 * listed in one warning per Ingress, each with why.
 *
 * @example
 * ```ts
 * const reading = readNginxIngress(ingress, ctx, report);
 * reading.route(path, 'shop.example.com'); // { match: { type: 'regex', path: '/api(/|$)(.*)' }, … }
 * ```
 */
import { LinearRegex } from '../../regex/index.ts';
import type { Middleware, MiddlewareOf } from '../../table/middleware.ts';
import type { PathMatch } from '../../table/schema.ts';
import type { Sticky } from '../../table/traffic.ts';
import { REQUEST_URL } from '../../table/http-middleware.ts';
import type { Protocol, RoutingSettings } from '../annotations/routing.ts';
import { headerValueProblem } from '../annotations/header-rules.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { HttpFeatures } from '../http-features.ts';
import type { IngressModel } from '../read/ingress.ts';
import type { CompileContext, IngressReading } from '../routes.ts';
import { checkTls } from '../tls.ts';
import { checkIngressAnnotations } from '../annotations/check.ts';
import { NGINX_ANNOTATION_DIALECT, reportTraefikKeys, unenforceableAccessKeys } from './annotation-dialect.ts';
import { NGINX_ANNOTATIONS, NGINX_PREFIX, nginxAnnotation } from './catalog.ts';
import { readNginxAccess } from './access.ts';
import { canaryKey, isCanary, readCanaryPolicy, type CanarySpec } from './canary.ts';
import { readCors } from './cors.ts';
import { readNginxCustomHeaders } from './custom-headers.ts';
import { readNginxErrors } from './errors.ts';
import { readNginxRateLimit } from './limits.ts';
import { readSnippetHeaders } from './snippet.ts';
import { nginxRoute } from './paths.ts';
import { readNginxRedirects } from './redirects.ts';

type Annotations = Readonly<Record<string, string>>;

export function readNginxIngress(ingress: IngressModel, ctx: CompileContext, report: Reporter): IngressReading {
  const annotations = ingress.meta.annotations;
  reportIgnored(annotations, report);
  if (isCanary(annotations)) return readCanaryIngress(ingress, ctx, report);
  checkTls(ingress, ctx.cluster, report);
  const failures: string[] = [];
  const routing: RoutingSettings = {
    ruleType: { type: 'PathPrefix', key: undefined },
    priority: 0,
    passHostHeader: !ctx.options.disablePassHostHeaders,
    protocol: readBackendProtocol(annotations, report),
    passUrlOverrideHeaders: false,
  };
  const namespace = ingress.meta.namespace;
  const protection = unenforcedAccess(annotations, report) ?? readNginxAccess(annotations, { namespace, secret: (ns, name) => ctx.cluster.secret(ns, name) }, report);
  const redirects = readNginxRedirects(ingress, report);
  if (redirects.failure) failures.push(redirects.failure);
  const rewrite = readRewriteTarget(annotations, report);
  const headers = readForwardedPrefix(annotations, rewrite !== undefined, report);
  const bodyLimit = readBodySize(annotations, report);
  const rateLimit = readNginxRateLimit(annotations, report);
  const timeout = readTimeouts(annotations, report);
  const cors = readCors(annotations, report);
  const errors = readNginxErrors(annotations, ctx, namespace, ingress.meta.name, report);
  const vhost = readUpstreamVhost(annotations, report);
  const customHeaders = readNginxCustomHeaders(annotations, namespace, ctx.cluster, report);
  const snippet = readSnippetHeaders(annotations, ctx.options.allowSnippetHeaders === true, report);
  const shared = [...(errors.pages ? [errors.pages] : []), ...(cors ? [cors] : []), ...redirects.middlewares, ...headers, ...(vhost ? [vhost] : []), ...(timeout ? [timeout] : []), ...(customHeaders ? [customHeaders] : []), ...(snippet ? [snippet] : [])];
  const deny: MiddlewareOf<'deny'> | undefined = failures.length > 0 ? { kind: 'deny', status: 503, reason: failures.join('; ') } : undefined;
  const features: HttpFeatures = {
    schemes: undefined,
    deny,
    forPath: (match) => {
      const rewrites = rewrite ? rewrite(match) : [];
      return rewrites.length === 0 ? shared : [...rewrites, ...shared];
    },
    forDefaultBackend: shared,
  };
  const regexHosts = ctx.nginxRegexHosts;
  return {
    routing,
    protection,
    features,
    traffic: { served: true, middlewares: [bodyLimit, rateLimit].filter((middleware) => middleware !== undefined), weights: undefined },
    route: (path, host) => {
      const route = nginxRoute(path, regexHosts?.has(host) === true, report);
      const canary = route && ctx.nginxCanaries?.get(canaryKey(host, path.path));
      if (!route || !canary) return route;
      return { ...route, middlewares: [...route.middlewares, canaryMiddleware(canary, ctx, routing.protocol, report)] };
    },
    defaultBackendPerHost: true,
    ...(errors.fallbackPool !== undefined ? { emptyPoolFallback: errors.fallbackPool } : {}),
    hostRedirects: readFromToWww(ingress, report),
    hostAliases: readServerAlias(annotations),
    ...stickyOf(annotations, report),
  };
}

/**
 * `affinity: cookie` with `session-cookie-name` (default `INGRESSCOOKIE`),
 * `-secure` and `-samesite` (docs/examples/affinity/cookie;
 * test/e2e/annotations/affinity.go): opaque cookie values as the Traefik
 * dialect's sticky cookie, HttpOnly as ingress-nginx sets it.
 */
function stickyOf(annotations: Annotations, report: Reporter): { sticky?: Sticky } {
  const affinity = nginxAnnotation(annotations, 'affinity');
  if (!affinity || affinity.value.trim() === '') return {};
  if (affinity.value.trim() !== 'cookie') {
    report.error('InvalidAnnotation', affinity.key, `affinity ${quote(affinity.value)} is not "cookie"; no affinity`);
    return {};
  }
  const name = nginxAnnotation(annotations, 'session-cookie-name')?.value.trim() || 'INGRESSCOOKIE';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    report.error('InvalidAnnotation', 'nginx.ingress.kubernetes.io/session-cookie-name', `session-cookie-name ${quote(name)} is not a cookie name; no affinity`);
    return {};
  }
  const sameSite = nginxAnnotation(annotations, 'session-cookie-samesite')?.value.trim().toLowerCase();
  const secure = nginxAnnotation(annotations, 'session-cookie-secure')?.value.trim().toLowerCase() === 'true' || sameSite === 'none';
  return {
    sticky: { cookie: name, secure, httpOnly: true, ...(sameSite === 'none' || sameSite === 'lax' || sameSite === 'strict' ? { sameSite } : {}) },
  };
}

/**
 * `server-alias` (test/e2e/annotations/serveralias.go): more names for the
 * Ingress's (first) host, with its paths; a name another Ingress already
 * routes keeps that Ingress's routes (reported as duplicates).
 */
function readServerAlias(annotations: Annotations): readonly string[] | undefined {
  const found = nginxAnnotation(annotations, 'server-alias');
  if (!found) return undefined;
  const aliases = found.value.split(',').map((alias) => alias.trim().toLowerCase()).filter(Boolean);
  return aliases.length > 0 ? [...new Set(aliases)] : undefined;
}

/**
 * `from-to-www-redirect` (test/e2e/annotations/fromtowwwredirect.go): the
 * other name of each rule host (`www.` added or removed) answers 308 to the
 * rule host, path and query kept.
 */
function readFromToWww(ingress: IngressModel, report: Reporter): IngressReading['hostRedirects'] {
  const found = nginxAnnotation(ingress.meta.annotations, 'from-to-www-redirect');
  if (found?.value.trim().toLowerCase() !== 'true') return undefined;
  const redirects: { host: string; middleware: Middleware }[] = [];
  for (const rule of ingress.rules) {
    const host = rule?.host;
    if (!host || host.startsWith('*.')) continue;
    const from = host.startsWith('www.') ? host.slice(4) : `www.${host}`;
    if (!from.includes('.') || redirects.some((redirect) => redirect.host === from)) continue;
    redirects.push({ host: from, middleware: { kind: 'redirect', permanent: true, status: 308, to: { type: 'regex', regex: REQUEST_URL, replacement: [1, `://${host}`, 5] } } });
  }
  if (redirects.length === 0) report.warn('IgnoredAnnotation', found.key, 'from-to-www-redirect needs a rule host that is not a wildcard');
  return redirects;
}

/** The canary of a main route: its policy read from the canary Ingress, its pool resolved here. */
function canaryMiddleware(canary: CanarySpec, ctx: CompileContext, protocol: RoutingSettings['protocol'], report: Reporter): Middleware {
  const pool = ctx.pools.resolve(canary.namespace, canary.backend, protocol);
  const policy = readCanaryPolicy(canary.annotations, DISCARD);
  if (pool.problem) report.warn(pool.problem.code, undefined, `canary Ingress ${canary.source}: ${pool.problem.message}`);
  return { kind: 'canary', service: pool.id, ...policy };
}

/** The canary Ingress reports its own annotations; the main Ingress only uses them. */
const DISCARD: Reporter = { object: { kind: 'Ingress', name: '' }, error: () => {}, warn: () => {} };

/**
 * A canary Ingress: checked and reported on, routes nothing itself
 * (annotations.md "Canary": the main Ingress's other annotations apply).
 */
function readCanaryIngress(ingress: IngressModel, ctx: CompileContext, report: Reporter): IngressReading {
  readCanaryPolicy(ingress.meta.annotations, report);
  ingress.rules.forEach((rule) => {
    for (const path of rule?.paths ?? []) {
      if (!rule || !path) continue;
      const spec = ctx.nginxCanaries?.get(canaryKey(rule.host, path.path));
      if (spec?.source !== ingress.key) {
        report.warn('IgnoredAnnotation', path.field, `canary path ${quote(rule.host)} ${quote(path.path)} has an older canary Ingress; this one is not used`);
      } else if (!spec.paired) {
        // ingress-nginx, too, serves a canary only merged into a main Ingress's host and path.
        report.warn('IgnoredAnnotation', path.field, `canary path ${quote(rule.host)} ${quote(path.path)} has no main Ingress with the same host and path; not served`);
      }
    }
  });
  const none: HttpFeatures = { schemes: undefined, deny: undefined, forPath: () => [], forDefaultBackend: [] };
  return {
    routing: { ruleType: { type: 'PathPrefix', key: undefined }, priority: 0, passHostHeader: true, protocol: undefined, passUrlOverrideHeaders: false },
    protection: [], features: none, traffic: { served: true, middlewares: [], weights: undefined },
    route: () => undefined, routesNothing: true,
  };
}

/** One warning naming every `nginx.ingress.kubernetes.io/*` key this Ingress sets that edgress ignores, with why. */
/**
 * Keys nobody reads (other controllers', Traefik's, misspelt nginx keys) and
 * access keys the edge cannot enforce: either would open the route if
 * dropped, so every route of the Ingress answers 503, as ingress-nginx's
 * answer to access configuration it cannot use.
 */
function unenforcedAccess(annotations: Annotations, report: Reporter): Middleware[] | undefined {
  const unread = checkIngressAnnotations(annotations, report, NGINX_ANNOTATION_DIALECT, 503);
  const traefikAccess = reportTraefikKeys(annotations, report);
  const unenforceable = unenforceableAccessKeys(annotations);
  for (const key of unenforceable) {
    const note = NGINX_ANNOTATIONS[key.slice(NGINX_PREFIX.length)]?.note ?? 'not enforced at the edge';
    report.error('UnenforcedAccessAnnotation', key, `${note}; it restricts access, so the routes of this Ingress answer 503 rather than serve without it`);
  }
  if (!unread && !traefikAccess && unenforceable.length === 0) return undefined;
  return [{ kind: 'deny', status: 503, reason: 'an access-restricting annotation is not enforced at the edge' }];
}

function reportIgnored(annotations: Annotations, report: Reporter): void {
  const ignored: string[] = [];
  const unenforceable = new Set(unenforceableAccessKeys(annotations));
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(NGINX_PREFIX) || unenforceable.has(key)) continue;
    const name = key.slice(NGINX_PREFIX.length);
    const known = NGINX_ANNOTATIONS[name];
    // Unknown keys are reported by the key check, with a "did you mean".
    if (known?.status === 'ignored') ignored.push(`${name} (${known.note})`);
  }
  if (ignored.length > 0) report.warn('IgnoredAnnotation', undefined, `ingress-nginx annotations ignored: ${ignored.join('; ')}`);
}

const PROTOCOLS: Readonly<Record<string, Protocol | 'invalid'>> = {
  HTTP: 'http', AUTO_HTTP: 'http', HTTPS: 'https', GRPC: 'h2c', GRPCS: 'https', FCGI: 'invalid',
};

/** `backend-protocol`: HTTP (default), HTTPS, GRPC as h2c, GRPCS as https; FCGI answers 503. */
function readBackendProtocol(annotations: Annotations, report: Reporter): RoutingSettings['protocol'] {
  const found = nginxAnnotation(annotations, 'backend-protocol');
  if (!found || found.value.trim() === '') return undefined;
  const protocol = PROTOCOLS[found.value.trim().toUpperCase()];
  if (protocol === undefined) {
    report.error('InvalidAnnotation', found.key, `backend-protocol ${quote(found.value)} is not HTTP, HTTPS, AUTO_HTTP, GRPC, GRPCS or FCGI; using HTTP`);
    return undefined;
  }
  if (protocol === 'invalid') report.error('EdgeLimitation', found.key, 'backend-protocol FCGI cannot be spoken from the edge; the routes answer 503');
  return protocol === 'http' ? undefined : protocol;
}

/**
 * `rewrite-target`: nginx's `rewrite "(?i)<path>" <target> break;` replaces
 * the whole path with the target, `$1`…`$9` taken from the path regex; the
 * query is kept (docs/examples/rewrite/README.md, test/e2e/annotations/rewrite.go).
 */
function readRewriteTarget(annotations: Annotations, report: Reporter): ((match: PathMatch) => Middleware[]) | undefined {
  const found = nginxAnnotation(annotations, 'rewrite-target');
  const target = found?.value.trim();
  if (!found || !target) return undefined;
  const replacement = parseTarget(target);
  if (typeof replacement === 'string') {
    report.error('InvalidAnnotation', found.key, `rewrite-target ${quote(target)} ${replacement}; the paths of this Ingress answer 503`);
    const denied: Middleware[] = [{ kind: 'deny', status: 503, reason: 'rewrite-target cannot be honoured' }];
    return () => denied;
  }
  const cache = new Map<string, Middleware[]>();
  return (match) => {
    if (match.type !== 'regex' || match.path === target) return [];
    let middlewares = cache.get(match.path);
    if (!middlewares) {
      const regex = { source: `^(?:${match.path}).*`, flags: 'i' };
      try {
        LinearRegex.compile(regex);
        middlewares = [{ kind: 'replace-path-regex', regex, replacement }];
      } catch {
        report.error('InvalidAnnotation', found.key, `rewrite-target: the path ${quote(match.path)} is too complex to rewrite at the edge; it answers 503`);
        middlewares = [{ kind: 'deny', status: 503, reason: 'rewrite-target too complex' }];
      }
      cache.set(match.path, middlewares);
    }
    return middlewares;
  };
}

/** `/$2`, `/api/${1}/x` → replacement parts; the reason when it cannot be one. */
function parseTarget(target: string): (string | number)[] | string {
  if (/^[a-z]+:\/\//i.test(target)) return 'is an absolute URL (a redirect), which the nginx dialect does not rewrite';
  if (!target.startsWith('/') && !target.startsWith('$')) return 'does not start with /';
  if (headerValueProblem(target)) return 'contains control or non-ASCII characters';
  const parts: (string | number)[] = [];
  let at = 0;
  const pattern = /\$(?:\{([0-9])\}|([0-9]))/g;
  for (let m = pattern.exec(target); m; m = pattern.exec(target)) {
    if (m.index > at) parts.push(target.slice(at, m.index));
    parts.push(Number(m[1] ?? m[2]));
    at = pattern.lastIndex;
  }
  const rest = target.slice(at);
  if (/\$/.test(rest) || parts.some((part) => typeof part === 'string' && part.includes('$'))) return 'uses an nginx variable other than $1…$9';
  if (rest) parts.push(rest);
  return parts;
}

/** `x-forwarded-prefix`: sent upstream with a rewrite, as nginx.tmpl does. */
function readForwardedPrefix(annotations: Annotations, rewrites: boolean, report: Reporter): Middleware[] {
  const found = nginxAnnotation(annotations, 'x-forwarded-prefix');
  if (!found || found.value === '') return [];
  if (!rewrites) {
    report.warn('IgnoredAnnotation', found.key, 'x-forwarded-prefix is only sent with rewrite-target (as ingress-nginx does)');
    return [];
  }
  const problem = headerValueProblem(found.value);
  if (problem) {
    report.error('InvalidAnnotation', found.key, `x-forwarded-prefix ${problem}; not sent`);
    return [];
  }
  return [{ kind: 'custom-headers', request: { set: [['X-Forwarded-Prefix', found.value]], remove: [] }, response: { set: [], remove: [] } }];
}

/** `upstream-vhost`: the Host the pod gets. */
function readUpstreamVhost(annotations: Annotations, report: Reporter): MiddlewareOf<'upstream-host'> | undefined {
  const found = nginxAnnotation(annotations, 'upstream-vhost');
  if (!found || found.value.trim() === '') return undefined;
  const host = found.value.trim();
  if (!/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/.test(host) || host.length > 300) {
    report.error('InvalidAnnotation', found.key, `upstream-vhost ${quote(host)} is not a host name (nginx variables are not supported); the client's Host is sent`);
    return undefined;
  }
  return { kind: 'upstream-host', host };
}

const SIZE = /^([0-9]+)([kKmMgG]?)$/;
const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `proxy-body-size` (nginx `client_max_body_size`): a larger body answers 413; `0` is no limit. */
function readBodySize(annotations: Annotations, report: Reporter): MiddlewareOf<'buffering'> | undefined {
  const found = nginxAnnotation(annotations, 'proxy-body-size');
  if (!found || found.value.trim() === '') return undefined;
  const m = SIZE.exec(found.value.trim());
  if (!m) {
    report.error('InvalidAnnotation', found.key, `proxy-body-size ${quote(found.value)} is not a size such as 8m, 512k or 0; no limit applied`);
    return undefined;
  }
  const bytes = Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1);
  if (bytes === 0) return undefined;
  return { kind: 'buffering', maxRequestBodyBytes: bytes, memRequestBodyBytes: 0, maxResponseBodyBytes: 0, memResponseBodyBytes: 0 };
}

/** The most a route may wait for a pod's headers: Cloudflare's limit for a proxied answer. */
const MAX_READ_TIMEOUT_S = 100;

/**
 * `proxy-read-timeout` becomes the wait for the pod's headers (clamped to
 * 100 s); `proxy-connect-timeout` and `proxy-send-timeout` are checked only:
 * the runtime connects and sends on its own terms.
 */
function readTimeouts(annotations: Annotations, report: Reporter): MiddlewareOf<'upstream-timeout'> | undefined {
  let read: number | undefined;
  for (const name of ['proxy-connect-timeout', 'proxy-read-timeout', 'proxy-send-timeout']) {
    const found = nginxAnnotation(annotations, name);
    if (!found || found.value.trim() === '') continue;
    const m = /^([0-9]{1,9})s?$/.exec(found.value.trim());
    if (!m || Number(m[1]) === 0) {
      report.warn('InvalidAnnotation', found.key, `${name} ${quote(found.value)} is not a positive number of seconds; ignored`);
      continue;
    }
    if (name !== 'proxy-read-timeout') continue;
    read = Math.min(Number(m[1]), MAX_READ_TIMEOUT_S);
    if (Number(m[1]) > MAX_READ_TIMEOUT_S) report.warn('EdgeLimitation', found.key, `proxy-read-timeout ${m[1]}s is above the edge's ${MAX_READ_TIMEOUT_S}s; ${MAX_READ_TIMEOUT_S}s is used`);
  }
  return read === undefined ? undefined : { kind: 'upstream-timeout', ms: read * 1000 };
}
