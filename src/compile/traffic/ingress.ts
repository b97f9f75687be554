/**
 * The Ingress side of traffic management: `rate-limit` (one middleware for
 * every route of the Ingress) and `service-weights`, which turns paths of one
 * Ingress with the same host and path into one route sending to a weighted
 * group of pools.
 *
 * Weights (docs/guides/traffic.md): the allocation is planned before any route is added, per
 * (host, path) group, so an invalid annotation or sum drops the whole
 * Ingress (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe). Instances are counted as Traefik did: every ready
 * address of the Service's Endpoints (an ExternalName Service counts 1, a
 * Service without endpoints 0, which gives its members weight 0). A member's
 * weight in the group is `perInstance × its pool's endpoints`, so every
 * endpoint gets Traefik's per-server weight.
 *
 * @example
 * ```ts
 * const traffic = readIngressTraffic(ingress, cluster, report);
 * if (!traffic.served) return false;          // invalid service-weights
 * traffic.middlewares;                        // [rate-limit] or [deny 404] or []
 * ```
 */
import type { Middleware } from '../../table/middleware.ts';
import type { Router, Service } from '../../table/schema.ts';
import type { Sticky } from '../../table/traffic.ts';
import { lookupAnnotation } from '../annotations/lookup.ts';
import { nearest } from '../annotations/spelling.ts';
import type { ClusterObjects } from '../cluster.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { IngressModel } from '../read/ingress.ts';
import { parseRateLimit } from './blocks.ts';
import { allocateWeights, parseServiceWeights, type GroupMember } from './weights.ts';

export interface IngressTraffic {
  /** False when `service-weights` is invalid: the Ingress is not served. */
  readonly served: boolean;
  /** Middlewares for every route of the Ingress. */
  readonly middlewares: readonly Middleware[];
  /** Per-instance weights by `host path service`; undefined without the annotation. */
  readonly weights: ReadonlyMap<string, number> | undefined;
}

export function readIngressTraffic(ingress: IngressModel, cluster: ClusterObjects, report: Reporter): IngressTraffic {
  const middlewares = readRateLimit(ingress.meta.annotations, report);
  const found = lookupAnnotation(ingress.meta.annotations, 'service-weights');
  if (!found) return { served: true, middlewares, weights: undefined };
  const parsed = parseServiceWeights(found.value);
  const fail = (message: string): IngressTraffic => {
    report.error('InvalidAnnotation', found.key, `service-weights: ${message}; this Ingress is not served`);
    return { served: false, middlewares, weights: undefined };
  };
  if (!parsed.ok) return fail(parsed.error);
  const groups = groupsOf(ingress, cluster);
  warnUnusedWeights(parsed.weights, groups, found.key, report);
  const weights = new Map<string, number>();
  for (const [group, members] of groups) {
    const allocation = allocateWeights(members, parsed.weights);
    if (!allocation.ok) return fail(`${allocation.error} (path ${quote(group)})`);
    for (const member of allocation.members) weights.set(`${group} ${member.service}`, member.perInstance);
  }
  return { served: true, middlewares, weights };
}

/** A weight for a Service no path uses changes nothing (often a typo): say so, with the nearest name. */
function warnUnusedWeights(weights: ReadonlyMap<string, number>, groups: ReadonlyMap<string, GroupMember[]>, key: string, report: Reporter): void {
  const used = new Set([...groups.values()].flatMap((members) => members.map((member) => member.service)));
  for (const service of weights.keys()) {
    if (used.has(service)) continue;
    const meant = nearest(service, used, 3);
    const hint = meant === undefined ? '' : ` (did you mean ${quote(meant)}?)`;
    report.warn('IgnoredAnnotation', key, `service-weights: ${quote(service)} is not the Service of any path of this Ingress; its weight is ignored${hint}`);
  }
}

function readRateLimit(annotations: Readonly<Record<string, string>>, report: Reporter): Middleware[] {
  const found = lookupAnnotation(annotations, 'rate-limit');
  if (!found || found.value.trim() === '') return [];
  const parsed = parseRateLimit(found.value);
  if (parsed.ok) return parsed.value ? [parsed.value] : [];
  report.error('InvalidAnnotation', found.key, `rate-limit: ${parsed.error}; the routes of this Ingress fail closed (answer 404)`);
  return [{ kind: 'deny', status: 404, reason: 'invalid rate-limit' }];
}

/** `host + path` → the Services of its paths, in order, with Traefik's instance counts. */
function groupsOf(ingress: IngressModel, cluster: ClusterObjects): Map<string, GroupMember[]> {
  const groups = new Map<string, GroupMember[]>();
  for (const rule of ingress.rules) {
    for (const path of rule?.paths ?? []) {
      if (!rule || path?.backend.kind !== 'service') continue;
      const key = `${rule.host}${path.path}`;
      const members = groups.get(key) ?? [];
      members.push({ service: path.backend.name, instances: instancesOf(cluster, ingress.meta.namespace, path.backend.name) });
      groups.set(key, members);
    }
  }
  return groups;
}

function instancesOf(cluster: ClusterObjects, namespace: string, name: string): number {
  if (cluster.service(namespace, name)?.externalName !== undefined) return 1;
  return cluster.endpoints(namespace, name)?.groups.reduce((sum, group) => sum + group.addresses.length, 0) ?? 0;
}

/** One weighted route being assembled: its router and the pools of its paths. */
interface Group {
  readonly router: Router;
  readonly members: { readonly pool: string; readonly weight: number }[];
  /** Stickiness of the first path's Service, for a group named by its argument. */
  readonly sticky: ((backendName: string) => Sticky | undefined) | undefined;
}

/**
 * Collects the paths that share a route under `service-weights`, then sets
 * each such router's service to a weighted group.
 */
export class WeightedRoutes {
  readonly #groups = new Map<string, Group>();

  /** Registers the first path of a route. */
  start(router: Router, member: { pool: string; weight: number }, sticky: Group['sticky']): void {
    this.#groups.set(router.id, { router, members: [member], sticky });
  }

  /** Adds another path's pool to the route `routerId`; false when that route is not one of ours. */
  join(routerId: string, member: { pool: string; weight: number }): boolean {
    const group = this.#groups.get(routerId);
    if (!group) return false;
    const same = group.members.find((existing) => existing.pool === member.pool);
    if (same) return true;
    group.members.push(member);
    return true;
  }

  /** Weighted services for every route with more than one pool, by id; routers are pointed at them. */
  finish(): Map<string, Service> {
    const services = new Map<string, Service>();
    for (const { router, members, sticky } of this.#groups.values()) {
      if (members.length < 2) continue;
      const id = `weighted(${members.map((member) => `${member.pool}*${member.weight}`).join(',')})`;
      const stickiness = sticky?.(id);
      services.set(id, { kind: 'weighted', services: members.map((m) => ({ service: m.pool, weight: m.weight })), ...(stickiness ? { sticky: stickiness } : {}) });
      router.service = id;
    }
    return services;
  }
}
