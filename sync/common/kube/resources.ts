/**
 * The resource types the agent watches, and their URLs.
 *
 * @example
 * ```ts
 * collectionPath(INGRESSES, 'shop'); // '/apis/networking.k8s.io/v1/namespaces/shop/ingresses'
 * ```
 */

export interface WatchedResource {
  readonly kind: string;
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export const INGRESSES: WatchedResource = { kind: 'Ingress', apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true };
export const SERVICES: WatchedResource = { kind: 'Service', apiVersion: 'v1', plural: 'services', namespaced: true };
export const ENDPOINT_SLICES: WatchedResource = { kind: 'EndpointSlice', apiVersion: 'discovery.k8s.io/v1', plural: 'endpointslices', namespaced: true };
export const ENDPOINTS: WatchedResource = { kind: 'Endpoints', apiVersion: 'v1', plural: 'endpoints', namespaced: true };
export const SECRETS: WatchedResource = { kind: 'Secret', apiVersion: 'v1', plural: 'secrets', namespaced: true };
export const CONFIG_MAPS: WatchedResource = { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps', namespaced: true };
export const INGRESS_CLASSES: WatchedResource = { kind: 'IngressClass', apiVersion: 'networking.k8s.io/v1', plural: 'ingressclasses', namespaced: false };

/** The Gateway API's group; its resources exist only where its CRDs are installed (`./gateway-discovery.ts`). */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const GATEWAY_CLASSES: WatchedResource = { kind: 'GatewayClass', apiVersion: `${GATEWAY_API_GROUP}/v1`, plural: 'gatewayclasses', namespaced: false };
export const GATEWAYS: WatchedResource = { kind: 'Gateway', apiVersion: `${GATEWAY_API_GROUP}/v1`, plural: 'gateways', namespaced: true };
export const HTTP_ROUTES: WatchedResource = { kind: 'HTTPRoute', apiVersion: `${GATEWAY_API_GROUP}/v1`, plural: 'httproutes', namespaced: true };
export const REFERENCE_GRANTS: WatchedResource = { kind: 'ReferenceGrant', apiVersion: `${GATEWAY_API_GROUP}/v1beta1`, plural: 'referencegrants', namespaced: true };
export const GATEWAY_API_RESOURCES: readonly WatchedResource[] = [GATEWAY_CLASSES, GATEWAYS, HTTP_ROUTES, REFERENCE_GRANTS];
/** Namespace labels, for listener `allowedRoutes.namespaces.from: Selector` (watched with the Gateway API, cluster-wide only). */
export const NAMESPACES: WatchedResource = { kind: 'Namespace', apiVersion: 'v1', plural: 'namespaces', namespaced: false };

/** `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection URL, in one namespace or (namespace undefined) across all. */
export function collectionPath(resource: WatchedResource, namespace?: string): string {
  const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(resource.apiVersion)}${scope}/${resource.plural}`;
}
