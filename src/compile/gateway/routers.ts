/**
 * The routers of one accepted HTTPRoute: one per rule, match and hostname
 * it serves, in rule and match order. The hostnames come from every
 * accepted listener the route attached to; a hostname reached only through
 * HTTP listeners (or only HTTPS ones) is limited to that scheme, so an HTTP
 * listener's redirect route and an HTTPS listener's route on one hostname do
 * not meet. Where a Gateway listens on several ports, a hostname reached
 * through only some of them gets one router per port, with a `port`
 * condition. A hostname a more specific listener of the same Gateway and
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
      for (const { host, schemes, ports } of hosts) {
        for (const port of ports ?? [undefined]) {
          const conditions = port === undefined ? match.conditions : { ...match.conditions, port };
          routers.push({
            id: joined(route.key, '#rule', rule.index, '.match', match.index, host === '' && port === undefined ? '' : '@', host, port === undefined ? '' : `:${port}`),
            source: route.key,
            origin: 'httproute',
            host,
            ...(host.startsWith('*.') ? { hostWildcard: 'labels' as const } : {}),
            match: match.match,
            ...(conditions ? { conditions } : {}),
            priority: 0,
            ...(schemes.size === 1 ? { schemes: [...schemes] } : {}),
            middlewares: [...match.middlewares],
            service: match.service,
            passHostHeader: true,
          });
        }
      }
    }
  }
  return routers;
}

interface ServedHost {
  readonly host: string;
  readonly schemes: ReadonlySet<Scheme>;
  /** The edge ports the host is limited to (one router each), or undefined: every port of its Gateways. */
  readonly ports: readonly number[] | undefined;
}

/**
 * Each hostname served through an accepted listener, with the schemes and
 * ports it is served on; sorted by hostname. The edge receives both schemes
 * for every host, so a listener limits its routes to its own scheme only
 * where another listener with the same hostname takes the other one (the
 * HTTP listener that redirects to HTTPS, beside the HTTPS one that serves).
 * Ports separate traffic among the listeners of one scheme: a host reached
 * through some but not all of the ports its Gateways listen on for that
 * scheme is limited to those ports
 * (docs/design/decisions.md#decision-21-gateway-listeners-at-the-edge).
 */
function servedHosts(parents: readonly ParentOutcome[], listenerSchemes: ListenerSchemes): ServedHost[] {
  const hosts = new Map<string, { schemes: Set<Scheme>; ports: Set<number>; all: Set<number>; anyPort: boolean }>();
  for (const parent of parents) {
    for (const { listener, hostnames } of parent.listeners) {
      if (!listener.accepted || listener.scheme === undefined) continue;
      for (const host of isolatedHostnames(listener, hostnames, parent.gateway)) {
        const entry = hosts.get(host) ?? { schemes: new Set<Scheme>(), ports: new Set<number>(), all: new Set<number>(), anyPort: false };
        if (listenerSchemes(listener.hostname ?? '').size > 1) entry.schemes.add(listener.scheme);
        else entry.schemes.add('http').add('https');
        if (listener.port === undefined) entry.anyPort = true;
        else entry.ports.add(listener.port);
        for (const port of gatewayPorts(parent, listener.scheme)) entry.all.add(port);
        hosts.set(host, entry);
      }
    }
  }
  return [...hosts]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([host, { schemes, ports, all, anyPort }]) => ({
      host,
      schemes,
      ports: anyPort || [...all].every((port) => ports.has(port)) ? undefined : [...ports].sort((a, b) => a - b),
    }));
}

/** The ports of the accepted listeners of the parent's Gateway that receive `scheme`. */
function gatewayPorts(parent: ParentOutcome, scheme: Scheme): number[] {
  return parent.gateway.listeners.flatMap((listener) => (listener.accepted && listener.scheme === scheme && listener.port !== undefined ? [listener.port] : []));
}
