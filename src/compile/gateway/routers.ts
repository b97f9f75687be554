/**
 * The routers of one accepted HTTPRoute: one per rule, match and hostname
 * it serves, in rule and match order. The hostnames come from every
 * accepted listener the route attached to; a hostname reached only through
 * HTTP listeners (or only HTTPS ones) is limited to that scheme, so an HTTP
 * listener's redirect route and an HTTPS listener's route on one hostname do
 * not meet. A hostname a more specific listener of the same Gateway and
 * port covers is left out (listener isolation, `./isolation.ts`).
 *
 * @example
 * ```ts
 * routersOf(route, acceptedParents, rules.plans);
 * // [{ id: 'shop/web#rule0.match0@shop.example.com', source: 'shop/web', origin: 'httproute', … }]
 * ```
 */
import type { Router, Scheme } from '../../table/schema.ts';
import { joined } from '../text.ts';
import type { ParentOutcome } from './attachment.ts';
import { isolatedHostnames } from './isolation.ts';
import type { GatewayObject } from './objects.ts';
import type { RulePlan } from './rules.ts';

/** A router of the table as HTTPRoutes make them (`origin: 'httproute'`). */
export type GatewayRouter = Router;

/** The schemes the accepted listeners with this hostname (`''`: none) receive, across the Gateways of ours. */
export type ListenerSchemes = (listenerHostname: string) => ReadonlySet<Scheme>;

export function routersOf(route: GatewayObject, parents: readonly ParentOutcome[], plans: readonly RulePlan[], listenerSchemes: ListenerSchemes): GatewayRouter[] {
  const hosts = servedHosts(parents, listenerSchemes);
  const routers: GatewayRouter[] = [];
  for (const rule of plans) {
    for (const match of rule.matches) {
      for (const [host, schemes] of hosts) {
        routers.push({
          id: joined(route.key, '#rule', rule.index, '.match', match.index, host === '' ? '' : '@', host),
          source: route.key,
          origin: 'httproute',
          host,
          ...(host.startsWith('*.') ? { hostWildcard: 'labels' as const } : {}),
          match: match.match,
          ...(match.conditions ? { conditions: match.conditions } : {}),
          priority: 0,
          ...(schemes.size === 1 ? { schemes: [...schemes] } : {}),
          middlewares: [...match.middlewares],
          service: match.service,
          passHostHeader: true,
        });
      }
    }
  }
  return routers;
}

/**
 * Each hostname served through an accepted listener, with the schemes it is
 * served on; sorted by hostname. The edge receives both schemes for every
 * host, so a listener limits its routes to its own scheme only where another
 * listener with the same hostname takes the other one (the HTTP listener
 * that redirects to HTTPS, beside the HTTPS one that serves).
 */
function servedHosts(parents: readonly ParentOutcome[], listenerSchemes: ListenerSchemes): [string, Set<Scheme>][] {
  const hosts = new Map<string, Set<Scheme>>();
  for (const parent of parents) {
    for (const { listener, hostnames } of parent.listeners) {
      if (!listener.accepted || listener.scheme === undefined) continue;
      for (const host of isolatedHostnames(listener, hostnames, parent.gateway)) {
        const schemes = hosts.get(host) ?? new Set<Scheme>();
        if (listenerSchemes(listener.hostname ?? '').size > 1) schemes.add(listener.scheme);
        else schemes.add('http').add('https');
        hosts.set(host, schemes);
      }
    }
  }
  return [...hosts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
