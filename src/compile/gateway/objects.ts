/**
 * Picks the Gateway API objects (and Namespaces, whose labels listener
 * `allowedRoutes` selectors read) out of the input, by `namespace/name`, the
 * last one given winning as everywhere in the compiler. Only the
 * `gateway.networking.k8s.io` group counts: an Istio `Gateway` of the same
 * kind name is not ours and is ignored.
 *
 * @example
 * ```ts
 * const inputs = gatewayInputs(objects, watched, sink);
 * inputs.gateways.get('infra/edge')?.spec;
 * ```
 */
import type { KubeObject, ObjectRef } from '../api.ts';
import { quote, type DiagnosticSink } from '../diagnostics.ts';
import { asInt, asRecord, asString, stringMap, type JsonRecord } from '../read/fields.ts';
import { joined } from '../text.ts';

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/** The kinds this compiler reads, with the versions read for each. */
const VERSIONS: Readonly<Record<string, readonly string[]>> = {
  GatewayClass: ['v1', 'v1beta1'],
  Gateway: ['v1', 'v1beta1'],
  HTTPRoute: ['v1', 'v1beta1'],
  ReferenceGrant: ['v1', 'v1beta1', 'v1alpha2'],
};

/** Kubernetes labels every Namespace carries, so a selector works without the Namespace objects (`-f`). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** One Gateway API object with the metadata the compiler uses. */
export interface GatewayObject {
  readonly kind: string;
  /** Undefined for GatewayClasses. */
  readonly namespace: string | undefined;
  readonly name: string;
  /** `namespace/name`, or the name of a GatewayClass. */
  readonly key: string;
  readonly ref: ObjectRef;
  /** `creationTimestamp` in ms; undefined counts as newest. */
  readonly created: number | undefined;
  readonly generation: number | undefined;
  readonly spec: JsonRecord;
}

export interface GatewayInputs {
  readonly classes: ReadonlyMap<string, GatewayObject>;
  readonly gateways: ReadonlyMap<string, GatewayObject>;
  readonly routes: ReadonlyMap<string, GatewayObject>;
  readonly grants: readonly GatewayObject[];
  /** Labels of each Namespace given, plus `kubernetes.io/metadata.name`. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>>;
}

/** True for objects this module reads: Gateway API kinds of the Gateway API group, and Namespaces. */
export function isGatewayInput(object: KubeObject): boolean {
  const record = asRecord(object);
  const kind = record?.['kind'];
  if (kind === 'Namespace') return record?.['apiVersion'] === 'v1';
  return typeof kind === 'string' && Object.hasOwn(VERSIONS, kind) && groupOf(record?.['apiVersion']) === GATEWAY_GROUP;
}

/** `Kind/namespace/name` of an object {@link isGatewayInput} accepts. */
export function gatewayInputKey(object: KubeObject): string {
  const metadata = asRecord(object.metadata);
  const scoped = object.kind === 'GatewayClass' || object.kind === 'Namespace';
  const namespace = scoped ? '' : asString(metadata?.['namespace']) || 'default';
  return joined(String(object.kind), '/', namespace, '/', asString(metadata?.['name']) ?? '');
}

/** Reads the Gateway API objects of `objects`; problems go to `sink`. */
export function gatewayInputs(objects: readonly KubeObject[], watched: ReadonlySet<string> | undefined, sink: DiagnosticSink): GatewayInputs {
  const classes = new Map<string, GatewayObject>();
  const gateways = new Map<string, GatewayObject>();
  const routes = new Map<string, GatewayObject>();
  const grants = new Map<string, GatewayObject>();
  const namespaces = new Map<string, Readonly<Record<string, string>>>();
  for (const object of objects) {
    if (!isGatewayInput(object)) continue;
    const read = readObject(object, sink);
    if (!read) continue;
    if (read.kind === 'Namespace') {
      namespaces.set(read.name, stringMap(asRecord(object.metadata)?.['labels'], 'metadata.labels', () => undefined));
      continue;
    }
    if (read.namespace !== undefined && watched && !watched.has(read.namespace)) continue;
    const into = read.kind === 'GatewayClass' ? classes : read.kind === 'Gateway' ? gateways : read.kind === 'HTTPRoute' ? routes : grants;
    into.set(read.key, read);
  }
  return {
    classes,
    gateways,
    routes,
    grants: [...grants.values()],
    namespaceLabels: (namespace) => ({ ...namespaces.get(namespace), [NAMESPACE_NAME_LABEL]: namespace }),
  };
}

function readObject(object: KubeObject, sink: DiagnosticSink): GatewayObject | undefined {
  const kind = String(object.kind);
  const metadata = asRecord(object.metadata);
  const name = asString(metadata?.['name']);
  const clusterScoped = kind === 'GatewayClass' || kind === 'Namespace';
  const namespace = clusterScoped ? undefined : asString(metadata?.['namespace']) || 'default';
  const report = sink.about({ kind, ...(namespace === undefined ? {} : { namespace }), name: name || '<unnamed>' });
  if (!name) {
    report.error('InvalidObject', 'metadata.name', 'is required; object ignored');
    return undefined;
  }
  const ref: ObjectRef = namespace === undefined ? { kind, name } : { kind, namespace, name };
  if (kind !== 'Namespace') {
    const version = String(object.apiVersion).slice(GATEWAY_GROUP.length + 1);
    if (!VERSIONS[kind]?.includes(version)) {
      report.error('InvalidObject', 'apiVersion', `${quote(String(object.apiVersion))} is not a supported version of ${kind} (${VERSIONS[kind]?.join(', ')}); object ignored`);
      return undefined;
    }
  }
  const spec = asRecord(object['spec']);
  if (!spec && kind !== 'Namespace') {
    report.error('InvalidObject', 'spec', 'must be a mapping; object ignored');
    return undefined;
  }
  const stamp = metadata?.['creationTimestamp'];
  const created = typeof stamp === 'string' ? Date.parse(stamp) : undefined;
  if (created !== undefined && Number.isNaN(created)) report.error('InvalidObject', 'metadata.creationTimestamp', 'is not an RFC 3339 time; the object counts as newest');
  return {
    kind,
    namespace,
    name,
    key: namespace === undefined ? name : joined(namespace, '/', name),
    ref,
    created: created === undefined || Number.isNaN(created) ? undefined : created,
    generation: asInt(metadata?.['generation'], 0, Number.MAX_SAFE_INTEGER),
    spec: spec ?? {},
  };
}

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Oldest first (creationTimestamp; none counts as newest), then `namespace/name`: the Gateway API's route precedence. */
export function compareRouteAge(a: GatewayObject, b: GatewayObject): number {
  const ageA = a.created ?? Infinity;
  const ageB = b.created ?? Infinity;
  if (ageA !== ageB) return ageA < ageB ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
