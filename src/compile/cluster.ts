/**
 * The input objects indexed for the compiler: Ingresses sorted oldest first,
 * everything else in maps keyed by `namespace/name`, so every lookup is one
 * map probe (issue 8 compiles 10k Ingresses in under a second). Objects in
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
import { asRecord, asString, type Complain } from './read/fields.ts';
import { INGRESS_API_VERSIONS, readIngress, type IngressModel } from './read/ingress.ts';
import { readMeta, UNNAMED, type Meta } from './read/meta.ts';
import {
  readEndpoints, readIngressClass, readSecret, readService, readSlice, SERVICE_NAME_LABEL,
  type EndpointGroup, type IngressClassModel, type SecretModel, type ServiceModel,
} from './read/objects.ts';

/** Where the endpoints of a Service came from, and their groups. */
export interface EndpointSource {
  readonly source: 'EndpointSlice' | 'Endpoints';
  readonly groups: readonly EndpointGroup[];
}

export interface Cluster {
  /** Oldest first: creationTimestamp (missing counts as newest), then namespace/name. */
  readonly ingresses: readonly IngressModel[];
  readonly classes: ReadonlyMap<string, IngressClassModel>;
  service(namespace: string, name: string): ServiceModel | undefined;
  /** Slices when the Service has any, else its Endpoints object, else undefined. */
  endpoints(namespace: string, name: string): EndpointSource | undefined;
  secret(namespace: string, name: string): SecretModel | undefined;
}

type Namespaced = Meta & { readonly namespace: string };

/** Builds the index; malformed objects are reported and skipped. */
export function indexCluster(objects: readonly KubeObject[], options: ProviderOptions, sink: DiagnosticSink): Cluster {
  const index = new ClusterIndex(options.namespaces?.length ? new Set(options.namespaces) : undefined);
  for (const object of objects) index.add(object, sink);
  return index.finish();
}

const CLUSTER_SCOPED = new Set(['IngressClass']);

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
  readonly #classes = new Map<string, IngressClassModel>();

  readonly #readers: Readonly<Record<string, (object: KubeObject, meta: Namespaced, complain: Complain) => void>> = {
    Ingress: (object, meta, complain) => {
      const style = INGRESS_API_VERSIONS[String(object.apiVersion)];
      if (style) this.#ingresses.set(key(meta), readIngress(object, meta, style, complain));
      else complain('apiVersion', `Ingress apiVersion ${quote(String(object.apiVersion))} is not supported; object ignored`);
    },
    Service: (object, meta, complain) => void this.#services.set(key(meta), readService(object, meta, complain)),
    Endpoints: (object, meta, complain) => void this.#endpoints.set(key(meta), readEndpoints(object, complain)),
    EndpointSlice: (object, meta, complain) => {
      const service = meta.labels[SERVICE_NAME_LABEL];
      if (service) this.#slices.set(key(meta), { service: `${meta.namespace}/${service}`, group: readSlice(object, complain) });
    },
    Secret: (object, meta) => void this.#secrets.set(key(meta), readSecret(object)),
    IngressClass: (object, meta) => void this.#classes.set(meta.name, readIngressClass(object, meta)),
  };

  constructor(watched: ReadonlySet<string> | undefined) {
    this.#watched = watched;
  }

  add(object: KubeObject, sink: DiagnosticSink): void {
    const kind = asString(asRecord(object)?.['kind']);
    const read = kind === undefined || !Object.hasOwn(this.#readers, kind) ? undefined : this.#readers[kind];
    if (!read || !kind) return;
    const metadata = asRecord(object.metadata);
    const namespaced = !CLUSTER_SCOPED.has(kind);
    const namespace = namespaced ? asString(metadata?.['namespace']) || 'default' : undefined;
    if (namespace !== undefined && this.#watched && !this.#watched.has(namespace)) return;
    const reporter = sink.about({ kind, namespace, name: asString(metadata?.['name']) || UNNAMED });
    const complain: Complain = (field, message) => reporter.error('InvalidObject', field, message);
    const meta = readMeta(object, namespaced, complain);
    if (!meta) return;
    const id = `${kind}/${meta.namespace ?? ''}/${meta.name}`;
    if (this.#seen.has(id)) reporter.warn('DuplicateObject', undefined, 'is given more than once; the last one is used');
    this.#seen.add(id);
    try {
      // readMeta gives every namespaced kind a namespace; the IngressClass reader ignores it.
      read(object, meta as Namespaced, complain);
    } catch (error) {
      reporter.error('InternalError', undefined, `reading this object failed: ${quote(error instanceof Error ? error.message : String(error))}`);
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
    };
  }
}

function key(meta: Namespaced): string {
  return `${meta.namespace}/${meta.name}`;
}

function compareAge(a: IngressModel, b: IngressModel): number {
  const ageA = a.meta.created ?? Infinity;
  const ageB = b.meta.created ?? Infinity;
  if (ageA !== ageB) return ageA < ageB ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
