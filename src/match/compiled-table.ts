/**
 * A table (or one shard of it) indexed for lookups: exact hosts in a hash
 * map, wildcard hosts by the suffix after `*.`, host-less rules in one group,
 * and the default backend. Built once per table version, never per request.
 *
 * @example
 * ```ts
 * const compiled = compileTable(table);
 * const view = hostView(compiled, 'shop.example.com');
 * selectRoute(view, '/cart', 'https');
 * ```
 */
import type { Table } from '../table/schema.ts';
import { compileRoute, tableReferences, type CompiledRoute } from './compiled-route.ts';
import { RouteGroup } from './route-group.ts';

export interface CompiledTable {
  readonly exact: ReadonlyMap<string, RouteGroup>;
  /** Keyed by the suffix: `*.foo.com` is stored under `foo.com`. */
  readonly wildcard: ReadonlyMap<string, RouteGroup>;
  /**
   * Wildcards of one or more labels (`hostWildcard: 'labels'`, Gateway API),
   * keyed by suffix like `wildcard`: consulted for hosts two or more labels
   * deeper than the suffix (a host one label deeper finds them in `wildcard`).
   */
  readonly deepWildcard: ReadonlyMap<string, RouteGroup>;
  readonly anyHost: RouteGroup | undefined;
  readonly defaultRoute: CompiledRoute | undefined;
  /** Whether a wildcard or host-less group holds `priority` routes (which can beat an exact host). */
  readonly prioritizedBeyondExact: boolean;
}

/** What a request for one host can match: at most one group of each kind. */
export interface HostView {
  readonly exact?: RouteGroup | undefined;
  readonly wildcard?: RouteGroup | undefined;
  readonly anyHost?: RouteGroup | undefined;
  readonly defaultRoute?: CompiledRoute | undefined;
}

export function compileTable(table: Table): CompiledTable {
  const exact = new Map<string, RouteGroup>();
  const wildcard = new Map<string, RouteGroup>();
  const deepWildcard = new Map<string, RouteGroup>();
  let anyHost: RouteGroup | undefined;
  const references = tableReferences(table);
  table.routers.forEach((router, order) => {
    const route = compileRoute(router, references, order);
    let group: RouteGroup;
    if (router.host === '') {
      group = anyHost ??= new RouteGroup();
    } else if (router.host.startsWith('*.')) {
      group = groupFor(wildcard, router.host.slice(2));
      if (router.hostWildcard === 'labels') groupFor(deepWildcard, router.host.slice(2)).add(route);
    } else {
      group = groupFor(exact, router.host);
    }
    group.add(route);
  });
  for (const group of exact.values()) group.seal();
  for (const group of wildcard.values()) group.seal();
  for (const group of deepWildcard.values()) group.seal();
  anyHost?.seal();
  const defaultRoute = table.defaultRouter ? compileRoute(table.defaultRouter, references, table.routers.length) : undefined;
  const prioritizedBeyondExact = [...wildcard.values(), ...(anyHost ? [anyHost] : [])].some((group) => group.prioritized.length > 0);
  return { exact, wildcard, deepWildcard, anyHost, defaultRoute, prioritizedBeyondExact };
}

function groupFor(map: Map<string, RouteGroup>, key: string): RouteGroup {
  let group = map.get(key);
  if (!group) map.set(key, (group = new RouteGroup()));
  return group;
}

/**
 * The suffix a wildcard rule for `host` is stored under (`a.b.c` → `b.c`), if
 * any: a wildcard stands for exactly one non-empty label, so `.b.c` has none.
 */
export function wildcardSuffix(host: string): string | undefined {
  const dot = host.indexOf('.');
  return dot <= 0 ? undefined : host.slice(dot + 1);
}

/**
 * The suffixes a wildcard of one or more labels can cover `host` with,
 * beyond {@link wildcardSuffix}, longest first (`a.b.c.d` → `c.d`, `d`).
 */
export function deepWildcardSuffixes(host: string): string[] {
  const suffixes: string[] = [];
  const first = host.indexOf('.');
  if (first <= 0) return suffixes;
  for (let dot = host.indexOf('.', first + 1); dot > 0; dot = host.indexOf('.', dot + 1)) {
    if (dot + 1 < host.length) suffixes.push(host.slice(dot + 1));
  }
  return suffixes;
}

/** The groups of one unsharded compiled table that a request for `host` can match. */
export function hostView(table: CompiledTable, host: string): HostView {
  const exact = table.exact.get(host);
  // With an exact group and no priority routes elsewhere, the other groups cannot win.
  if (exact && !table.prioritizedBeyondExact) return { exact, defaultRoute: table.defaultRoute };
  const suffix = table.wildcard.size === 0 ? undefined : wildcardSuffix(host);
  let wildcard = suffix === undefined ? undefined : table.wildcard.get(suffix);
  // The longest suffix wins: a deeper wildcard is only consulted when the nearest one is absent.
  if (!wildcard && table.deepWildcard.size > 0) {
    for (const deeper of deepWildcardSuffixes(host)) if ((wildcard = table.deepWildcard.get(deeper))) break;
  }
  return {
    exact,
    wildcard,
    anyHost: table.anyHost,
    defaultRoute: table.defaultRoute,
  };
}
