/**
 * Chooses the route for a request (docs/design/decisions.md#decision-1-the-ingress-specification-decides-precedence):
 * 1. A route with a `priority` annotation that matches wins over every route
 *    of lower priority, whatever the hosts (highest priority first; then exact
 *    host, wildcard, host-less; then the longer rule path).
 * 2. Otherwise the most specific host group that exists decides alone:
 *    exact host, else wildcard host, else host-less rules. There is no
 *    fall-through to a less specific host when its paths do not match.
 * 3. Otherwise the default backend, else nothing (the worker answers 404).
 *
 * @example
 * ```ts
 * const selection = selectRoute(view, '/api/users', 'https');
 * selection?.route.router.id;   // 'shop/api#0.1'
 * selection?.via;               // 'exact-host'
 * ```
 */
import type { Scheme } from '../table/schema.ts';
import { pathMatches, type CompiledRoute } from './compiled-route.ts';
import type { HostView } from './compiled-table.ts';
import type { ConditionRequest } from './conditions.ts';
import type { RouteGroup } from './route-group.ts';

export type SelectionReason = 'priority' | 'exact-host' | 'wildcard-host' | 'any-host' | 'default-backend';

export interface Selection {
  readonly route: CompiledRoute;
  readonly via: SelectionReason;
}

/**
 * `request` is what Gateway API conditions (method, headers, query) are
 * checked against; without it, routes with conditions never match.
 */
export function selectRoute(view: HostView, path: string, scheme: Scheme, request?: ConditionRequest): Selection | undefined {
  let prioritized = bestPrioritized(view.exact, path, scheme, undefined, request);
  prioritized = bestPrioritized(view.wildcard, path, scheme, prioritized, request);
  prioritized = bestPrioritized(view.anyHost, path, scheme, prioritized, request);
  if (prioritized) return { route: prioritized, via: 'priority' };
  const hit = chosenMatch(view, path, scheme, request);
  if (hit) return hit;
  const fallback = view.defaultRoute;
  // A default backend limited to one scheme (frontend-entry-points) does not exist for the other.
  if (!fallback || (fallback.router.schemes && !fallback.router.schemes.includes(scheme))) return undefined;
  return { route: fallback, via: 'default-backend' };
}

/** The match inside the most specific host group that exists (no fall-through). */
function chosenMatch(view: HostView, path: string, scheme: Scheme, request: ConditionRequest | undefined): Selection | undefined {
  let route: CompiledRoute | undefined;
  if (view.exact && view.exact.routes.length > 0) {
    route = view.exact.match(path, scheme, request);
    return route && { route, via: 'exact-host' };
  }
  if (view.wildcard && view.wildcard.routes.length > 0) {
    route = view.wildcard.match(path, scheme, request);
    return route && { route, via: 'wildcard-host' };
  }
  route = view.anyHost?.match(path, scheme, request);
  return route && { route, via: 'any-host' };
}

/** `best`, or the group's best prioritized match if its priority is strictly higher. */
function bestPrioritized(
  group: RouteGroup | undefined,
  path: string,
  scheme: Scheme,
  best: CompiledRoute | undefined,
  request: ConditionRequest | undefined,
): CompiledRoute | undefined {
  if (!group || group.prioritized.length === 0) return best;
  // The list is sorted best first, so the group's first match is its best.
  for (const route of group.prioritized) {
    if (best && route.router.priority <= best.router.priority) return best;
    const schemes = route.router.schemes;
    if ((schemes && !schemes.includes(scheme)) || !pathMatches(route.router.match, path)) continue;
    if (route.conditions && !route.conditions.accepts(request, scheme)) continue;
    return route;
  }
  return best;
}
