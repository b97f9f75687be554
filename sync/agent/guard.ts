/**
 * The mass-removal guard: how many of the routes of the table in force a new
 * table would remove. A route is a host and a path match (what a client can
 * reach), plus the default backend; renaming an Ingress removes nothing.
 *
 * @example
 * ```ts
 * const share = removedShare(published, next); // 0.75: three routes in four would go
 * if (share > maxRemovalShare && !allowMassRemoval) holdBack();
 * ```
 */
import type { Router, Table } from '../../src/table/schema.ts';

/** Default of `--max-removal-share`. */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.5;

export function routeKeys(table: Table): Set<string> {
  const keys = new Set(table.routers.map(routeKey));
  if (table.defaultRouter) keys.add('default-backend');
  return keys;
}

/** Share (0–1) of `previous`'s routes that `next` does not have; 0 when there was none. */
export function removedShare(previous: Table | undefined, next: Table): number {
  if (!previous) return 0;
  const before = routeKeys(previous);
  if (before.size === 0) return 0;
  const after = routeKeys(next);
  let removed = 0;
  for (const key of before) if (!after.has(key)) removed++;
  return removed / before.size;
}

function routeKey(router: Router): string {
  const path = router.match.type === 'any' ? '' : router.match.path;
  return `${router.host} ${router.match.type} ${path} ${(router.schemes ?? []).join(',')}`;
}
