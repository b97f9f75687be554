/**
 * The routes of one host (or of the wildcard suffix, or of host-less rules),
 * indexed so that a lookup costs a few map probes whatever the number of
 * routes: exact paths by value, element-wise prefixes by walking the request
 * path's `/` boundaries from the longest, string prefixes by the handful of
 * distinct prefix lengths present.
 *
 * Precedence inside a group (edgress decision 1, Ingress "multiple matches"):
 * the longest matching rule path wins; on equal length `Exact` beats `Prefix`
 * beats `ImplementationSpecific` (string prefix) beats a path-less rule; then
 * the older route. Routes with a `priority` annotation are kept apart and
 * checked first by {@link selectRoute} (`./select.ts`).
 *
 * @example
 * ```ts
 * const group = new RouteGroup();
 * group.add(route);          // while building, once per table version
 * group.seal();
 * group.match('/api/v1', 'https');
 * ```
 */
import type { Scheme } from '../table/schema.ts';
import type { CompiledRoute } from './compiled-route.ts';

/** A route chosen inside a group, with the length of rule path that matched. */
export interface GroupMatch {
  readonly route: CompiledRoute;
  readonly length: number;
}

export class RouteGroup {
  readonly #exact = new Map<string, CompiledRoute[]>();
  /** Keys are rule paths without their trailing slash; `''` is the root prefix `/`. */
  readonly #prefix = new Map<string, CompiledRoute[]>();
  readonly #stringPrefix = new Map<string, CompiledRoute[]>();
  /** Distinct string-prefix lengths, longest first (filled by `seal`). */
  #stringPrefixLengths: number[] = [];
  readonly #any: CompiledRoute[] = [];
  readonly #prioritized: CompiledRoute[] = [];
  /** Every route of the group, for explain output and tests. */
  readonly routes: CompiledRoute[] = [];

  add(route: CompiledRoute): void {
    this.routes.push(route);
    if (route.router.priority > 0) {
      this.#prioritized.push(route);
      return;
    }
    const match = route.router.match;
    switch (match.type) {
      case 'exact':
        return push(this.#exact, match.path, route);
      case 'prefix':
        return push(this.#prefix, prefixKey(match.path), route);
      case 'string-prefix':
        return push(this.#stringPrefix, match.path, route);
      case 'any':
        this.#any.push(route);
    }
  }

  /** Finishes the indexes; call once after the last `add`. */
  seal(): void {
    this.#stringPrefixLengths = [...new Set([...this.#stringPrefix.keys()].map((key) => key.length))].sort(
      (a, b) => b - a,
    );
    this.#prioritized.sort(comparePrioritized);
  }

  /** Routes carrying a `priority` annotation, highest priority first. */
  get prioritized(): readonly CompiledRoute[] {
    return this.#prioritized;
  }

  /** The best route without a priority annotation for `path`, or undefined. */
  match(path: string, scheme: Scheme): GroupMatch | undefined {
    const exact = pick(this.#exact.get(path), scheme);
    if (exact) return { route: exact, length: path.length };
    const prefix = this.#longestPrefix(path, scheme);
    const stringPrefix = this.#longestStringPrefix(path, scheme);
    if (prefix && (!stringPrefix || prefix.length >= stringPrefix.length)) return prefix;
    if (stringPrefix) return stringPrefix;
    const any = pick(this.#any, scheme);
    return any ? { route: any, length: 0 } : undefined;
  }

  #longestPrefix(path: string, scheme: Scheme): GroupMatch | undefined {
    if (this.#prefix.size === 0) return undefined;
    let key = path.endsWith('/') ? path.slice(0, -1) : path;
    for (;;) {
      const route = pick(this.#prefix.get(key), scheme);
      if (route) return { route, length: Math.max(key.length, 1) };
      if (key === '') return undefined;
      key = key.slice(0, key.lastIndexOf('/'));
    }
  }

  #longestStringPrefix(path: string, scheme: Scheme): GroupMatch | undefined {
    for (const length of this.#stringPrefixLengths) {
      if (length > path.length) continue;
      const route = pick(this.#stringPrefix.get(path.slice(0, length)), scheme);
      if (route) return { route, length };
    }
    return undefined;
  }
}

/** The index key of an element-wise prefix rule path. */
export function prefixKey(rulePath: string): string {
  return rulePath.endsWith('/') ? rulePath.slice(0, -1) : rulePath;
}

function push(map: Map<string, CompiledRoute[]>, key: string, route: CompiledRoute): void {
  const list = map.get(key);
  if (list) list.push(route);
  else map.set(key, [route]);
}

/** The first route (oldest) of a list that exists for the request's scheme. */
function pick(routes: readonly CompiledRoute[] | undefined, scheme: Scheme): CompiledRoute | undefined {
  if (!routes) return undefined;
  for (const route of routes) {
    const schemes = route.router.schemes;
    if (!schemes || schemes.includes(scheme)) return route;
  }
  return undefined;
}

function comparePrioritized(a: CompiledRoute, b: CompiledRoute): number {
  return b.router.priority - a.router.priority || b.ruleLength - a.ruleLength || b.typeRank - a.typeRank || a.order - b.order;
}
