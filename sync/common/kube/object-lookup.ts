/**
 * One cached object by kind, namespace and name: what Ingress status, Events
 * and the edge-hosts reconciler read from the agent's informers, so they need
 * not know the informers.
 *
 * @example
 * ```ts
 * const secret = lookup.find('Secret', 'shop', 'tls-web');
 * ```
 */
import type { WatchedObject } from './watch-event.ts';

export interface ObjectLookup {
  find(kind: string, namespace: string | undefined, name: string): WatchedObject | undefined;
}
