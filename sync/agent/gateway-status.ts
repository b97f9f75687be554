/**
 * Gateway API status, written by the leader from the compiler's
 * `GatewayStatusReport`: GatewayClass conditions; Gateway conditions and
 * listeners (supportedKinds, attachedRoutes, conditions); and, on each
 * HTTPRoute, the `status.parents` entries whose `controllerName` is ours.
 * Entries of other controllers are kept as they are, and entries of ours
 * that the report no longer has (the route left our Gateways) are removed.
 *
 * A condition keeps its `lastTransitionTime` while its status stays the
 * same, so an unchanged report produces the status already stored, and
 * nothing is written: the watch event of our own write does not lead to
 * another write. Writes carry the resourceVersion the status was computed
 * from; a 409 (someone changed the object meanwhile) is left for the
 * recompile that change brings.
 *
 * @example
 * ```ts
 * const status = new GatewayStatusUpdater(writers.gateway, clock, log);
 * await status.update(result.gateway, cache);
 * ```
 */
import type { GatewayCondition, GatewayStatusReport, ListenerStatus, RouteParentStatus } from '../../src/compile/gateway/report.ts';
import type { Clock } from '../common/clock.ts';
import { describeError } from '../common/kube/errors.ts';
import type { WatchedObject } from '../common/kube/watch-event.ts';
import type { GatewayStatusTarget, GatewayStatusWriter } from '../common/kube/writers.ts';
import type { Logger } from '../common/log.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';

/** What the updater reads: objects by name, and every object (for HTTPRoutes that left our Gateways). */
export interface GatewayObjectSource extends ObjectLookup {
  objects(): readonly unknown[];
}

export interface GatewayStatusOutcome {
  readonly written: number;
  readonly failed: number;
}

/** A `metav1.Condition` as stored. */
interface StoredCondition extends GatewayCondition {
  readonly lastTransitionTime: string;
}

type Status = Readonly<Record<string, unknown>>;

export class GatewayStatusUpdater {
  readonly #writer: GatewayStatusWriter;
  readonly #clock: Clock;
  readonly #log: Logger;
  /** Object key → resourceVersion it had when we wrote it: no second write before our own change comes back through the watch. */
  readonly #writtenAt = new Map<string, string | undefined>();

  constructor(writer: GatewayStatusWriter, clock: Clock, log: Logger) {
    this.#writer = writer;
    this.#clock = clock;
    this.#log = log;
  }

  async update(report: GatewayStatusReport | undefined, source: GatewayObjectSource): Promise<GatewayStatusOutcome> {
    const writes: [WatchedObject, GatewayStatusTarget['kind'], Status][] = [];
    const now = rfc3339(this.#clock.now());
    for (const entry of report?.gatewayClasses ?? []) {
      const object = source.find('GatewayClass', undefined, entry.name);
      if (object) writes.push([object, 'GatewayClass', { ...statusOf(object), conditions: conditions(entry.conditions, statusOf(object)['conditions'], now) }]);
    }
    for (const entry of report?.gateways ?? []) {
      const object = source.find('Gateway', entry.namespace, entry.name);
      if (!object) continue;
      const current = statusOf(object);
      const listeners = entry.listeners.map((listener) => listenerStatus(listener, current['listeners'], now));
      writes.push([object, 'Gateway', { ...current, conditions: conditions(entry.conditions, current['conditions'], now), listeners }]);
    }
    const controller = report?.controllerName;
    const reported = new Set<string>();
    for (const entry of report?.httpRoutes ?? []) {
      const object = source.find('HTTPRoute', entry.namespace, entry.name);
      if (!object || !controller) continue;
      reported.add(keyOf(object));
      writes.push([object, 'HTTPRoute', routeStatus(object, controller, entry.parents, now)]);
    }
    // Routes that no longer name a Gateway of ours lose our entries (and only ours).
    for (const object of this.#routesWithOurParents(source, controller)) {
      if (!reported.has(keyOf(object)) && controller) writes.push([object, 'HTTPRoute', routeStatus(object, controller, [], now)]);
    }
    let written = 0;
    let failed = 0;
    for (const [object, kind, status] of writes) {
      const outcome = await this.#write(object, kind, status);
      if (outcome === 'written') written++;
      if (outcome === 'failed') failed++;
    }
    return { written, failed };
  }

  #routesWithOurParents(source: GatewayObjectSource, controller: string | undefined): WatchedObject[] {
    if (!controller) return [];
    return source.objects().filter((object): object is WatchedObject => {
      const candidate = object as WatchedObject;
      return candidate.kind === 'HTTPRoute' && parentsOf(candidate).some((parent) => parent['controllerName'] === controller);
    });
  }

  async #write(object: WatchedObject, kind: GatewayStatusTarget['kind'], status: Status): Promise<'written' | 'same' | 'failed'> {
    const key = `${kind}/${keyOf(object)}`;
    if (canonical(status) === canonical(statusOf(object))) return 'same';
    if (this.#writtenAt.has(key) && this.#writtenAt.get(key) === object.metadata.resourceVersion) return 'same';
    const { namespace, name, resourceVersion } = object.metadata;
    const target: GatewayStatusTarget = { kind, apiVersion: String(object.apiVersion), name, resourceVersion, ...(kind === 'GatewayClass' ? {} : { namespace }) };
    try {
      await this.#writer.writeGatewayStatus(target, status);
      this.#writtenAt.set(key, resourceVersion);
      this.#log.info('gateway-status-written', { kind, object: keyOf(object) });
      return 'written';
    } catch (error) {
      this.#log.warn('gateway-status-failed', { kind, object: keyOf(object), error: describeError(error) });
      return 'failed';
    }
  }
}

/** The route's `status.parents`: others' entries as they are, then ours from the report. */
function routeStatus(route: WatchedObject, controller: string, ours: readonly RouteParentStatus[], now: string): Status {
  const current = parentsOf(route);
  const others = current.filter((parent) => parent['controllerName'] !== controller);
  const previous = current.filter((parent) => parent['controllerName'] === controller);
  const parents = ours.map((parent) => {
    const before = previous.find((entry) => sameParentRef(entry['parentRef'], parent.parentRef));
    return { parentRef: { ...parent.parentRef }, controllerName: parent.controllerName, conditions: conditions(parent.conditions, before?.['conditions'], now) };
  });
  return { ...statusOf(route), parents: [...others, ...parents] };
}

function listenerStatus(listener: ListenerStatus, current: unknown, now: string): Status {
  const before = (Array.isArray(current) ? (current as Record<string, unknown>[]) : []).find((entry) => entry['name'] === listener.name);
  return {
    name: listener.name,
    supportedKinds: listener.supportedKinds.map((kind) => ({ ...kind })),
    attachedRoutes: listener.attachedRoutes,
    conditions: conditions(listener.conditions, before?.['conditions'], now),
  };
}

/** The report's conditions, each keeping the stored `lastTransitionTime` while its status is unchanged. */
function conditions(next: readonly GatewayCondition[], current: unknown, now: string): StoredCondition[] {
  const stored = Array.isArray(current) ? (current as Record<string, unknown>[]) : [];
  return next.map((condition) => {
    const before = stored.find((entry) => entry['type'] === condition.type);
    const kept = before && before['status'] === condition.status && typeof before['lastTransitionTime'] === 'string' ? before['lastTransitionTime'] : now;
    return { ...condition, lastTransitionTime: kept };
  });
}

function sameParentRef(stored: unknown, ref: RouteParentStatus['parentRef']): boolean {
  if (typeof stored !== 'object' || stored === null) return false;
  return canonical(stored) === canonical(ref);
}

function statusOf(object: WatchedObject): Status {
  const status = object['status'];
  return typeof status === 'object' && status !== null && !Array.isArray(status) ? (status as Status) : {};
}

function parentsOf(route: WatchedObject): Record<string, unknown>[] {
  const parents = statusOf(route)['parents'];
  return Array.isArray(parents) ? parents.filter((parent): parent is Record<string, unknown> => typeof parent === 'object' && parent !== null) : [];
}

function keyOf(object: WatchedObject): string {
  return object.metadata.namespace === undefined ? object.metadata.name : `${object.metadata.namespace}/${object.metadata.name}`;
}

/** JSON with object keys sorted, so key order never counts as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}

/** `metav1.Time`: RFC 3339 to the second. */
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
