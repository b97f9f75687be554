/**
 * The resource types the test API server serves and how their URLs look
 * (`/api/v1/namespaces/ns/services/name`, `/apis/group/version/...`).
 */

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
  /** Has a `status` subresource (PUT/PATCH `.../name/status` writes only `status`). */
  readonly status?: boolean;
  /** Other versions served for the same objects (stored once, answered as `version`, as a CRD without conversion). */
  readonly alsoServed?: readonly string[];
  /** Served only while its CRDs are installed (`TestApiServer.installGatewayApi()`). */
  readonly crd?: 'gateway-api';
}

export const RESOURCES: readonly ResourceType[] = [
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, status: true },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true },
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true, status: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'IngressClass', plural: 'ingressclasses', namespaced: false },
  { group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true },
  { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true },
  ...gatewayApi(),
];

/** The Gateway API CRDs (standard channel): v1 with v1beta1 still served; ReferenceGrant the other way round. */
function gatewayApi(): ResourceType[] {
  const group = 'gateway.networking.k8s.io';
  const crd = 'gateway-api';
  return [
    { group, version: 'v1', kind: 'GatewayClass', plural: 'gatewayclasses', namespaced: false, status: true, alsoServed: ['v1beta1'], crd },
    { group, version: 'v1', kind: 'Gateway', plural: 'gateways', namespaced: true, status: true, alsoServed: ['v1beta1'], crd },
    { group, version: 'v1', kind: 'HTTPRoute', plural: 'httproutes', namespaced: true, status: true, alsoServed: ['v1beta1'], crd },
    { group, version: 'v1beta1', kind: 'ReferenceGrant', plural: 'referencegrants', namespaced: true, alsoServed: ['v1'], crd },
  ];
}

/** Every version a type is served at. */
export function versionsOf(type: ResourceType): string[] {
  return [type.version, ...(type.alsoServed ?? [])];
}

export function apiVersionOf(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function resourceByKind(kind: string): ResourceType {
  const type = RESOURCES.find((candidate) => candidate.kind === kind);
  if (!type) throw new Error(`the test API server does not serve ${kind}`);
  return type;
}

/** A request path taken apart. */
export interface ResourcePath {
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly name?: string;
  readonly subresource?: string;
}

/** Parses a resource URL; undefined for discovery and unknown paths. */
export function parseResourcePath(pathname: string, served: readonly ResourceType[]): ResourcePath | undefined {
  const parts = pathname.split('/').filter(Boolean);
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts[1] === 'v1') [group, rest] = ['', parts.slice(1)];
  else if (parts[0] === 'apis' && parts.length >= 3) [group, rest] = [parts[1] ?? '', parts.slice(2)];
  else return undefined;
  const [version, ...tail] = rest;
  let namespace: string | undefined;
  if (tail[0] === 'namespaces' && tail.length >= 3) {
    namespace = tail[1];
    tail.splice(0, 2);
  }
  const [plural, name, subresource] = tail;
  const type = served.find((candidate) => candidate.group === group && versionsOf(candidate).includes(version ?? '') && candidate.plural === plural);
  if (!type || tail.length > 3) return undefined;
  return { type, namespace, name, subresource };
}
