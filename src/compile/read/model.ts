/**
 * Any input object → the model of its kind, with the problems found while
 * reading it. Shared by the full compile's index (`../cluster.ts`) and the
 * incremental compiler's store, so both read every kind the same way.
 *
 * @example
 * ```ts
 * const head = objectHead(object, watched);          // undefined: unknown kind or unwatched namespace
 * const meta = readMeta(object, head.namespaced, complain);
 * const model = meta && readModel(head.kind, object, meta, complain);
 * model?.kind === 'Service' && model.service.ports;
 * ```
 */
import type { KubeObject, ObjectRef } from '../api.ts';
import { quote } from '../diagnostics.ts';
import { asRecord, asString, type Complain } from './fields.ts';
import { INGRESS_API_VERSIONS, readIngress, type IngressModel } from './ingress.ts';
import { UNNAMED, type Meta } from './meta.ts';
import {
  readConfigMap, readEndpoints, readIngressClass, readSecret, readService, readSlice, SERVICE_NAME_LABEL,
  type ConfigMapModel, type EndpointGroup, type IngressClassModel, type SecretModel, type ServiceModel,
} from './objects.ts';
import { joined } from '../text.ts';

/** The model of one object, by kind; `key` is `namespace/name` (the name alone for IngressClasses). */
export type ObjectModel =
  | { readonly kind: 'Ingress'; readonly key: string; readonly ingress: IngressModel }
  | { readonly kind: 'Service'; readonly key: string; readonly service: ServiceModel }
  | { readonly kind: 'Endpoints'; readonly key: string; readonly groups: EndpointGroup[] }
  /** `service` is the `namespace/name` of the Service the slice belongs to. */
  | { readonly kind: 'EndpointSlice'; readonly key: string; readonly service: string; readonly group: EndpointGroup }
  | { readonly kind: 'Secret'; readonly key: string; readonly secret: SecretModel }
  | { readonly kind: 'ConfigMap'; readonly key: string; readonly configMap: ConfigMapModel }
  | { readonly kind: 'IngressClass'; readonly key: string; readonly ingressClass: IngressClassModel };

/** The kinds the compiler reads. */
export const MODEL_KINDS: ReadonlySet<string> = new Set(['Ingress', 'Service', 'Endpoints', 'EndpointSlice', 'Secret', 'ConfigMap', 'IngressClass']);

const CLUSTER_SCOPED = new Set(['IngressClass']);

/** What an object is before its metadata is checked: the object diagnostics name, and whether it is read at all. */
export interface ObjectHead {
  readonly kind: string;
  readonly namespaced: boolean;
  /** The object as diagnostics name it (`<unnamed>` without a name). */
  readonly ref: ObjectRef;
}

/** Undefined for kinds the compiler ignores and for namespaces it does not watch. */
export function objectHead(object: KubeObject, watched: ReadonlySet<string> | undefined): ObjectHead | undefined {
  const kind = asString(asRecord(object)?.['kind']);
  if (kind === undefined || !MODEL_KINDS.has(kind)) return undefined;
  const metadata = asRecord(object.metadata);
  const namespaced = !CLUSTER_SCOPED.has(kind);
  const namespace = namespaced ? asString(metadata?.['namespace']) || 'default' : undefined;
  if (namespace !== undefined && watched && !watched.has(namespace)) return undefined;
  return { kind, namespaced, ref: { kind, namespace, name: asString(metadata?.['name']) || UNNAMED } };
}

/** `Kind/namespace/name`: two objects with one id are the same object. */
export function objectId(kind: string, meta: Meta): string {
  return joined(kind, '/', meta.namespace ?? '', '/', meta.name);
}

/** Reads an object of a known kind whose metadata was read; undefined when it contributes nothing. */
export function readModel(kind: string, object: KubeObject, meta: Meta, complain: Complain): ObjectModel | undefined {
  // readMeta gives every namespaced kind a namespace.
  const namespaced = meta as Meta & { readonly namespace: string };
  const key = joined(String(meta.namespace), '/', meta.name);
  switch (kind) {
    case 'Ingress': {
      const style = INGRESS_API_VERSIONS[String(object.apiVersion)];
      if (style) return { kind, key, ingress: readIngress(object, namespaced, style, complain) };
      complain('apiVersion', `Ingress apiVersion ${quote(String(object.apiVersion))} is not supported; object ignored`);
      return undefined;
    }
    case 'Service':
      return { kind, key, service: readService(object, namespaced, complain) };
    case 'Endpoints':
      return { kind, key, groups: readEndpoints(object, complain) };
    case 'EndpointSlice': {
      const service = meta.labels[SERVICE_NAME_LABEL];
      return service ? { kind, key, service: joined(String(meta.namespace), '/', service), group: readSlice(object, complain) } : undefined;
    }
    case 'Secret':
      return { kind, key, secret: readSecret(object) };
    case 'ConfigMap':
      return { kind, key, configMap: readConfigMap(object) };
    case 'IngressClass':
      return { kind, key: meta.name, ingressClass: readIngressClass(object, meta) };
    default:
      return undefined;
  }
}
