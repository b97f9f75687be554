/**
 * The HTTP-shaping annotations of one Ingress, read once: path
 * modifiers, redirects, entry points, custom and security headers, error
 * pages and client-certificate headers, one parser per family under
 * `./annotations/`. Routes ask for their middlewares by path match; the
 * order they run in is `PIPELINE_ORDER` alone (the table builder sorts).
 *
 * What Traefik 1.7 applied to the global default backend applies to ours:
 * redirects (without app-root), entry points, headers, error pages and
 * client certificates, not the path modifiers.
 *
 * @example
 * ```ts
 * const features = readHttpFeatures(ingress, ctx, routing.ruleType.type, report);
 * features.forPath({ type: 'prefix', path: '/api' }); // [redirect, custom-headers, …]
 * features.schemes;                                  // ['https'] with frontend-entry-points: https
 * features.deny;                                     // a deny 404 when an annotation made the routes fail closed
 * ```
 */
import type { Middleware, MiddlewareOf } from '../table/middleware.ts';
import type { PathMatch, Scheme } from '../table/schema.ts';
import { readCustomHeaders } from './annotations/custom-headers.ts';
import { readEntryPoints } from './annotations/entry-points.ts';
import { readErrorPages } from './annotations/error-pages.ts';
import { FAIL_CLOSED_STATUS, FeatureScope } from './annotations/feature-scope.ts';
import { readRedirects } from './annotations/redirect.ts';
import { readRewrite } from './annotations/rewrite.ts';
import type { RuleType } from './annotations/routing.ts';
import { readSecurityHeaders } from './annotations/security-headers.ts';
import { readClientCertificate } from './annotations/tls-certs.ts';
import type { Reporter } from './diagnostics.ts';
import type { IngressModel } from './read/ingress.ts';
import type { CompileContext } from './routes.ts';

export interface HttpFeatures {
  /** The schemes the Ingress's routes exist for; undefined means both. */
  readonly schemes: readonly Scheme[] | undefined;
  /** Set when an annotation cannot be honoured safely: every route answers 404 first. */
  readonly deny: MiddlewareOf<'deny'> | undefined;
  /** The middlewares of a rule path with this match (its rule-type strip comes from `routePath`). */
  forPath(match: PathMatch): readonly Middleware[];
  /** The middlewares of the Ingress's default backend. */
  readonly forDefaultBackend: readonly Middleware[];
}

export function readHttpFeatures(ingress: IngressModel, ctx: CompileContext, ruleType: RuleType | undefined, report: Reporter): HttpFeatures {
  const scope = new FeatureScope(ingress.meta.annotations, report);
  const rewrite = readRewrite(scope, ruleType);
  const redirects = readRedirects(scope);
  const schemes = readEntryPoints(scope);
  const shared = [
    readErrorPages(scope, { namespace: ingress.meta.namespace, cluster: ctx.cluster, pools: ctx.pools }),
    readCustomHeaders(scope),
    readSecurityHeaders(scope),
    readClientCertificate(scope, ctx.options.enablePassTLSCert === true),
  ].filter((middleware) => middleware !== undefined);
  const reason = scope.denyReason;
  return {
    schemes,
    deny: reason === undefined ? undefined : { kind: 'deny', status: FAIL_CLOSED_STATUS, reason },
    forPath: (match) => {
      const rewrites = rewrite.forPath(match);
      const redirect = redirects.forPath(match);
      return rewrites.length === 0 && redirect.length === 0 ? shared : [...rewrites, ...redirect, ...shared];
    },
    forDefaultBackend: [...redirects.forDefaultBackend, ...shared],
  };
}
