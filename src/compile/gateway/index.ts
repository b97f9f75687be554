/**
 * Gateway API objects → routers, middlewares and services for the shared
 * table, the status report, and diagnostics. Pure and total: bad input is a
 * diagnostic naming the object and field, and a status condition, never a
 * throw. Routes are visited oldest first (then by namespace/name), rules and
 * matches in spec order, so the table order is the spec's last tie-break.
 *
 * @example
 * ```ts
 * const part = compileGatewayApi(objects, cluster, options);
 * part?.report.httpRoutes[0]?.parents[0]?.conditions;
 * ```
 */
import { DEFAULT_GATEWAY_CONTROLLER, type Diagnostic, type KubeObject, type ProviderOptions } from '../api.ts';
import type { ClusterObjects } from '../cluster.ts';
import { watchedNamespaces } from '../cluster.ts';
import { DiagnosticSink, quote } from '../diagnostics.ts';
import { asArray, asRecord, asString } from '../read/fields.ts';
import type { Middleware } from '../../table/middleware.ts';
import type { Scheme, Service } from '../../table/schema.ts';
import { attachRoute, type GatewayView, type ParentOutcome } from './attachment.ts';
import { conditionsFor, type Failure } from './conditions.ts';
import { grantProblems, ReferenceGrants } from './grants.ts';
import { hostnameProblem } from './hostnames.ts';
import { isolationRouters } from './isolation.ts';
import { readListeners, type Listener } from './listeners.ts';
import { compareRouteAge, gatewayInputs, type GatewayInputs, type GatewayObject } from './objects.ts';
import type { GatewayClassStatus, GatewayStatus, GatewayStatusReport, HTTPRouteStatus, RouteParentStatus } from './report.ts';
import { routersOf, type GatewayRouter, type ListenerSchemes } from './routers.ts';
import { readRules } from './rules.ts';
import { GatewayTableParts } from './table-parts.ts';

export interface GatewayPart {
  /** In precedence order for equal matches (oldest route first). */
  readonly routers: readonly GatewayRouter[];
  readonly middlewares: ReadonlyMap<string, Middleware>;
  readonly services: ReadonlyMap<string, Service>;
  readonly diagnostics: readonly Diagnostic[];
  readonly report: GatewayStatusReport;
  /** `namespace/name` of HTTPRoutes accepted by a Gateway of ours that contributed routers. */
  readonly served: readonly string[];
  /** HTTPRoutes with a parent of ours that accepted them nowhere. */
  readonly notAccepted: readonly string[];
  /** HTTPRoutes whose parents are all Gateways given but not ours, and the controllers those belong to. */
  readonly elsewhere: readonly string[];
  readonly controllers: readonly string[];
}

/** Undefined when the objects hold no Gateway API object. */
export function compileGatewayApi(objects: readonly KubeObject[], cluster: ClusterObjects, options: ProviderOptions): GatewayPart | undefined {
  const sink = new DiagnosticSink();
  const inputs = gatewayInputs(objects, watchedNamespaces(options), sink);
  if (inputs.classes.size === 0 && inputs.gateways.size === 0 && inputs.routes.size === 0 && sink.list.length === 0) return undefined;
  const controllerName = options.gatewayController ?? DEFAULT_GATEWAY_CONTROLLER;
  const grants = new ReferenceGrants(inputs.grants);
  for (const grant of inputs.grants) {
    for (const { field, message } of grantProblems(grant)) sink.about(grant.ref).error('InvalidObject', field, message);
  }
  const parts = new GatewayTableParts(cluster);
  const classes = readClasses(inputs, controllerName, sink);
  const gateways = readGateways(inputs, classes.accepted, { grants, secret: (ns, name) => cluster.secret(ns, name), namespaceLabels: inputs.namespaceLabels }, sink);
  const attached = new Map<Listener, Set<string>>();
  const routers: GatewayRouter[] = [];
  const httpRoutes: HTTPRouteStatus[] = [];
  const served: string[] = [];
  const notAccepted: string[] = [];
  const elsewhere: string[] = [];
  const controllers = new Set<string>();
  const known = new Set(inputs.gateways.keys());
  const listenerSchemes = schemesByListenerHostname(gateways.views);
  for (const route of [...inputs.routes.values()].sort(compareRouteAge)) {
    const report = sink.about(route.ref);
    const hostnames = readHostnames(route, report);
    const attachment = attachRoute(route, hostnames ?? [], gateways.views, known);
    const { missing } = attachment;
    for (const { field, message } of attachment.invalid) report.error('InvalidObject', field, message);
    const parents = hostnames ? attachment.parents : attachment.parents.map((parent) => ({ ...parent, listeners: [], failure: parent.failure ?? { reason: 'NoMatchingListenerHostname', message: 'none of spec.hostnames is a valid hostname' } }));
    for (const { field, gateway } of missing) report.warn('ParentNotFound', field, `Gateway ${gateway} not found${options.namespaces?.length ? ' (or in a namespace not watched)' : ''}; this parent is ignored`);
    if (parents.length === 0) {
      if (attachment.others.length > 0 && missing.length === 0) {
        elsewhere.push(route.key);
        for (const key of attachment.others) controllers.add(controllerOf(inputs, key));
      }
      continue;
    }
    const rules = readRules(route, { grants, service: (ns, name) => cluster.service(ns, name), pools: parts.pools }, parts, report);
    const allDropped = rules.plans.length === 0;
    const at = conditionsFor(route.generation);
    const statuses: RouteParentStatus[] = [];
    const routed: ParentOutcome[] = [];
    for (const parent of parents) {
      const failure: Failure | undefined = parent.failure ?? (allDropped ? { reason: rules.dropped[0]?.reason ?? 'UnsupportedValue', message: `no rule can be served: ${rules.dropped.map((rule) => `rule ${rule.index}: ${rule.message}`).join('; ')}` } : undefined);
      if (parent.failure) report.error('RouteNotAccepted', parent.field, `not accepted by Gateway ${parent.gateway.object.key}: ${parent.failure.reason}: ${parent.failure.message}`);
      if (!failure) {
        routed.push(parent);
        for (const { listener } of parent.listeners) {
          const set = attached.get(listener) ?? new Set<string>();
          set.add(route.key);
          attached.set(listener, set);
        }
      }
      const conditions = [
        at.condition('Accepted', failure, 'Accepted', `accepted by Gateway ${parent.gateway.object.key} (${parent.listeners.map((entry) => entry.listener.name).join(', ')})`),
        at.condition('ResolvedRefs', rules.refProblem, 'ResolvedRefs', 'all references resolved'),
      ];
      if (!failure && rules.dropped.length > 0) {
        conditions.push(at.raw('PartiallyInvalid', 'True', 'UnsupportedValue', `Dropped Rule(s) ${rules.dropped.map((rule) => rule.index).join(', ')}: ${rules.dropped.map((rule) => rule.message).join('; ')}`));
      }
      statuses.push({ parentRef: parent.key, controllerName, conditions });
    }
    httpRoutes.push({ namespace: route.namespace!, name: route.name, parents: statuses });
    const added = routersOf(route, routed, rules.plans, listenerSchemes);
    routers.push(...added);
    if (added.length > 0) served.push(route.key);
    else if (routed.length === 0) notAccepted.push(route.key);
  }
  routers.push(...isolationRouters(gateways.views.values(), attached, parts, listenerSchemes));
  return {
    routers,
    middlewares: parts.middlewares,
    services: parts.services,
    diagnostics: sink.list,
    report: { controllerName, gatewayClasses: classes.statuses, gateways: gateways.statuses(attached), httpRoutes },
    served: served.sort(),
    notAccepted: notAccepted.sort(),
    elsewhere: elsewhere.sort(),
    controllers: [...controllers].sort(),
  };
}

/** The controllerName of a Gateway's class, as the summary names it. */
function controllerOf(inputs: GatewayInputs, gatewayKey: string): string {
  const className = asString(inputs.gateways.get(gatewayKey)?.spec['gatewayClassName']) ?? '';
  const gatewayClass = inputs.classes.get(className);
  if (!gatewayClass) return `GatewayClass ${quote(className)} not found`;
  return asString(gatewayClass.spec['controllerName']) ?? `GatewayClass ${quote(className)} without controllerName`;
}

function schemesByListenerHostname(views: ReadonlyMap<string, GatewayView>): ListenerSchemes {
  const schemes = new Map<string, Set<Scheme>>();
  for (const view of views.values()) {
    if (!view.accepted) continue;
    for (const listener of view.listeners) {
      if (!listener.accepted || !listener.scheme) continue;
      const key = listener.hostname ?? '';
      schemes.set(key, (schemes.get(key) ?? new Set<Scheme>()).add(listener.scheme));
    }
  }
  const none: ReadonlySet<Scheme> = new Set();
  return (hostname) => schemes.get(hostname) ?? none;
}

function readClasses(inputs: GatewayInputs, controllerName: string, sink: DiagnosticSink): { statuses: GatewayClassStatus[]; accepted: ReadonlyMap<string, boolean> } {
  const statuses: GatewayClassStatus[] = [];
  const accepted = new Map<string, boolean>();
  for (const gatewayClass of [...inputs.classes.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (asString(gatewayClass.spec['controllerName']) !== controllerName) continue;
    const failure: Failure | undefined = gatewayClass.spec['parametersRef'] !== undefined && gatewayClass.spec['parametersRef'] !== null
      ? { reason: 'InvalidParameters', message: 'edgress takes no parametersRef; configure it with flags or its config file' }
      : undefined;
    if (failure) sink.about(gatewayClass.ref).error('GatewayNotAccepted', 'spec.parametersRef', `${failure.message}; the class is not accepted`);
    accepted.set(gatewayClass.name, failure === undefined);
    statuses.push({ name: gatewayClass.name, conditions: [conditionsFor(gatewayClass.generation).condition('Accepted', failure, 'Accepted', `handled by ${controllerName}`)] });
  }
  return { statuses, accepted };
}

interface GatewayReading {
  readonly views: ReadonlyMap<string, GatewayView>;
  statuses(attached: ReadonlyMap<Listener, ReadonlySet<string>>): GatewayStatus[];
}

function readGateways(
  inputs: GatewayInputs, classes: ReadonlyMap<string, boolean>,
  ctx: Omit<Parameters<typeof readListeners>[1], 'report'>, sink: DiagnosticSink,
): GatewayReading {
  const views = new Map<string, GatewayView>();
  const failures = new Map<GatewayView, Failure | undefined>();
  for (const gateway of [...inputs.gateways.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const className = asString(gateway.spec['gatewayClassName']) ?? '';
    const classAccepted = classes.get(className);
    if (classAccepted === undefined) continue;
    const report = sink.about(gateway.ref);
    const listeners = readListeners(gateway, { ...ctx, report });
    const failure = gatewayFailure(gateway, classAccepted, className, listeners);
    if (failure && failure.status !== undefined) report.error('GatewayNotAccepted', undefined, `${failure.reason}: ${failure.message}`);
    const view: GatewayView = { object: gateway, listeners, accepted: failure?.status === undefined };
    views.set(gateway.key, view);
    failures.set(view, failure);
  }
  return {
    views,
    statuses: (attached) =>
      [...views.values()].map((view) => {
        const at = conditionsFor(view.object.generation);
        const failure = failures.get(view);
        const accepted = failure?.status === undefined
          ? at.raw('Accepted', 'True', failure?.reason ?? 'Accepted', failure?.message ?? 'served at the edge')
          : at.condition('Accepted', failure, 'Accepted', '');
        return {
          namespace: view.object.namespace!,
          name: view.object.name,
          conditions: [accepted, at.condition('Programmed', view.accepted ? undefined : { reason: 'Invalid', message: 'the Gateway is not accepted' }, 'Programmed', 'routes are published to the edge')],
          listeners: view.listeners.map((listener) => ({
            name: listener.name,
            supportedKinds: listener.supportedKinds,
            attachedRoutes: attached.get(listener)?.size ?? 0,
            conditions: listener.conditions,
          })),
        };
      }),
  };
}

/**
 * Why the Gateway is not accepted (`status` set), or a True reason other
 * than `Accepted` (`status` unset: some listeners are invalid), or undefined.
 */
function gatewayFailure(gateway: GatewayObject, classAccepted: boolean, className: string, listeners: readonly Listener[]): Failure | undefined {
  if (!classAccepted) return { reason: 'Invalid', message: `GatewayClass ${quote(className)} is not accepted`, status: 'False' };
  if ((asArray(gateway.spec['addresses']) ?? []).length > 0) {
    return { reason: 'UnsupportedAddress', message: 'spec.addresses cannot be honoured: the edge answers on Cloudflare\'s addresses', status: 'False' };
  }
  const infrastructure = asRecord(gateway.spec['infrastructure']);
  if (infrastructure?.['parametersRef'] !== undefined && infrastructure['parametersRef'] !== null) {
    return { reason: 'InvalidParameters', message: 'spec.infrastructure.parametersRef: edgress takes no parameters', status: 'False' };
  }
  const invalid = listeners.filter((listener) => !listener.accepted);
  if (invalid.length === 0) return undefined;
  const names = invalid.map((listener) => listener.name).join(', ');
  if (invalid.length === listeners.length) return { reason: 'ListenersNotValid', message: `no listener can be served (${names})`, status: 'False' };
  return { reason: 'ListenersNotValid', message: `listeners not served: ${names}` };
}

/** The valid hostnames; undefined when hostnames were given and none is valid (the route matches no host). */
function readHostnames(route: GatewayObject, report: ReturnType<DiagnosticSink['about']>): string[] | undefined {
  const hostnames: string[] = [];
  const raw = route.spec['hostnames'];
  if (raw !== undefined && raw !== null && !asArray(raw)) {
    // Not a list: matching every host instead would widen the route.
    report.error('UnsupportedRouteValue', 'spec.hostnames', 'must be a list of hostnames; the route matches no host');
    return undefined;
  }
  const given = asArray(raw) ?? [];
  for (const [index, value] of given.entries()) {
    const hostname = typeof value === 'string' ? value : '';
    const problem = typeof value === 'string' ? hostnameProblem(hostname) : 'must be a string';
    if (problem) report.error('UnsupportedRouteValue', `spec.hostnames[${index}]`, `${typeof value === 'string' ? `${quote(hostname)}: ` : ''}${problem}; hostname ignored`);
    else hostnames.push(hostname);
  }
  return given.length > 0 && hostnames.length === 0 ? undefined : hostnames;
}
