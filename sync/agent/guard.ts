/**
 * The mass-removal guard: how many of the routes of the table in force a new
 * table would remove. A route is a host and a path match (what a client can
 * reach), plus the default backend; renaming an Ingress removes nothing.
 *
 * @example
 * ```ts
 * removal(published, next); // { removed: 3, share: 0.75 }: three routes in four would go
 * if (isMassRemoval(published, next, 0.5) && !allowMassRemoval) holdBack();
 * ```
 */
import type { Router, Table } from '../../src/table/schema.ts';
import { changedSpan } from '../../src/storage/changed-span.ts';

/** Default of `--max-removal-share`. */
export const DEFAULT_MAX_REMOVAL_SHARE = 0.5;
/** Removing one route is an edit, never a mass removal (in a one-route cluster it is 100 %). */
export const MASS_REMOVAL_MIN_ROUTES = 2;

/** True when `next` removes more than `maxShare` of `previous`'s routes, and at least {@link MASS_REMOVAL_MIN_ROUTES}. */
export function isMassRemoval(previous: Table | undefined, next: Table, maxShare: number): boolean {
  const { removed, share } = removal(previous, next);
  return share > maxShare && removed >= MASS_REMOVAL_MIN_ROUTES;
}

export function routeKeys(table: Table): Set<string> {
  const keys = new Set(table.routers.map(routeKey));
  if (table.defaultRouter) keys.add('default-backend');
  return keys;
}

/** How many of `previous`'s routes `next` does not have, and their share (0–1; 0 when there were none). */
export function removal(previous: Table | undefined, next: Table): { removed: number; share: number } {
  if (!previous) return { removed: 0, share: 0 };
  // Routers the two tables share (by identity) at both ends are routes kept; an
  // incremental compile changes a few routers in the middle, so only those are keyed here.
  const before = previous.routers;
  const after = next.routers;
  const { start, endBefore, endAfter } = changedSpan(before, after);
  const kept = new Set(after.slice(start, endAfter).map(routeKey));
  const missing = new Set(before.slice(start, endBefore).map(routeKey).filter((key) => !kept.has(key)));
  if (previous.defaultRouter && !next.defaultRouter) missing.add('default-backend');
  if (missing.size === 0) return { removed: 0, share: 0 };
  // A route may also be kept by a router outside the middle: decide on every key.
  const all = routeKeys(next);
  let removed = 0;
  for (const key of missing) if (!all.has(key)) removed++;
  return { removed, share: removed === 0 ? 0 : removed / routeKeys(previous).size };
}

function routeKey(router: Router): string {
  const path = router.match.type === 'any' ? '' : router.match.path;
  return `${router.host} ${router.match.type} ${path} ${(router.schemes ?? []).join(',')}`;
}
