/**
 * Which kind of object a router of the table came from: the table marks
 * HTTPRoute routers with `origin: 'httproute'` and leaves Ingress routers
 * unmarked, and `source` is that object's `namespace/name` either way.
 * Everything that names the object behind a route (edge host reports and
 * Events, the dashboard) asks here instead of assuming an Ingress.
 *
 * @example
 * ```ts
 * routeKind(router); // 'HTTPRoute'
 * ```
 */
import type { Router } from '../../src/table/schema.ts';

export type RouteKind = 'Ingress' | 'HTTPRoute';

export function routeKind(router: Pick<Router, 'origin'>): RouteKind {
  return router.origin === 'httproute' ? 'HTTPRoute' : 'Ingress';
}
