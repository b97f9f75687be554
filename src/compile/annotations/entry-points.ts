/**
 * `frontend-entry-points` (legacy label `traefik.frontend.entryPoints`): at
 * the edge there are exactly two entry points, `http` and `https`, which are
 * the request's scheme (TLS terminated by the edge, or, under `edgress dev`,
 * `X-Forwarded-Proto: https`). A route limited to one scheme does not exist
 * for the other: a request of the other scheme is matched as if the route
 * were absent (another route, the default backend, or 404).
 *
 * Other names are reported and dropped, as Traefik dropped undefined entry
 * points; when none is left the routes fail closed (Traefik skipped the
 * frontend), so a typo never widens a route to both schemes.
 *
 * @example
 * ```ts
 * readEntryPoints(scope); // frontend-entry-points: "https" → ['https']
 * ```
 */
import type { Scheme } from '../../table/schema.ts';
import { quote } from '../diagnostics.ts';
import type { FeatureScope } from './feature-scope.ts';
import { parseList } from './values.ts';

/** The schemes the routes exist for; undefined means both. */
export function readEntryPoints(scope: FeatureScope): Scheme[] | undefined {
  const found = scope.lookup('frontend-entry-points');
  if (!found) return undefined;
  const names = parseList(found.value);
  // Present but empty: Traefik's server default entry points, i.e. both.
  if (names.length === 0) return undefined;
  const schemes = new Set<Scheme>();
  for (const name of names) {
    if (name === 'http' || name === 'https') schemes.add(name);
    else scope.report.error('InvalidAnnotation', found.key, `entry point ${quote(name)} does not exist at the edge (only http and https); dropped`);
  }
  if (schemes.size === 0) {
    scope.failClosed(found.key, `frontend-entry-points ${quote(found.value)} names no entry point of edgress`);
    return undefined;
  }
  return schemes.size === 2 ? undefined : [...schemes];
}
