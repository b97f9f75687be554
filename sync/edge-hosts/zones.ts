/**
 * The zone a host belongs to: the account's zone whose name is the longest
 * label-wise suffix of the host (`shop.eu.example.com` → `eu.example.com`
 * when the account has both; `myexample.com` is never in `example.com`).
 *
 * @example
 * ```ts
 * zoneOf('shop.eu.example.com', [{ id: '1', name: 'example.com' }, { id: '2', name: 'eu.example.com' }]); // zone 2
 * zoneOf('*.example.com', zones); // the wildcard's zone is its parent's
 * ```
 */
import type { Zone } from './model.ts';

export function zoneOf(host: string, zones: readonly Zone[]): Zone | undefined {
  let best: Zone | undefined;
  for (const zone of zones) {
    if (host !== zone.name && !host.endsWith(`.${zone.name}`)) continue;
    if (!best || zone.name.length > best.name.length) best = zone;
  }
  return best;
}

/** `*.example.com` → true. */
export function isWildcard(host: string): boolean {
  return host.startsWith('*.');
}
