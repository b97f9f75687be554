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

/** `/api/v1/...` for the core group, `/apis/<group>/<version>/...` otherwise. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The collection URL, in one namespace or (namespace undefined) across all. */
export function collectionPath(resource: WatchedResource, namespace?: string): string {
  const scope = resource.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${groupVersionPath(resource.apiVersion)}${scope}/${resource.plural}`;
}
