/**
 * The order in which a route's middlewares run: Traefik 1.7's request
 * pipeline (docs/concepts/order-of-execution.md), outermost first, with edgress's
 * decisions applied. The compiler sorts every router's middleware ids by this
 * list, so the worker runs them in array order and no condition elsewhere
 * decides what runs first.
 *
 * Phases, in order (kinds not yet implemented keep their place):
 *  0. `deny`: a route that failed closed answers before anything else.
 *  1. Path modifiers: `strip-prefix` → `add-prefix` → `replace-path-regex` →
 *     `replace-prefix` → `replace-path`. They change only the path sent upstream; redirects and
 *     forward auth still see the URL the client sent (docs/design/decisions.md#decision-8-redirects-see-the-client-url).
 *  2. `error-pages`: wraps everything after it, so it also catches statuses
 *     the edge generates (401, 429, 503).
 *  3. `cors` (the nginx dialect: its preflight answer comes before access
 *     control, as nginx's rewrite phase precedes its access phase), then
 *     `ip-allow-list` (403).
 *  4. `redirect` (app-root, entry point, regex), `gateway-redirect` (Gateway
 *     API RequestRedirect; the compiler never puts both on one route).
 *  5. `custom-headers` (custom request headers; custom response headers on
 *     the way back, after the security headers so they win), `header-modifier`
 *     (Gateway API Request/ResponseHeaderModifier, in the same place), then
 *     `security-headers` (allowed hosts 500, SSL redirect, HSTS and friends
 *     on the response).
 *  6. `pass-tls-client-cert`.
 *  7. Authentication: `basic-auth`, `digest-auth`, `forward-auth`.
 *  8. Backend protection: `circuit-breaker` (503) → `buffering` (413) →
 *     `max-conn` (429) → `rate-limit` (429).
 *  9. `request-mirror` (Gateway API): copies the request as it would go
 *     upstream, so only requests that got through everything above are mirrored.
 * 10. `canary` (the nginx dialect): may swap the route's service for the canary's.
 *  Then the service: endpoint choice and the upstream fetch.
 *
 * @example
 * ```ts
 * ids.sort((a, b) => pipelineRank(mw[a].kind) - pipelineRank(mw[b].kind));
 * ```
 */
import type { MiddlewareKind } from './middleware.ts';

export const PIPELINE_ORDER = [
  'deny',
  'strip-prefix',
  'add-prefix',
  'replace-path-regex',
  'replace-prefix',
  'replace-path',
  'error-pages',
  'cors',
  'ip-allow-list',
  'redirect',
  'gateway-redirect',
  'custom-headers',
  'header-modifier',
  'upstream-host',
  'upstream-timeout',
  'security-headers',
  'pass-tls-client-cert',
  'basic-auth',
  'digest-auth',
  'forward-auth',
  'circuit-breaker',
  'buffering',
  'max-conn',
  'rate-limit',
  'request-mirror',
  'canary',
] as const satisfies readonly MiddlewareKind[];

const RANK: ReadonlyMap<MiddlewareKind, number> = new Map(PIPELINE_ORDER.map((kind, index) => [kind, index]));

/** Position of a middleware kind in the pipeline (lower runs first). */
export function pipelineRank(kind: MiddlewareKind): number {
  const rank = RANK.get(kind);
  if (rank === undefined) throw new Error(`middleware kind ${kind} has no place in PIPELINE_ORDER`);
  return rank;
}
