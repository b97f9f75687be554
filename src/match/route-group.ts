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
import { KeysByLength, pickForScheme } from './keys-by-length.ts';

/** A route chosen inside a group, with the length of rule path that matched. */
export interface GroupMatch {
  readonly route: CompiledRoute;
  readonly length: number;
}

export class RouteGroup {
  readonly #exact = new Map<string, CompiledRoute[]>();
  /** Keys are rule paths without their trailing slash; `''` is the root prefix `/`. */
  readonly #prefix = new KeysByLength(true);
  readonly #stringPrefix = new KeysByLength(false);
  readonly #any: CompiledRoute[] = [];
  readonly #prioritized: CompiledRoute[] = [];
  /**
   * Small groups (the usual host: a handful of paths) are scanned instead:
   * routes in precedence order, with each one's kind and key in flat arrays
   * laid out next to each other, so a lookup touches a few cache lines
   * rather than maps. Undefined for large groups.
   */
  #scan: ScanIndex | undefined;
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
      case 'exact': {
        const list = this.#exact.get(match.path);
        if (list) list.push(route);
        else this.#exact.set(match.path, [route]);
        return;
      }
      case 'prefix':
        return this.#prefix.add(prefixKey(match.path), route);
      case 'string-prefix':
        return this.#stringPrefix.add(match.path, route);
      case 'any':
        this.#any.push(route);
    }
  }

  /** Finishes the indexes; call once after the last `add`. */
  seal(): void {
    this.#prefix.seal();
    this.#stringPrefix.seal();
    this.#prioritized.sort(comparePrioritized);
    const plain = this.routes.filter((route) => route.router.priority === 0);
    if (plain.length <= SCAN_LIMIT) {
      plain.sort((a, b) => b.ruleLength - a.ruleLength || b.typeRank - a.typeRank || a.order - b.order);
      const kinds = Uint8Array.from(plain, (route) => route.typeRank);
      const keys = plain.map((route) => scanKey(route.router.match));
      this.#scan = { kinds, keys, routes: plain };
    }
  }

  /** Routes carrying a `priority` annotation, highest priority first. */
  get prioritized(): readonly CompiledRoute[] {
    return this.#prioritized;
  }

  /** The best route without a priority annotation for `path`, or undefined. */
  match(path: string, scheme: Scheme): GroupMatch | undefined {
    if (this.#scan) return scanMatch(this.#scan, path, scheme);
    const exact = pickForScheme(this.#exact.get(path), scheme);
    if (exact) return { route: exact, length: path.length };
    const prefix = this.#prefix.size === 0 ? undefined : this.#prefix.longest(path, scheme);
    const stringPrefix = this.#stringPrefix.size === 0 ? undefined : this.#stringPrefix.longest(path, scheme);
    if (prefix && (!stringPrefix || Math.max(prefix.length, 1) >= stringPrefix.length)) {
      return { route: prefix.route, length: Math.max(prefix.length, 1) };
    }
    if (stringPrefix) return stringPrefix;
    const any = pickForScheme(this.#any, scheme);
    return any ? { route: any, length: 0 } : undefined;
  }
}

/** A small group's plain routes in precedence order, with their kinds and keys side by side. */
interface ScanIndex {
  readonly kinds: Uint8Array;
  readonly keys: readonly string[];
  readonly routes: readonly CompiledRoute[];
}

/** Groups with at most this many plain routes are scanned rather than indexed. */
const SCAN_LIMIT = 12;
const SLASH = 47;
const EXACT = 3;
const PREFIX = 2;
const STRING_PREFIX = 1;

function scanKey(match: CompiledRoute['router']['match']): string {
  if (match.type === 'any') return '';
  return match.type === 'prefix' ? prefixKey(match.path) : match.path;
}

/** The first route, in precedence order, whose rule accepts `path`: the longest match. */
function scanMatch(scan: ScanIndex, path: string, scheme: Scheme): GroupMatch | undefined {
  const { kinds, keys, routes } = scan;
  for (let i = 0; i < routes.length; i++) {
    const key = keys[i]!;
    const kind = kinds[i];
    let hit: boolean;
    if (kind === EXACT) hit = path === key;
    else if (kind === PREFIX) {
      hit = key.length === 0 || (path.startsWith(key) && (path.length === key.length || path.charCodeAt(key.length) === SLASH));
    } else if (kind === STRING_PREFIX) hit = path.startsWith(key);
    else hit = true;
    const route = routes[i]!;
    const schemes = route.router.schemes;
    if (hit && (!schemes || schemes.includes(scheme))) return { route, length: route.ruleLength };
  }
  return undefined;
}

/** The index key of an element-wise prefix rule path. */
export function prefixKey(rulePath: string): string {
  return rulePath.endsWith('/') ? rulePath.slice(0, -1) : rulePath;
}

function comparePrioritized(a: CompiledRoute, b: CompiledRoute): number {
  return b.router.priority - a.router.priority || b.ruleLength - a.ruleLength || b.typeRank - a.typeRank || a.order - b.order;
}
