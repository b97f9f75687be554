/**
 * What the Gateway API compile adds to the table besides routers:
 * middlewares under the same content ids the Ingress side uses, pools
 * (built like the Ingress side's, so a pool both use is one entry), and the
 * `status` and `weighted` services of HTTPRoute rules.
 *
 * @example
 * ```ts
 * const parts = new GatewayTableParts(cluster);
 * parts.middlewareIds([{ kind: 'replace-path', path: '/' }]); // ['replace-path:/']
 * parts.pools.resolve('shop', { name: 'web', port: { number: 80 } }, undefined).id; // 'shop/web:80'
 * ```
 */
import type { Middleware } from '../../table/middleware.ts';
import type { Service } from '../../table/schema.ts';
import type { ClusterObjects } from '../cluster.ts';
import type { Protocol } from '../annotations/routing.ts';
import { buildPool, poolRef, poolRequest, serviceTraffic, type PoolRef, type PoolResolver } from '../pools.ts';
import type { PortRef } from '../read/backend.ts';
import type { ServiceModel } from '../read/objects.ts';
import type { ServiceTraffic } from '../traffic/service.ts';
import { orderedMiddlewareIds } from '../table-builder.ts';
import type { GatewayMiddleware } from './middlewares.ts';

/** The services HTTPRoute rules add: a weighted split whose members may carry middlewares, or a fixed status. */
export type GatewayService = Extract<Service, { kind: 'weighted' | 'status' }>;

export class GatewayTableParts {
  readonly middlewares = new Map<string, Middleware>();
  readonly services = new Map<string, Service>();
  readonly pools: PoolResolver;

  constructor(cluster: Pick<ClusterObjects, 'service' | 'endpoints'>) {
    const services = this.services;
    const traffics = new Map<ServiceModel, ServiceTraffic>();
    const trafficOf = (service: ServiceModel): ServiceTraffic => {
      let traffic = traffics.get(service);
      if (!traffic) traffics.set(service, (traffic = serviceTraffic(service).traffic));
      return traffic;
    };
    this.pools = {
      resolve(namespace: string, backend: { readonly name: string; readonly port: PortRef }, protocol: Protocol | 'invalid' | undefined): PoolRef {
        const request = poolRequest(cluster, namespace, backend, protocol);
        // The Service's balancer settings shape the pool as on the Ingress side; their diagnostics are the Ingress side's to report.
        const traffic = request.service && trafficOf(request.service);
        const pool = buildPool(request, cluster, traffic);
        if (!services.has(pool.id)) services.set(pool.id, pool.service);
        return poolRef(pool, traffic);
      },
    };
  }

  /** Stores the middlewares; their ids in pipeline order. */
  middlewareIds(middlewares: readonly GatewayMiddleware[]): string[] {
    return orderedMiddlewareIds(middlewares, (id, middleware) => this.middlewares.set(id, middleware));
  }

  /** Stores a service under `id`; returns the id. */
  addService(id: string, service: GatewayService): string {
    this.services.set(id, service);
    return id;
  }
}
