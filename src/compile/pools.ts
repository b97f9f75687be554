/**
 * Endpoint pools (table services), one per Service port and protocol, built
 * once however many routes use them. A pool that cannot be served still
 * exists with `servers: []` and an `unavailable` reason, so its routes keep
 * their host and path and answer 503 (docs/design/decisions.md#decision-4-a-missing-service-answers-503).
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
import type { Cluster, ClusterObjects } from './cluster.ts';
import type { UserCode } from './codes.ts';
import type { Diagnostic } from './api.ts';
import { DiagnosticSink, quote } from './diagnostics.ts';
import { hostPort, serversFor } from './endpoints.ts';
import { portText, type PortRef } from './read/backend.ts';
import type { ServiceModel, ServicePort } from './read/objects.ts';
import { readServiceTraffic, type ServiceTraffic } from './traffic/service.ts';
import { joined } from './text.ts';

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

/** A backend of an Ingress resolved against its Service: the pool id and what building the pool needs. */
export interface PoolRequest {
  readonly id: string;
  readonly namespace: string;
  readonly backend: { readonly name: string; readonly port: PortRef };
  readonly protocol: Protocol | 'invalid' | undefined;
  readonly service: ServiceModel | undefined;
  readonly port: ServicePort | undefined;
}

/** A built pool: its id (one string shared by every router using it), the table service and why it is empty, if it is. */
export interface BuiltPool {
  readonly id: string;
  readonly service: Servers;
  readonly problem: PoolProblem | undefined;
}

/** Who keeps pools: the full compile builds each on first use (`Pools`), the incremental compiler per request. */
export interface PoolResolver {
  resolve(namespace: string, backend: { readonly name: string; readonly port: PortRef }, protocol: Protocol | 'invalid' | undefined): PoolRef;
}

/** Resolves the backend's Service port and the pool id (reads the Service only). */
export function poolRequest(
  cluster: Pick<ClusterObjects, 'service'>,
  namespace: string,
  backend: { readonly name: string; readonly port: PortRef },
  protocol: Protocol | 'invalid' | undefined,
): PoolRequest {
  const service = cluster.service(namespace, backend.name);
  const port = service && findPort(service.ports, backend.port);
  const own = port ? protocolOf(port.port, port.name) : protocolOf(backend.port.number, backend.port.name);
  const suffix = protocol === undefined || protocol === own ? '' : protocol === 'invalid' ? '+invalid-protocol' : `+${protocol}`;
  const id = joined(namespace, '/', backend.name, ':', port ? port.port : portText(backend.port), suffix);
  return { id, namespace, backend, protocol, service, port };
}

/** Builds the pool a request stands for (reads the Service's endpoints); `traffic` is the Service's, when it exists. */
export function buildPool(request: PoolRequest, cluster: Pick<ClusterObjects, 'endpoints'>, traffic: ServiceTraffic | undefined): BuiltPool {
  const { namespace, backend, protocol, port } = request;
  const own = port ? protocolOf(port.port, port.name) : protocolOf(backend.port.number, backend.port.name);
  const target = port ? port.port : backend.port.number;
  const base: Servers = {
    kind: 'servers',
    protocol: protocol === undefined || protocol === 'invalid' ? own : protocol,
    ...(target === undefined ? {} : { target: { namespace, name: backend.name, port: target } satisfies ServiceTarget }),
    servers: [],
  };
  const pool = poolContent(base, request, cluster);
  const balancer = traffic?.balancer(request.id);
  if (balancer) pool.service.balancer = balancer;
  return { id: request.id, ...pool };
}

/** The PoolRef a built pool gives the Ingress that asked. */
export function poolRef(pool: BuiltPool, traffic: ServiceTraffic | undefined): PoolRef {
  return { id: pool.id, problem: pool.problem, size: pool.service.servers.length, traffic };
}

/** The Service's traffic annotations and what reading them reported (the first user of the Service reports it). */
export function serviceTraffic(service: ServiceModel): { readonly traffic: ServiceTraffic; readonly diagnostics: readonly Diagnostic[] } {
  const sink = new DiagnosticSink();
  const traffic = readServiceTraffic(service.annotations, sink.about({ kind: 'Service', namespace: service.namespace, name: service.name }));
  return { traffic, diagnostics: sink.list };
}

/** Pools of one full compile: each built on first use, the Service's traffic read (and reported) once. */
export class Pools implements PoolResolver {
  readonly #pools = new Map<string, BuiltPool>();
  readonly #traffic = new Map<ServiceModel, ServiceTraffic>();
  readonly #cluster: Cluster;
  readonly #sink: DiagnosticSink;

  constructor(cluster: Cluster, sink: DiagnosticSink) {
    this.#cluster = cluster;
    this.#sink = sink;
  }

  /** The pool for a backend of an Ingress in `namespace`, built on first use. */
  resolve(namespace: string, backend: { readonly name: string; readonly port: PortRef }, protocol: Protocol | 'invalid' | undefined): PoolRef {
    const request = poolRequest(this.#cluster, namespace, backend, protocol);
    const traffic = request.service && this.#trafficOf(request.service);
    let pool = this.#pools.get(request.id);
    if (!pool) {
      pool = buildPool(request, this.#cluster, traffic);
      this.#pools.set(request.id, pool);
    }
    return poolRef(pool, traffic);
  }

  /** Every pool built so far, by id. */
  *services(): Iterable<readonly [string, Service]> {
    for (const [id, pool] of this.#pools) yield [id, pool.service];
  }

  /** The Service's traffic annotations, read (and reported on) once. */
  #trafficOf(service: ServiceModel): ServiceTraffic {
    let traffic = this.#traffic.get(service);
    if (!traffic) {
      const read = serviceTraffic(service);
      this.#sink.list.push(...read.diagnostics);
      traffic = read.traffic;
      this.#traffic.set(service, traffic);
    }
    return traffic;
  }
}

function poolContent(base: Servers, request: PoolRequest, cluster: Pick<ClusterObjects, 'endpoints'>): { service: Servers; problem: PoolProblem | undefined } {
  const { namespace, backend, service, port, protocol } = request;
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
  if (protocol === 'invalid') return { service: { ...base, unavailable: 'invalid protocol annotation' }, problem: undefined };
  if (service.externalName !== undefined) return { service: externalPool(base, service.externalName, port), problem: undefined };
  const source = cluster.endpoints(namespace, backend.name);
  const servers = source ? serversFor(source.groups, port) : [];
  if (servers.length > 0) return { service: { ...base, servers }, problem: undefined };
  const named = port.name ? ` (named ${quote(port.name)})` : '';
  const where = source
    ? `its ${source.source === 'EndpointSlice' ? 'EndpointSlices have' : 'Endpoints have'} no ready address for port ${port.port}${named}`
    : 'it has no Endpoints or EndpointSlices';
  const message = `Service ${name} has no ready endpoints (${where}); the route answers 503`;
  return { service: { ...base, unavailable: 'no ready endpoints' }, problem: { code: 'NoReadyEndpoints', message } };
}

/** The Service port a backend names: by number, or by name. */
function findPort(ports: readonly ServicePort[], ref: PortRef): ServicePort | undefined {
  for (const port of ports) if (port.port === ref.number || (!!ref.name && port.name === ref.name)) return port;
  return undefined;
}

function externalPool(base: Servers, externalName: string, port: ServicePort): Servers {
  if (externalName === '') return { ...base, unavailable: 'ExternalName Service without spec.externalName' };
  return { ...base, external: true, servers: [{ address: hostPort(externalName, port.port), weight: 1 }] };
}

/** Traefik's default backend protocol: https for port 443 or a port name starting with `https`. */
function protocolOf(port: number | undefined, name: string | undefined): Protocol {
  return port === 443 || name?.startsWith('https') ? 'https' : 'http';
}
