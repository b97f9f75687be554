/**
 * The routes of one host (or of the wildcard suffix, or of host-less rules),
 * indexed so that a lookup costs a few map probes whatever the number of
 * routes: exact paths by value, element-wise prefixes by walking the request
 * path's `/` boundaries from the longest, string prefixes by the handful of
 * distinct prefix lengths present.
 *
 * Precedence inside a group (docs/design/decisions.md#decision-1-the-ingress-specification-decides-precedence, Ingress "multiple matches"):
 * the longest matching rule path wins; on equal length `Exact` beats `Prefix`
 * beats `ImplementationSpecific` (string prefix) beats a path-less rule; then,
 * for Gateway API routers (HTTPRouteRule's precedence list), a method
 * condition, then more header conditions, then more query conditions; then
 * the older route (the compiler orders HTTPRoute rules by creation time,
 * namespace/name, rule and match index). A route whose conditions do not
 * hold is passed over for the next one in that order: large groups index
 * only routes without conditions and scan the others beside the indexes. Routes with a
 * `priority` annotation are kept apart and checked first by
 * {@link selectRoute} (`./select.ts`).
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
import type { ConditionRequest } from './conditions.ts';
import { KeysByLength, pickForScheme } from './keys-by-length.ts';

/** A route chosen inside a group, with the length of rule path that matched. */
export interface GroupMatch {
  readonly route: CompiledRoute;
  readonly length: number;
}

export class RouteGroup {
  /** Every route of the group, oldest first (explain output, tests). */
  readonly routes: CompiledRoute[] = [];
  #prioritized: CompiledRoute[] = [];
  /**
   * Small groups (the usual host: a handful of paths) keep only their plain
   * routes in precedence order and scan them; large groups build indexes.
   */
  #scan: CompiledRoute[] | undefined;
  #indexes: GroupIndexes | undefined;
  /** In a large group, the routes with conditions (Gateway API), in precedence order, scanned beside the indexes. */
  #conditioned: CompiledRoute[] = [];

  add(route: CompiledRoute): void {
    this.routes.push(route);
  }

  /** Finishes the group; call once after the last `add`. */
  seal(): void {
    const plain = this.routes.filter((route) => route.router.priority === 0);
    const prioritized = this.routes.filter((route) => route.router.priority > 0);
    if (prioritized.length > 0) this.#prioritized = prioritized.sort(comparePrioritized);
    if (plain.length <= SCAN_LIMIT) {
      this.#scan = plain.sort(comparePlain);
    } else {
      // The indexes give one candidate per kind, so routes whose conditions may fail are kept apart and scanned.
      this.#conditioned = plain.filter((route) => route.conditions !== undefined).sort(comparePlain);
      this.#indexes = buildIndexes(plain.filter((route) => route.conditions === undefined));
    }
  }

  /** Routes carrying a `priority` annotation, highest priority first. */
  get prioritized(): readonly CompiledRoute[] {
    return this.#prioritized;
  }

  /**
   * The best route without a priority annotation for `path`, or undefined.
   * `request` is what conditions are checked against; without it, a route
   * with conditions never matches.
   */
  match(path: string, scheme: Scheme, request?: ConditionRequest): CompiledRoute | undefined {
    if (this.#scan) return scanMatch(this.#scan, path, scheme, request);
    const indexed = this.#indexes ? indexedMatch(this.#indexes, path, scheme)?.route : undefined;
    if (this.#conditioned.length === 0) return indexed;
    const conditioned = scanMatch(this.#conditioned, path, scheme, request, indexed);
    return conditioned ?? indexed;
  }
}

/** Groups with at most this many plain routes are scanned rather than indexed. */
const SCAN_LIMIT = 12;
const SLASH = 47;
const EXACT = 4;
const PREFIX = 3;
const STRING_PREFIX = 2;
const REGEX = 1;

interface GroupIndexes {
  readonly exact: Map<string, CompiledRoute[]>;
  readonly prefix: KeysByLength;
  readonly stringPrefix: KeysByLength;
  /** Regex routes in precedence order: each is tried in turn (ingress-nginx's first match). */
  readonly regex: CompiledRoute[];
  readonly any: CompiledRoute[];
}

function buildIndexes(routes: readonly CompiledRoute[]): GroupIndexes {
  const indexes: GroupIndexes = { exact: new Map(), prefix: new KeysByLength(true), stringPrefix: new KeysByLength(false), regex: [], any: [] };
  for (const route of routes) {
    if (route.typeRank === EXACT) {
      const list = indexes.exact.get(route.key);
      if (list) list.push(route);
      else indexes.exact.set(route.key, [route]);
    } else if (route.typeRank === PREFIX) indexes.prefix.add(route.key, route);
    else if (route.typeRank === STRING_PREFIX) indexes.stringPrefix.add(route.key, route);
    else if (route.typeRank === REGEX) indexes.regex.push(route);
    else indexes.any.push(route);
  }
  indexes.regex.sort(comparePlain);
  indexes.prefix.seal();
  indexes.stringPrefix.seal();
  return indexes;
}

function indexedMatch(indexes: GroupIndexes, path: string, scheme: Scheme): GroupMatch | undefined {
  const plain = plainIndexedMatch(indexes, path, scheme);
  if (indexes.regex.length === 0) return plain;
  // A regex wins only with a longer source: on equal length the plain match ranks first.
  for (const route of indexes.regex) {
    if (plain && route.ruleLength <= plain.length) break;
    const schemes = route.router.schemes;
    if ((!schemes || schemes.includes(scheme)) && route.regex!.test(path)) return { route, length: route.ruleLength };
  }
  return plain;
}

function plainIndexedMatch(indexes: GroupIndexes, path: string, scheme: Scheme): GroupMatch | undefined {
  const exact = pickForScheme(indexes.exact.get(path), scheme);
  if (exact) return { route: exact, length: path.length };
  const prefix = indexes.prefix.size === 0 ? undefined : indexes.prefix.longest(path, scheme);
  const stringPrefix = indexes.stringPrefix.size === 0 ? undefined : indexes.stringPrefix.longest(path, scheme);
  if (prefix && (!stringPrefix || Math.max(prefix.length, 1) >= stringPrefix.length)) {
    return { route: prefix.route, length: Math.max(prefix.length, 1) };
  }
  if (stringPrefix) return stringPrefix;
  const any = pickForScheme(indexes.any, scheme);
  return any ? { route: any, length: 0 } : undefined;
}

/** The first route, in precedence order, whose rule accepts `path`: the longest match. */
function scanMatch(
  routes: readonly CompiledRoute[],
  path: string,
  scheme: Scheme,
  request: ConditionRequest | undefined,
  /** A route already found elsewhere: the scan stops at the first route that ranks below it. */
  rival?: CompiledRoute,
): CompiledRoute | undefined {
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i]!;
    if (rival && comparePlain(route, rival) > 0) return undefined;
    const key = route.key;
    const kind = route.typeRank;
    if (kind === EXACT) {
      if (path !== key) continue;
    } else if (kind === PREFIX) {
      if (key.length !== 0 && !(path.startsWith(key) && (path.length === key.length || path.charCodeAt(key.length) === SLASH))) continue;
    } else if (kind === STRING_PREFIX) {
      if (!path.startsWith(key)) continue;
    } else if (kind === REGEX && !route.regex!.test(path)) continue;
    // The router is only read for a candidate: most groups restrict no scheme.
    const schemes = route.router.schemes;
    if ((!schemes || schemes.includes(scheme)) && (!route.conditions || route.conditions.accepts(request, scheme))) return route;
  }
  return undefined;
}

/** The index key of an element-wise prefix rule path. */
export function prefixKey(rulePath: string): string {
  return rulePath.endsWith('/') ? rulePath.slice(0, -1) : rulePath;
}

/**
 * Longest rule first, then by kind; regexes of equal length by source,
 * descending, as ingress-nginx sorts its locations; then the older route.
 */
function comparePlain(a: CompiledRoute, b: CompiledRoute): number {
  return (
    b.ruleLength - a.ruleLength ||
    b.typeRank - a.typeRank ||
    (a.typeRank === REGEX ? compareDescending(a.key, b.key) : 0) ||
    compareConditions(a, b) ||
    a.order - b.order
  );
}

/** Gateway API: a method condition, then more header conditions, then more query conditions rank first. */
function compareConditions(a: CompiledRoute, b: CompiledRoute): number {
  const x = a.conditions;
  const y = b.conditions;
  if (!x && !y) return 0;
  return (y?.methodRank ?? 0) - (x?.methodRank ?? 0) || (y?.headerCount ?? 0) - (x?.headerCount ?? 0) || (y?.queryCount ?? 0) - (x?.queryCount ?? 0);
}

function compareDescending(a: string, b: string): number {
  return a < b ? 1 : a > b ? -1 : 0;
}

function comparePrioritized(a: CompiledRoute, b: CompiledRoute): number {
  return b.router.priority - a.router.priority || b.ruleLength - a.ruleLength || b.typeRank - a.typeRank || compareConditions(a, b) || a.order - b.order;
}
