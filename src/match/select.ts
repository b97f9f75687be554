/**
 * Chooses the route for a request (edgress decision 1):
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
import type { RouteGroup } from './route-group.ts';

export type SelectionReason = 'priority' | 'exact-host' | 'wildcard-host' | 'any-host' | 'default-backend';

export interface Selection {
  readonly route: CompiledRoute;
  readonly via: SelectionReason;
}

const GROUP_REASONS = ['exact-host', 'wildcard-host', 'any-host'] as const;

export function selectRoute(view: HostView, path: string, scheme: Scheme): Selection | undefined {
  const groups = [view.exact, view.wildcard, view.anyHost] as const;
  const prioritized = bestPrioritized(groups, path, scheme);
  if (prioritized) return { route: prioritized, via: 'priority' };
  const index = groups.findIndex((group) => group !== undefined && group.routes.length > 0);
  if (index !== -1) {
    const hit = groups[index]?.match(path, scheme);
    if (hit) return { route: hit.route, via: GROUP_REASONS[index] ?? 'any-host' };
  }
  const fallback = view.defaultRoute;
  // A default backend limited to one scheme (frontend-entry-points) does not exist for the other.
  if (!fallback || (fallback.router.schemes && !fallback.router.schemes.includes(scheme))) return undefined;
  return { route: fallback, via: 'default-backend' };
}

function bestPrioritized(
  groups: readonly (RouteGroup | undefined)[],
  path: string,
  scheme: Scheme,
): CompiledRoute | undefined {
  let best: CompiledRoute | undefined;
  for (const group of groups) {
    if (!group) continue;
    // Each list is sorted best first, so the first match of a group is its best.
    for (const route of group.prioritized) {
      if (best && route.router.priority <= best.router.priority) break;
      const schemes = route.router.schemes;
      if ((schemes && !schemes.includes(scheme)) || !pathMatches(route.router.match, path)) continue;
      best = route;
      break;
    }
  }
  return best;
}
