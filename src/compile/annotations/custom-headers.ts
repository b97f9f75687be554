/**
 * `custom-request-headers` and `custom-response-headers` (behaviour
 * docs/guides/headers-and-redirects.md): `Name:value||Name2:value2`, each header set (replacing any
 * value), an empty value removing it. Names are canonicalised as Go does, and
 * a later entry for the same name wins, as in Traefik's map.
 *
 * Refused per entry, with a diagnostic naming the Ingress and key: invalid
 * names, values with CR, LF, other control characters or non-ASCII, and
 * headers the edge owns (hop-by-hop, `Host`, `Content-Length`, the
 * forwarding headers the forwarder sets). The other entries still apply.
 *
 * @example
 * ```ts
 * readCustomHeaders(scope);
 * // custom-request-headers: "x-env: prod || X-Debug:"
 * // { kind: 'custom-headers', request: { set: [['X-Env', 'prod']], remove: ['X-Debug'] }, response: { set: [], remove: [] } }
 * ```
 */
import type { HeaderEdits } from '../../table/http-middleware.ts';
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote } from '../diagnostics.ts';
import type { FeatureScope } from './feature-scope.ts';
import { edgeOwnsRequestHeader, edgeOwnsResponseHeader, headerNameProblem, headerValueProblem } from './header-rules.ts';
import { parseHeaderMap } from './values.ts';

/** The custom-headers middleware, when either annotation sets anything. */
export function readCustomHeaders(scope: FeatureScope): MiddlewareOf<'custom-headers'> | undefined {
  const request = readHeaderMap(scope, 'custom-request-headers', edgeOwnsRequestHeader);
  const response = readHeaderMap(scope, 'custom-response-headers', edgeOwnsResponseHeader);
  if (request.length === 0 && response.length === 0) return undefined;
  return { kind: 'custom-headers', request: edits(request), response: edits(response) };
}

/**
 * A `Name:value||…` annotation as checked pairs (later entries for a name
 * replace earlier ones). Entries that cannot be used are reported and left out.
 */
export function readHeaderMap(scope: FeatureScope, name: string, owned: (header: string) => boolean = () => false): [string, string][] {
  const found = scope.string(name);
  if (!found) return [];
  const map = parseHeaderMap(found.value);
  if (!map) {
    scope.invalid(found.key, `${name} ${quote(found.value)} has no Name:value entry`);
    return [];
  }
  for (const entry of map.skipped) {
    scope.report.warn('InvalidAnnotation', found.key, `entry ${quote(entry)} has no ":"; skipped, as in Traefik 1.7`);
  }
  const byName = new Map<string, [string, string]>();
  for (const [header, value] of map.headers) {
    const nameProblem = headerNameProblem(header);
    const problem = nameProblem ? `name ${nameProblem}` : headerValueProblem(value) && `value ${headerValueProblem(value)}`;
    if (problem) {
      scope.report.error('InvalidAnnotation', found.key, `header ${quote(header)}: ${problem}; entry ignored`);
    } else if (owned(header)) {
      scope.report.warn('IgnoredAnnotation', found.key, `header ${quote(header)} is owned by the edge (hop-by-hop, framing, forwarding or X-Edgress-*); entry ignored`);
    } else {
      byName.set(header.toLowerCase(), [header, value]);
    }
  }
  return [...byName.values()];
}

function edits(pairs: readonly (readonly [string, string])[]): HeaderEdits {
  return {
    set: pairs.filter(([, value]) => value !== '').map(([header, value]) => [header, value]),
    remove: pairs.filter(([, value]) => value === '').map(([header]) => header),
  };
}
