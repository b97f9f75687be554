/**
 * The hosts the table in force serves, each with the Ingresses that name it
 * and whether one of them adopts the host (`edgress.dev/adopt-host: "true"`).
 * Host-less rules and the default backend need no host at the edge.
 *
 * @example
 * ```ts
 * desiredHosts(table, cache); // [{ host: 'shop.example.com', ingresses: ['shop/web'], adopt: false }]
 * ```
 */
import type { Table } from '../../src/table/schema.ts';
import type { ObjectLookup } from '../shared/kube/object-lookup.ts';
import { ADOPT_ANNOTATION, type DesiredHost } from './model.ts';

export function desiredHosts(table: Table | undefined, lookup: ObjectLookup): DesiredHost[] {
  const sources = new Map<string, Set<string>>();
  for (const router of table?.routers ?? []) {
    if (router.host === '') continue;
    const set = sources.get(router.host) ?? new Set<string>();
    set.add(router.source);
    sources.set(router.host, set);
  }
  return [...sources]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([host, ingresses]) => {
      const sorted = [...ingresses].sort();
      return { host, ingresses: sorted, adopt: sorted.some((key) => adopts(key, lookup)) };
    });
}

function adopts(key: string, lookup: ObjectLookup): boolean {
  const [namespace = '', name = ''] = key.split('/');
  const metadata = lookup.find('Ingress', namespace, name)?.metadata as { readonly annotations?: unknown } | undefined;
  const annotations = metadata?.annotations;
  const value = typeof annotations === 'object' && annotations !== null ? (annotations as Record<string, unknown>)[ADOPT_ANNOTATION] : undefined;
  return typeof value === 'string' && value.trim().toLowerCase() === 'true';
}
