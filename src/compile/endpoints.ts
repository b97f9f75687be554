/**
 * Servers of one Service port from its Endpoints subsets or EndpointSlices
 * (Traefik's `endpointPortNumber`): the endpoint port is the one whose
 * name equals the Service port's name (both empty counts), so a named
 * `targetPort` that differs per pod resolves correctly; a group listing no
 * ports uses the Service port number. `targetPort` itself is never read.
 *
 * @example
 * ```ts
 * serversFor(cluster.endpoints('shop', 'web')!.groups, { name: 'http', port: 80 });
 * // [{ address: '10.0.0.7:8080', weight: 1, pod: 'web-1' }, { address: '[fd00::7]:8080', weight: 1 }]
 * ```
 */
import type { Server } from '../table/schema.ts';
import type { EndpointGroup, ServicePort } from './read/objects.ts';
import { joined } from './text.ts';

/** Ready servers for `servicePort`, de-duplicated by address and sorted by it. */
export function serversFor(groups: readonly EndpointGroup[], servicePort: ServicePort): Server[] {
  const servers = new Map<string, Server>();
  for (const group of groups) {
    const port = endpointPort(group, servicePort);
    if (port === undefined) continue;
    for (const { ip, pod } of group.addresses) {
      const address = hostPort(ip, port);
      if (!servers.has(address)) servers.set(address, pod === undefined ? { address, weight: 1 } : { address, weight: 1, pod });
    }
  }
  return [...servers.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

function endpointPort(group: EndpointGroup, servicePort: ServicePort): number | undefined {
  if (group.ports.length === 0) return servicePort.port;
  const match = group.ports.find((port) => port.name === servicePort.name);
  // A group without the named port serves other ports of the Service only.
  if (!match) return undefined;
  return match.port ?? servicePort.port;
}

/** `ip:port`, with IPv6 addresses in brackets. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? joined('[', host, ']:', port) : joined(host, ':', port);
}
