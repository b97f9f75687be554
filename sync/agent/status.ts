/**
 * Ingress status, as Traefik 1.7's `ingressEndpoint` writes it: every
 * Ingress the compiler served gets `status.loadBalancer.ingress` set to the
 * configured hostname/ip, or to a copy of the published Service's
 * `status.loadBalancer.ingress`. Ingresses that are not served are never
 * touched; an Ingress whose status already says so is not written again.
 *
 * @example
 * ```ts
 * const status = new IngressStatusUpdater({ hostname: 'edge.example.com' }, writers.status, log);
 * await status.update(result.served, cache);
 * ```
 */
import type { IngressEndpointSettings } from './config-file.ts';
import { describeError } from '../common/kube/errors.ts';
import type { IngressStatusWriter, LoadBalancerIngress } from '../common/kube/writers.ts';
import type { WatchedObject } from '../common/kube/watch-event.ts';
import type { Logger } from '../common/log.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';


export interface StatusReport {
  readonly written: number;
  readonly failed: number;
}

export class IngressStatusUpdater {
  readonly #endpoint: IngressEndpointSettings;
  readonly #writer: IngressStatusWriter;
  readonly #log: Logger;
  /** Ingress key → resourceVersion it had when we wrote it; skips rewriting before our own change comes back through the watch. */
  readonly #writtenAt = new Map<string, string | undefined>();

  constructor(endpoint: IngressEndpointSettings, writer: IngressStatusWriter, log: Logger) {
    this.#endpoint = endpoint;
    this.#writer = writer;
    this.#log = log;
  }

  /** True when an ingress endpoint is configured at all. */
  static enabled(endpoint: IngressEndpointSettings | undefined): endpoint is IngressEndpointSettings {
    return Boolean(endpoint && (endpoint.ip || endpoint.hostname || endpoint.publishedService));
  }

  async update(served: readonly string[], cache: ObjectLookup): Promise<StatusReport> {
    const desired = this.desired(cache);
    if (!desired) return { written: 0, failed: 0 };
    let written = 0;
    let failed = 0;
    for (const key of served) {
      const [namespace = '', name = ''] = key.split('/');
      const ingress = cache.find('Ingress', namespace, name);
      if (!ingress || sameStatus(currentStatus(ingress), desired)) continue;
      if (this.#writtenAt.has(key) && this.#writtenAt.get(key) === ingress.metadata.resourceVersion) continue;
      try {
        await this.#writer.writeIngressStatus(namespace, name, desired);
        this.#writtenAt.set(key, ingress.metadata.resourceVersion);
        this.#log.info('ingress-status-written', { ingress: key, loadBalancer: desired });
        written++;
      } catch (error) {
        this.#log.warn('ingress-status-failed', { ingress: key, error: describeError(error) });
        failed++;
      }
    }
    return { written, failed };
  }

  /** What every served Ingress should say; undefined while the published Service is unknown. */
  desired(cache: ObjectLookup): LoadBalancerIngress[] | undefined {
    const published = this.#endpoint.publishedService;
    if (published) {
      const [namespace, name = ''] = published.split('/');
      const service = cache.find('Service', namespace, name);
      if (!service) {
        this.#log.warn('published-service-missing', { service: published });
        return undefined;
      }
      return readIngressList(service);
    }
    const entry = { ...(this.#endpoint.ip ? { ip: this.#endpoint.ip } : {}), ...(this.#endpoint.hostname ? { hostname: this.#endpoint.hostname } : {}) };
    return [entry];
  }
}

function currentStatus(ingress: WatchedObject): LoadBalancerIngress[] {
  return readIngressList(ingress);
}

function readIngressList(object: WatchedObject): LoadBalancerIngress[] {
  const status = object['status'] as { loadBalancer?: { ingress?: unknown } } | undefined;
  const list = Array.isArray(status?.loadBalancer?.ingress) ? (status.loadBalancer.ingress as Record<string, unknown>[]) : [];
  return list.map((entry) => ({
    ...(typeof entry['ip'] === 'string' ? { ip: entry['ip'] } : {}),
    ...(typeof entry['hostname'] === 'string' ? { hostname: entry['hostname'] } : {}),
  }));
}

function sameStatus(a: readonly LoadBalancerIngress[], b: readonly LoadBalancerIngress[]): boolean {
  const canonical = (list: readonly LoadBalancerIngress[]) => JSON.stringify(list.map((entry) => [entry.ip ?? '', entry.hostname ?? '']).sort());
  return canonical(a) === canonical(b);
}
