/**
 * Endpoint pools (table services), one per Service port and protocol, built
 * once however many routes use them. A pool that cannot be served still
 * exists with `servers: []` and an `unavailable` reason, so its routes keep
 * their host and path and answer 503 (decision 4).
 *
 * Ids are `namespace/service:<port>`, plus `+<protocol>` when the `protocol`
 * annotation changes the Service's own protocol, so different pools never
 * share an id and identical ones are stored once.
 *
 * @example
 * ```ts
 * const pools = new Pools(cluster, sink);
 * const pool = pools.resolve('shop', { name: 'web', port: { name: 'http' } }, undefined);
 * pool.id;       // 'shop/web:80'
 * pool.problem;  // undefined, or { code: 'NoReadyEndpoints', … } for the caller to report
 * ```
 */
import type { Service, ServiceTarget } from '../table/schema.ts';
import type { Protocol } from './annotations/routing.ts';
import type { Cluster } from './cluster.ts';
import type { UserCode } from './codes.ts';
import { quote, type DiagnosticSink } from './diagnostics.ts';
import { hostPort, serversFor } from './endpoints.ts';
import { portText, type PortRef } from './read/backend.ts';
import type { ServiceModel, ServicePort } from './read/objects.ts';
import { readServiceTraffic, type ServiceTraffic } from './traffic/service.ts';

/** Why a pool is empty, for the Ingress that uses it to report. */
export interface PoolProblem {
  readonly code: Extract<UserCode, 'ServiceNotFound' | 'ServicePortNotFound' | 'NoReadyEndpoints'>;
  readonly message: string;
}

export interface PoolRef {
  readonly id: string;
  readonly problem: PoolProblem | undefined;
  /** How many endpoints the pool has. */
  readonly size: number;
  /** The Service's traffic annotations, when the Service exists. */
  readonly traffic: ServiceTraffic | undefined;
}

type Servers = Extract<Service, { kind: 'servers' }>;

export class Pools {
  readonly #pools = new Map<string, { service: Servers; problem: PoolProblem | undefined }>();
  readonly #traffic = new Map<ServiceModel, ServiceTraffic>();
  readonly #cluster: Cluster;
  readonly #sink: DiagnosticSink;

  constructor(cluster: Cluster, sink: DiagnosticSink) {
    this.#cluster = cluster;
    this.#sink = sink;
  }

  /** The pool for a backend of an Ingress in `namespace`, built on first use. */
  resolve(namespace: string, backend: { readonly name: string; readonly port: PortRef }, protocol: Protocol | 'invalid' | undefined): PoolRef {
    const service = this.#cluster.service(namespace, backend.name);
    const port = service?.ports.find((p) => p.port === backend.port.number || (!!backend.port.name && p.name === backend.port.name));
    const own = port ? protocolOf(port.port, port.name) : protocolOf(backend.port.number, backend.port.name);
    const suffix = protocol === undefined || protocol === own ? '' : protocol === 'invalid' ? '+invalid-protocol' : `+${protocol}`;
    const id = `${namespace}/${backend.name}:${port ? port.port : portText(backend.port)}${suffix}`;
    let pool = this.#pools.get(id);
    if (!pool) {
      const target = port ? port.port : backend.port.number;
      const base: Servers = {
        kind: 'servers',
        protocol: protocol === undefined || protocol === 'invalid' ? own : protocol,
        ...(target === undefined ? {} : { target: { namespace, name: backend.name, port: target } satisfies ServiceTarget }),
        servers: [],
      };
      pool = this.#build(base, namespace, backend, service, port, protocol === 'invalid');
      const balancer = service && this.#trafficOf(service).balancer(id);
      if (balancer) pool.service.balancer = balancer;
      this.#pools.set(id, pool);
    }
    return { id, problem: pool.problem, size: pool.service.servers.length, traffic: service && this.#trafficOf(service) };
  }

  /** Every pool built so far, keyed by id in sorted order. */
  services(): Record<string, Service> {
    return Object.fromEntries([...this.#pools.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, pool]) => [id, pool.service]));
  }

  #build(
    base: Servers,
    namespace: string,
    backend: { readonly name: string; readonly port: PortRef },
    service: ServiceModel | undefined,
    port: ServicePort | undefined,
    invalidProtocol: boolean,
  ): { service: Servers; problem: PoolProblem | undefined } {
    const name = `${namespace}/${backend.name}`;
    if (!service) {
      const message = `Service ${quote(backend.name)} not found in namespace ${namespace}; the route answers 503`;
      return { service: { ...base, unavailable: `Service ${name} not found` }, problem: { code: 'ServiceNotFound', message } };
    }
    if (!port) {
      const ports = service.ports.map((p) => (p.name ? `${p.name}/${p.port}` : String(p.port))).join(', ') || 'none';
      const message = `Service ${name} has no port ${quote(portText(backend.port))} (ports: ${ports}); the route answers 503`;
      return { service: { ...base, unavailable: `Service ${name} has no port ${portText(backend.port)}` }, problem: { code: 'ServicePortNotFound', message } };
    }
    if (invalidProtocol) return { service: { ...base, unavailable: 'invalid protocol annotation' }, problem: undefined };
    if (service.externalName !== undefined) return { service: externalPool(base, service.externalName, port), problem: undefined };
    const source = this.#cluster.endpoints(namespace, backend.name);
    const servers = source ? serversFor(source.groups, port) : [];
    if (servers.length > 0) return { service: { ...base, servers }, problem: undefined };
    const named = port.name ? ` (named ${quote(port.name)})` : '';
    const where = source
      ? `its ${source.source === 'EndpointSlice' ? 'EndpointSlices have' : 'Endpoints have'} no ready address for port ${port.port}${named}`
      : 'it has no Endpoints or EndpointSlices';
    const message = `Service ${name} has no ready endpoints (${where}); the route answers 503`;
    return { service: { ...base, unavailable: 'no ready endpoints' }, problem: { code: 'NoReadyEndpoints', message } };
  }

  /** The Service's traffic annotations, read (and reported on) once. */
  #trafficOf(service: ServiceModel): ServiceTraffic {
    let traffic = this.#traffic.get(service);
    if (!traffic) {
      traffic = readServiceTraffic(service.annotations, this.#sink.about({ kind: 'Service', namespace: service.namespace, name: service.name }));
      this.#traffic.set(service, traffic);
    }
    return traffic;
  }
}

function externalPool(base: Servers, externalName: string, port: ServicePort): Servers {
  if (externalName === '') return { ...base, unavailable: 'ExternalName Service without spec.externalName' };
  return { ...base, external: true, servers: [{ address: hostPort(externalName, port.port), weight: 1 }] };
}

/** Traefik's default backend protocol: https for port 443 or a port name starting with `https`. */
function protocolOf(port: number | undefined, name: string | undefined): Protocol {
  return port === 443 || name?.startsWith('https') ? 'https' : 'http';
}
