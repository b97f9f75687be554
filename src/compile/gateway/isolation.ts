/**
 * Listener isolation (Gateway API, `Listener.hostname`): a request is
 * handled by the most specific listener of a Gateway port whose hostname
 * matches it, so a route attached to a less specific listener never serves
 * a host a more specific listener of that Gateway and port covers, even
 * when the route's own hostnames name it.
 *
 * Two halves, because the edge has one host index for every Gateway and
 * Ingress (exact > longest wildcard > host-less, no fall-through between host
 * groups):
 * - {@link isolatedHostnames} drops a route's effective hostname that a more
 *   specific listener covers whole (`abc.foo.example.com` or
 *   `*.foo.example.com` reached through a `*.example.com` listener);
 * - a hostname kept that is broader than a more specific listener's
 *   (`*.example.com` beside an `abc.foo.example.com` listener) still matches
 *   that listener's hosts unless their host group exists. {@link isolationRouters}
 *   makes sure it does: one path-less router per such listener hostname,
 *   answering 404, last in the table, so every route of that group ranks
 *   above it and a request none of them takes gets the 404 the more specific
 *   listener would give, instead of falling to the broader hostname's group.
 *
 * @example
 * ```ts
 * isolatedHostnames(emptyListener, ['bar.com', '*.example.com'], gateway); // ['bar.com'] beside a *.example.com listener
 * isolationRouters(gateways, attached, parts, schemes);                  // [{ host: '*.example.com', match: { type: 'any' }, … }]
 * ```
 */
import type { Scheme } from '../../table/schema.ts';
import type { GatewayView } from './attachment.ts';
import { hostnameCovers } from './hostnames.ts';
import type { Listener } from './listeners.ts';
import type { GatewayRouter, ListenerSchemes } from './routers.ts';
import type { GatewayTableParts } from './table-parts.ts';

/** Marks the id of a router that only holds a listener's host group open. */
export const ISOLATION_ROUTER = '#isolation';

/** The listeners of `gateway` on `listener`'s port whose hostname is strictly more specific than `listener`'s. */
function moreSpecific(listener: Listener, gateway: GatewayView): Listener[] {
  return gateway.listeners.filter(
    (other) =>
      other !== listener &&
      other.accepted &&
      other.port === listener.port &&
      other.hostname !== undefined &&
      other.hostname !== listener.hostname &&
      (listener.hostname === undefined || hostnameCovers(listener.hostname, other.hostname)),
  );
}

/** The hostnames a route serves through `listener` once those a more specific listener of the Gateway covers are left out. */
export function isolatedHostnames(listener: Listener, hostnames: readonly string[], gateway: GatewayView): string[] {
  const closer = moreSpecific(listener, gateway);
  if (closer.length === 0) return [...hostnames];
  return hostnames.filter((host) => host !== '' ? !closer.some((other) => hostnameCovers(other.hostname!, host)) : true);
}

/**
 * The 404 routers that keep each more specific listener's host group in
 * place, for every listener that has a less specific one of its Gateway and
 * port with routes attached; in Gateway and listener order, one per
 * hostname and schemes.
 */
export function isolationRouters(
  gateways: Iterable<GatewayView>,
  attached: ReadonlyMap<Listener, ReadonlySet<string>>,
  parts: GatewayTableParts,
  listenerSchemes: ListenerSchemes,
): GatewayRouter[] {
  const routers = new Map<string, GatewayRouter>();
  for (const gateway of gateways) {
    if (!gateway.accepted) continue;
    for (const broader of gateway.listeners) {
      if (!broader.accepted || (attached.get(broader)?.size ?? 0) === 0) continue;
      for (const listener of moreSpecific(broader, gateway)) {
        const host = listener.hostname!;
        const schemes: Scheme[] | undefined = listenerSchemes(host).size > 1 && listener.scheme ? [listener.scheme] : undefined;
        const id = `${gateway.object.key}${ISOLATION_ROUTER}@${host}${schemes ? `:${schemes[0]}` : ''}`;
        if (routers.has(id)) continue;
        const service = parts.addService(`status:404:isolation:${host}`, {
          kind: 'status',
          status: 404,
          reason: `listener isolation: ${host} belongs to a more specific listener, and none of its routes matched`,
        });
        routers.set(id, {
          id,
          source: gateway.object.key,
          origin: 'httproute',
          host,
          ...(host.startsWith('*.') ? { hostWildcard: 'labels' as const } : {}),
          match: { type: 'any' },
          priority: 0,
          ...(schemes ? { schemes } : {}),
          middlewares: [],
          service,
          passHostHeader: true,
        });
      }
    }
  }
  return [...routers.values()];
}
