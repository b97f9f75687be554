/**
 * `backendRefs` and mirror `backendRef`s → endpoint pools. A reference is
 * usable when it names a Service (core group, kind `Service`, the default)
 * that exists, with a port it has, in the route's namespace or in one whose
 * ReferenceGrant allows HTTPRoutes of the route's namespace. Otherwise it
 * fails with the spec's `ResolvedRefs` reason (`InvalidKind`,
 * `BackendNotFound`, `RefNotPermitted`) and its share of traffic answers 500.
 * ExternalName Services are refused (the spec: implementations SHOULD NOT
 * forward to them, CVE-2021-25740). A Service port's `appProtocol` (h2c,
 * https, WebSocket names) sets the pool's protocol.
 *
 * @example
 * ```ts
 * const backend = resolveBackend(ref, 'spec.rules[0].backendRefs[0]', route, ctx);
 * if (backend.ok) backend.pool.id; // 'shop/web:80'
 * else backend.reason;             // 'BackendNotFound'
 * ```
 */
import type { Protocol } from '../annotations/routing.ts';
import { quote } from '../diagnostics.ts';
import type { PoolRef, PoolResolver } from '../pools.ts';
import { asInt, asRecord, asString } from '../read/fields.ts';
import type { ServiceModel } from '../read/objects.ts';
import type { ReferenceGrants } from './grants.ts';
import { GATEWAY_GROUP, type GatewayObject } from './objects.ts';

export interface BackendContext {
  readonly grants: ReferenceGrants;
  service(namespace: string, name: string): ServiceModel | undefined;
  readonly pools: PoolResolver;
}

export type RefFailureReason = 'InvalidKind' | 'BackendNotFound' | 'RefNotPermitted';

export type BackendResolution =
  | { readonly ok: true; readonly pool: PoolRef; readonly service: string }
  | { readonly ok: false; readonly reason: RefFailureReason; readonly field: string; readonly message: string };

/** Resolves one `BackendObjectReference` of `route` (found at `field`). */
export function resolveBackend(value: unknown, field: string, route: GatewayObject, ctx: BackendContext): BackendResolution {
  const ref = asRecord(value) ?? {};
  const group = asString(ref['group']) ?? '';
  const kind = asString(ref['kind']) ?? 'Service';
  const name = asString(ref['name']) ?? '';
  const namespace = asString(ref['namespace']) || route.namespace!;
  const target = `${namespace}/${name}`;
  if (group !== '' || kind !== 'Service') {
    return fail('InvalidKind', field, `${quote(group === '' ? kind : `${group}/${kind}`)} is not a supported backend kind (core Service)`);
  }
  if (name === '') return fail('BackendNotFound', `${field}.name`, 'is required');
  const allowed = ctx.grants.allows({ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: route.namespace! }, { group: '', kind: 'Service', namespace, name });
  if (!allowed) return fail('RefNotPermitted', field, `Service ${target} is in another namespace and no ReferenceGrant there allows HTTPRoutes of ${route.namespace}`);
  const service = ctx.service(namespace, name);
  if (!service) return fail('BackendNotFound', field, `Service ${target} not found`);
  if (service.externalName !== undefined) return fail('InvalidKind', field, `Service ${target} is of type ExternalName, which HTTPRoutes do not forward to`);
  const port = asInt(ref['port'], 1, 65535);
  if (port === undefined) return fail('BackendNotFound', `${field}.port`, 'is required for a Service (a port number of the Service)');
  const servicePort = service.ports.find((entry) => entry.port === port);
  if (!servicePort) {
    return fail('BackendNotFound', `${field}.port`, `Service ${target} has no port ${port} (ports: ${service.ports.map((entry) => entry.port).join(', ') || 'none'})`);
  }
  const appProtocol = servicePort.appProtocol ?? '';
  const protocol = Object.hasOwn(APP_PROTOCOLS, appProtocol) ? APP_PROTOCOLS[appProtocol] : undefined;
  return { ok: true, pool: ctx.pools.resolve(namespace, { name, port: { number: port } }, protocol), service: target };
}

/**
 * Service port `appProtocol` values HTTPRoute backends honour (Kubernetes' standard
 * names and the plain ones); others keep the port's default (https for 443 or an
 * `https*` port name, else http).
 */
const APP_PROTOCOLS: Readonly<Record<string, Protocol | undefined>> = {
  http: 'http', https: 'https', h2c: 'h2c', 'kubernetes.io/h2c': 'h2c', 'kubernetes.io/ws': 'http', 'kubernetes.io/wss': 'https',
};

function fail(reason: RefFailureReason, field: string, message: string): BackendResolution {
  return { ok: false, reason, field, message };
}
