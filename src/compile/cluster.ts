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
  const watched = options.namespaces?.length ? new Set(options.namespaces) : undefined;
  const seen = new Set<string>();
  const ingresses = new Map<string, IngressModel>();
  const services = new Map<string, ServiceModel>();
  const endpoints = new Map<string, EndpointGroup[]>();
  const slices = new Map<string, { service: string; group: EndpointGroup }>();
  const secrets = new Map<string, SecretModel>();
  const classes = new Map<string, IngressClassModel>();

  const readers: Readonly<Record<string, (object: KubeObject, meta: Namespaced, complain: Complain) => void>> = {
    Ingress: (object, meta, complain) => {
      const style = INGRESS_API_VERSIONS[String(object.apiVersion)];
      if (style) ingresses.set(key(meta), readIngress(object, meta, style, complain));
      else complain('apiVersion', `Ingress apiVersion ${String(object.apiVersion)} is not supported; object ignored`);
    },
    Service: (object, meta, complain) => void services.set(key(meta), readService(object, meta, complain)),
    Endpoints: (object, meta, complain) => void endpoints.set(key(meta), readEndpoints(object, complain)),
    EndpointSlice: (object, meta, complain) => {
      const service = meta.labels[SERVICE_NAME_LABEL];
      if (service) slices.set(key(meta), { service: `${meta.namespace}/${service}`, group: readSlice(object, complain) });
    },
    Secret: (object, meta) => void secrets.set(key(meta), readSecret(object)),
  };

  objects.forEach((object) => {
    const kind = asString(asRecord(object)?.['kind']);
    if (kind === 'IngressClass') return readClass(object, sink, classes);
    const read = kind === undefined ? undefined : readers[kind];
    if (!read || !kind) return;
    const namespace = asString(asRecord(object.metadata)?.['namespace']) || 'default';
    if (watched && !watched.has(namespace)) return;
    const reporter = sink.about({ kind, namespace, name: asString(asRecord(object.metadata)?.['name']) || UNNAMED });
    const complain: Complain = (field, message) => reporter.error('InvalidObject', field, message);
    const meta = readMeta(object, true, complain) as Namespaced | undefined;
    if (!meta) return;
    const id = `${kind}/${key(meta)}`;
    if (seen.has(id)) reporter.warn('DuplicateObject', undefined, 'is given more than once; the last one is used');
    seen.add(id);
    try {
      read(object, meta, complain);
    } catch (error) {
      reporter.error('InternalError', undefined, `reading this object failed: ${quote(error instanceof Error ? error.message : String(error))}`);
    }
  });

  const sliceGroups = new Map<string, EndpointGroup[]>();
  for (const { service, group } of slices.values()) {
    const list = sliceGroups.get(service);
    if (list) list.push(group);
    else sliceGroups.set(service, [group]);
  }
  return {
    ingresses: [...ingresses.values()].sort(compareAge),
    classes,
    service: (namespace, name) => services.get(`${namespace}/${name}`),
    endpoints: (namespace, name) => {
      const groups = sliceGroups.get(`${namespace}/${name}`);
      if (groups) return { source: 'EndpointSlice', groups };
      const subsets = endpoints.get(`${namespace}/${name}`);
      return subsets ? { source: 'Endpoints', groups: subsets } : undefined;
    },
    secret: (namespace, name) => secrets.get(`${namespace}/${name}`),
  };
}

function readClass(object: KubeObject, sink: DiagnosticSink, classes: Map<string, IngressClassModel>): void {
  const reporter = sink.about({ kind: 'IngressClass', name: asString(asRecord(object.metadata)?.['name']) || UNNAMED });
  const meta = readMeta(object, false, (field, message) => reporter.error('InvalidObject', field, message));
  if (!meta) return;
  if (classes.has(meta.name)) reporter.warn('DuplicateObject', undefined, 'is given more than once; the last one is used');
  classes.set(meta.name, readIngressClass(object, meta));
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
