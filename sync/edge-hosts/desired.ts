/**
 * The hosts the table in force serves, each with the Ingresses and
 * HTTPRoutes that name it and whether one of them adopts the host
 * (`edgress.dev/adopt-host: "true"`). An HTTPRoute's hosts are its routers'
 * hosts: its hostnames intersected with its listeners' (a listener hostname
 * alone when the route has none).
 * Host-less rules and the default backend need no host at the edge.
 *
 * @example
 * ```ts
 * desiredHosts(table, cache); // [{ host: 'shop.example.com', ingresses: ['shop/web'], adopt: false }]
 * ```
 */
import type { Table } from '../../src/table/schema.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';
import { ADOPT_ANNOTATION, type DesiredHost } from './model.ts';
import { routeKind, type RouteKind } from './route-kind.ts';

export function desiredHosts(table: Table | undefined, lookup: ObjectLookup): DesiredHost[] {
  const sources = new Map<string, { Ingress: Set<string>; HTTPRoute: Set<string> }>();
  for (const router of table?.routers ?? []) {
    if (router.host === '') continue;
    const entry = sources.get(router.host) ?? { Ingress: new Set<string>(), HTTPRoute: new Set<string>() };
    entry[routeKind(router)].add(router.source);
    sources.set(router.host, entry);
  }
  return [...sources]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([host, entry]) => {
      const ingresses = [...entry.Ingress].sort();
      const httpRoutes = [...entry.HTTPRoute].sort();
      const adopt = ingresses.some((key) => adopts('Ingress', key, lookup)) || httpRoutes.some((key) => adopts('HTTPRoute', key, lookup));
      return { host, ingresses, ...(httpRoutes.length > 0 ? { httpRoutes } : {}), adopt };
    });
}

function adopts(kind: RouteKind, key: string, lookup: ObjectLookup): boolean {
  const [namespace = '', name = ''] = key.split('/');
  const metadata = lookup.find(kind, namespace, name)?.metadata as { readonly annotations?: unknown } | undefined;
  const annotations = metadata?.annotations;
  const value = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>)[ADOPT_ANNOTATION] : undefined;
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}
