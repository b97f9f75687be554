/**
 * Which listeners an HTTPRoute attaches to, parent by parent: the
 * parentRef's Gateway (group and kind default to the Gateway API's Gateway,
 * namespace to the route's), narrowed by `sectionName` and `port`, then by
 * each listener's `allowedRoutes`, then by hostname intersection. The first
 * narrowing that leaves nothing gives the spec's reason:
 * `NoMatchingParent`, `NotAllowedByListeners`, `NoMatchingListenerHostname`;
 * a Gateway that is not accepted itself accepts nothing (`NoMatchingParent`).
 *
 * @example
 * ```ts
 * const parents = attachRoute(route, hostnames, gateways);
 * parents[0].failure?.reason; // 'NotAllowedByListeners'
 * parents[0].listeners[0].hostnames; // ['foo.example.com']
 * ```
 */
import { quote } from '../diagnostics.ts';
import { asArray, asInt, asRecord, asString } from '../read/fields.ts';
import type { Failure } from './conditions.ts';
import { intersectHostnames } from './hostnames.ts';
import { HTTP_ROUTE_KIND, type Listener } from './listeners.ts';
import { GATEWAY_GROUP, type GatewayObject } from './objects.ts';
import type { ParentRefStatusKey } from './report.ts';

/** A Gateway of ours, read. */
export interface GatewayView {
  readonly object: GatewayObject;
  readonly listeners: readonly Listener[];
  /** The Gateway (and its class) is accepted: routes attached to it are routed. */
  readonly accepted: boolean;
}

export interface AttachedListener {
  readonly listener: Listener;
  /** The hostnames the route serves through it (`''`: any host). */
  readonly hostnames: readonly string[];
}

export interface ParentOutcome {
  readonly key: ParentRefStatusKey;
  readonly field: string;
  readonly gateway: GatewayView;
  /** Empty when the route is not accepted by this parent (`failure` says why). */
  readonly listeners: readonly AttachedListener[];
  readonly failure: Failure | undefined;
}

/** A parentRef naming a Gateway that is not among the objects. */
export interface MissingParent {
  readonly field: string;
  readonly gateway: string;
}

export function attachRoute(
  route: GatewayObject,
  hostnames: readonly string[],
  ours: ReadonlyMap<string, GatewayView>,
  known: ReadonlySet<string>,
): { readonly parents: ParentOutcome[]; readonly missing: MissingParent[]; readonly others: string[]; readonly invalid: { field: string; message: string }[] } {
  const parents: ParentOutcome[] = [];
  const missing: MissingParent[] = [];
  /** Keys of Gateways given but not ours (another controller's class, or no class). */
  const others: string[] = [];
  const invalid: { field: string; message: string }[] = [];
  const given = route.spec['parentRefs'];
  const list = asArray(given);
  if (!list && given !== undefined && given !== null) invalid.push({ field: 'spec.parentRefs', message: 'must be a list of parent references' });
  for (const [index, value] of (list ?? []).entries()) {
    const field = `spec.parentRefs[${index}]`;
    const ref = asRecord(value);
    if (!ref || !asString(ref['name'])) {
      invalid.push({ field, message: 'must be a mapping with a name; this parent is ignored' });
      continue;
    }
    const key = parentKey(ref);
    if ((key.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || (key.kind ?? 'Gateway') !== 'Gateway') continue;
    const gatewayKey = `${key.namespace || route.namespace}/${key.name}`;
    const gateway = ours.get(gatewayKey);
    if (!gateway) {
      if (!known.has(gatewayKey)) missing.push({ field, gateway: gatewayKey });
      else others.push(gatewayKey);
      continue;
    }
    const listeners = attach(route, hostnames, gateway, key);
    parents.push({ key, field, gateway, ...listeners });
  }
  return { parents, missing, others, invalid };
}

function attach(route: GatewayObject, hostnames: readonly string[], gateway: GatewayView, key: ParentRefStatusKey): Pick<ParentOutcome, 'listeners' | 'failure'> {
  const candidates = gateway.listeners.filter(
    (listener) => (key.sectionName === undefined || listener.name === key.sectionName) && (key.port === undefined || listener.port === key.port),
  );
  if (candidates.length === 0) {
    const wanted = [key.sectionName === undefined ? '' : `sectionName ${quote(key.sectionName)}`, key.port === undefined ? '' : `port ${key.port}`].filter(Boolean).join(' and ');
    return none('NoMatchingParent', `Gateway ${gateway.object.key} has no listener with ${wanted || 'any name'}`);
  }
  const allowed = candidates.filter((listener) => listener.allows(route.namespace!, HTTP_ROUTE_KIND));
  if (allowed.length === 0) {
    const names = candidates.map((listener) => listener.name).join(', ');
    const kinds = candidates.some((listener) => listener.supportedKinds.some((kind) => kind.group === HTTP_ROUTE_KIND.group && kind.kind === HTTP_ROUTE_KIND.kind));
    return none('NotAllowedByListeners', kinds
      ? `no listener of Gateway ${gateway.object.key} (${names}) allows HTTPRoutes from namespace ${route.namespace}`
      : `no listener of Gateway ${gateway.object.key} (${names}) takes HTTPRoutes (their protocol or allowedRoutes.kinds)`);
  }
  const listeners = allowed.flatMap((listener) => {
    const hosts = intersectHostnames(listener.hostname, hostnames);
    return hosts.length > 0 ? [{ listener, hostnames: hosts }] : [];
  });
  if (listeners.length === 0) {
    const names = allowed.map((listener) => `${listener.name} (${listener.hostname ?? 'any host'})`).join(', ');
    return none('NoMatchingListenerHostname', `no hostname of the route (${hostnames.join(', ')}) intersects those of listeners ${names}`);
  }
  if (!gateway.accepted) return none('NoMatchingParent', `Gateway ${gateway.object.key} is not accepted (see its status)`);
  return { listeners, failure: undefined };
}

function none(reason: string, message: string): Pick<ParentOutcome, 'listeners' | 'failure'> {
  return { listeners: [], failure: { reason, message } };
}

/** The parentRef as given: fields the spec left out stay out (status entries are compared with it). */
function parentKey(ref: Readonly<Record<string, unknown>>): ParentRefStatusKey {
  const group = asString(ref['group']);
  const kind = asString(ref['kind']);
  const namespace = asString(ref['namespace']);
  const sectionName = asString(ref['sectionName']);
  const port = asInt(ref['port'], 1, 65535);
  return {
    ...(group === undefined ? {} : { group }),
    ...(kind === undefined ? {} : { kind }),
    ...(namespace === undefined ? {} : { namespace }),
    name: asString(ref['name']) ?? '',
    ...(sectionName === undefined ? {} : { sectionName }),
    ...(port === undefined ? {} : { port }),
  };
}
