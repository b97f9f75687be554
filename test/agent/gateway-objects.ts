/**
 * Gateway API objects for agent tests, written the way they read in YAML
 * (`gateway.networking.k8s.io/v1`).
 */
import type { StoredObject } from '../kube/store.ts';

export const GATEWAY_CONTROLLER = 'edgress.dev/gateway-controller';
const API_VERSION = 'gateway.networking.k8s.io/v1';

export function gatewayClass(name: string, controllerName = GATEWAY_CONTROLLER, description?: string): StoredObject {
  return { apiVersion: API_VERSION, kind: 'GatewayClass', metadata: { name }, spec: { controllerName, ...(description ? { description } : {}) } };
}

export interface ListenerSpec {
  readonly name?: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly hostname?: string;
  readonly allowedRoutes?: object;
  readonly tls?: object;
}

export function gateway(name: string, listeners: readonly ListenerSpec[] = [{}], options: { namespace?: string; className?: string } = {}): StoredObject {
  return {
    apiVersion: API_VERSION,
    kind: 'Gateway',
    metadata: { name, namespace: options.namespace ?? 'default' },
    spec: {
      gatewayClassName: options.className ?? 'edgress',
      listeners: listeners.map((listener) => ({
        name: listener.name ?? 'http',
        protocol: listener.protocol ?? 'HTTP',
        port: listener.port ?? 80,
        ...(listener.hostname ? { hostname: listener.hostname } : {}),
        ...(listener.allowedRoutes ? { allowedRoutes: listener.allowedRoutes } : {}),
        ...(listener.tls ? { tls: listener.tls } : {}),
      })),
    },
  };
}

export interface BackendRefSpec {
  readonly name: string;
  readonly port?: number;
  readonly namespace?: string;
  readonly kind?: string;
  readonly group?: string;
  readonly weight?: number;
}

export interface RouteSpec {
  readonly namespace?: string;
  readonly hostnames?: readonly string[];
  readonly parentRefs?: readonly object[];
  readonly backendRefs?: readonly BackendRefSpec[];
  readonly path?: string;
  readonly status?: object;
}

export function httpRoute(name: string, spec: RouteSpec = {}): StoredObject {
  return {
    apiVersion: API_VERSION,
    kind: 'HTTPRoute',
    metadata: { name, namespace: spec.namespace ?? 'default' },
    spec: {
      parentRefs: spec.parentRefs ?? [{ name: 'edge', namespace: 'default' }],
      hostnames: spec.hostnames ?? [`${name}.example.com`],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: spec.path ?? '/' } }],
          backendRefs: (spec.backendRefs ?? [{ name: 'web', port: 80 }]).map((ref) => ({ port: 80, ...ref })),
        },
      ],
    },
    ...(spec.status ? { status: spec.status } : {}),
  };
}

export function referenceGrant(name: string, namespace: string, from: { namespace: string; kind?: string }, to: { kind?: string; name?: string } = {}): StoredObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name, namespace },
    spec: {
      from: [{ group: 'gateway.networking.k8s.io', kind: from.kind ?? 'HTTPRoute', namespace: from.namespace }],
      to: [{ group: '', kind: to.kind ?? 'Service', ...(to.name ? { name: to.name } : {}) }],
    },
  };
}

/** A stored route's `status.parents` entries of one controller. */
export function parentsOf(route: StoredObject | undefined, controllerName = GATEWAY_CONTROLLER): Record<string, unknown>[] {
  const parents = ((route?.['status'] as { parents?: Record<string, unknown>[] } | undefined)?.parents ?? []) as Record<string, unknown>[];
  return parents.filter((parent) => parent['controllerName'] === controllerName);
}

/** `type → reason` of a condition list, for compact assertions. */
export function reasons(conditions: unknown): Record<string, string> {
  const list = Array.isArray(conditions) ? (conditions as { type: string; status: string; reason: string }[]) : [];
  return Object.fromEntries(list.map((condition) => [condition.type, `${condition.status}/${condition.reason}`]));
}
