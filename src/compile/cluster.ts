/**
 * The input objects indexed for the compiler: Ingresses sorted oldest first,
 * everything else in maps keyed by `namespace/name`, so every lookup is one
 * map probe (docs/measurements/performance.md: 10k Ingresses compile in about 2 s). Objects in
 * namespaces the options do not watch are dropped here; unknown kinds are
 * ignored.
 *
 * @example
 * ```ts
 * const cluster = indexCluster(objects, { namespaces: ['shop'] }, sink);
 * cluster.service('shop', 'web')?.ports;
 * cluster.endpoints('shop', 'web')?.source; // 'EndpointSlice' when any slice exists
 * ```
 */
import type { KubeObject, ProviderOptions } from './api.ts';
import { quote, type DiagnosticSink } from './diagnostics.ts';
import type { Complain } from './read/fields.ts';
import type { IngressModel } from './read/ingress.ts';
import { readMeta } from './read/meta.ts';
import { objectHead, objectId, readModel, type ObjectModel } from './read/model.ts';
import type { ConfigMapModel, EndpointGroup, IngressClassModel, SecretModel, ServiceModel } from './read/objects.ts';

/** Where the endpoints of a Service came from, and their groups. */
export interface EndpointSource {
  readonly source: 'EndpointSlice' | 'Endpoints';
  readonly groups: readonly EndpointGroup[];
}

/** The objects one Ingress reads while it is compiled. */
export interface ClusterObjects {
  service(namespace: string, name: string): ServiceModel | undefined;
  /** Slices when the Service has any, else its Endpoints object, else undefined. */
  endpoints(namespace: string, name: string): EndpointSource | undefined;
  secret(namespace: string, name: string): SecretModel | undefined;
  /** Every Ingress of the watched namespaces, in no order (error pages name other rules' backends). */
  ingressModels(): Iterable<IngressModel>;
  configMap(namespace: string, name: string): ConfigMapModel | undefined;
}

export interface Cluster extends ClusterObjects {
  /** Oldest first: creationTimestamp (missing counts as newest), then namespace/name. */
  readonly ingresses: readonly IngressModel[];
  readonly classes: ReadonlyMap<string, IngressClassModel>;
}

/** Builds the index; malformed objects are reported and skipped. */
export function indexCluster(objects: readonly KubeObject[], options: ProviderOptions, sink: DiagnosticSink): Cluster {
  const index = new ClusterIndex(watchedNamespaces(options));
  for (const object of objects) index.add(object, sink);
  return index.finish();
}

/** The namespaces the options watch; undefined for all. */
export function watchedNamespaces(options: ProviderOptions): ReadonlySet<string> | undefined {
  return options.namespaces?.length ? new Set(options.namespaces) : undefined;
}

/** The maps being filled; one `add` per input object, then `finish`. */
class ClusterIndex {
  readonly #watched: ReadonlySet<string> | undefined;
  readonly #seen = new Set<string>();
  readonly #ingresses = new Map<string, IngressModel>();
  readonly #services = new Map<string, ServiceModel>();
  readonly #endpoints = new Map<string, EndpointGroup[]>();
  /** By slice `namespace/name`, grouped by Service in `finish` (a later duplicate replaces its slice). */
  readonly #slices = new Map<string, { service: string; group: EndpointGroup }>();
  readonly #secrets = new Map<string, SecretModel>();
  readonly #configMaps = new Map<string, ConfigMapModel>();
  readonly #classes = new Map<string, IngressClassModel>();

  constructor(watched: ReadonlySet<string> | undefined) {
    this.#watched = watched;
  }

  add(object: KubeObject, sink: DiagnosticSink): void {
    const head = objectHead(object, this.#watched);
    if (!head) return;
    const reporter = sink.about(head.ref);
    const complain: Complain = (field, message) => reporter.error('InvalidObject', field, message);
    const meta = readMeta(object, head.namespaced, complain);
    if (!meta) return;
    const id = objectId(head.kind, meta);
    if (this.#seen.has(id)) reporter.warn('DuplicateObject', undefined, 'is given more than once; the last one is used');
    this.#seen.add(id);
    let model: ObjectModel | undefined;
    try {
      model = readModel(head.kind, object, meta, complain);
    } catch (error) {
      reporter.error('InternalError', undefined, `reading this object failed: ${quote(error instanceof Error ? error.message : String(error))}`);
    }
    if (model) this.#store(model);
  }

  #store(model: ObjectModel): void {
    switch (model.kind) {
      case 'Ingress':
        return void this.#ingresses.set(model.key, model.ingress);
      case 'Service':
        return void this.#services.set(model.key, model.service);
      case 'Endpoints':
        return void this.#endpoints.set(model.key, model.groups);
      case 'EndpointSlice':
        return void this.#slices.set(model.key, { service: model.service, group: model.group });
      case 'Secret':
        return void this.#secrets.set(model.key, model.secret);
      case 'ConfigMap':
        return void this.#configMaps.set(model.key, model.configMap);
      case 'IngressClass':
        return void this.#classes.set(model.key, model.ingressClass);
    }
  }

  finish(): Cluster {
    const slices = new Map<string, EndpointGroup[]>();
    for (const { service, group } of this.#slices.values()) {
      const list = slices.get(service);
      if (list) list.push(group);
      else slices.set(service, [group]);
    }
    const services = this.#services;
    const endpoints = this.#endpoints;
    const secrets = this.#secrets;
    const configMaps = this.#configMaps;
    return {
      ingresses: [...this.#ingresses.values()].sort(compareAge),
      classes: this.#classes,
      service: (namespace, name) => services.get(`${namespace}/${name}`),
      endpoints: (namespace, name) => {
        const groups = slices.get(`${namespace}/${name}`);
        if (groups) return { source: 'EndpointSlice', groups };
        const subsets = endpoints.get(`${namespace}/${name}`);
        return subsets ? { source: 'Endpoints', groups: subsets } : undefined;
      },
      secret: (namespace, name) => secrets.get(`${namespace}/${name}`),
      ingressModels: () => this.#ingresses.values(),
      configMap: (namespace, name) => configMaps.get(`${namespace}/${name}`),
    };
  }
}

/** Oldest first: creationTimestamp (missing counts as newest), then namespace/name. */
export function compareAge(a: IngressModel, b: IngressModel): number {
  const ageA = a.meta.created ?? Infinity;
  const ageB = b.meta.created ?? Infinity;
  if (ageA !== ageB) return ageA < ageB ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
