/**
 * An HTTPRoute's rules, read once whatever its parents: per rule, its
 * matches (each with the middlewares its filters give for that match) and
 * the service its backendRefs make. A rule with a value edgress cannot serve
 * is dropped (`UnsupportedValue` / `IncompatibleFilters`); an unusable
 * backendRef keeps the rule and its share answers 500 (`ResolvedRefs=False`).
 *
 * Services: one usable backend (weight > 0) is its pool; several are a
 * `weighted` group whose members carry their backendRef filters; none, no
 * backendRefs, or all weights 0 is a `status` 500 service.
 *
 * @example
 * ```ts
 * const rules = readRules(route, ctx, services, middlewares);
 * rules.plans[0].matches[0].match; // { type: 'prefix', path: '/' }
 * ```
 */
import type { Reporter } from '../diagnostics.ts';
import { quote } from '../diagnostics.ts';
import { asArray, asInt, asRecord } from '../read/fields.ts';
import { contentId } from '../content-id.ts';
import type { BackendContext, RefFailureReason } from './backends.ts';
import { resolveBackend } from './backends.ts';
import { readFilters, type FiltersRead } from './filters.ts';
import { MATCH_ALL, readMatch, type MatchConditions, type RouteMatchPath } from './matches.ts';
import type { GatewayMiddleware } from './middlewares.ts';
import type { GatewayObject } from './objects.ts';
import type { GatewayService, GatewayTableParts } from './table-parts.ts';

export interface MatchPlan {
  readonly index: number;
  readonly match: RouteMatchPath;
  readonly conditions: MatchConditions | undefined;
  readonly middlewares: readonly string[];
  readonly service: string;
}

export interface RulePlan {
  readonly index: number;
  readonly matches: readonly MatchPlan[];
}

export interface RouteRules {
  readonly plans: readonly RulePlan[];
  /** Rules dropped, with the reason for the route's Accepted / PartiallyInvalid condition. */
  readonly dropped: readonly { readonly index: number; readonly reason: string; readonly message: string }[];
  /** The first unusable reference (the route's ResolvedRefs condition), if any. */
  readonly refProblem: { readonly reason: RefFailureReason; readonly message: string } | undefined;
  /** Rules given (the API's default is one rule matching everything). */
  readonly count: number;
}

interface Member {
  readonly service: string;
  readonly weight: number;
  readonly filters: Extract<FiltersRead, { ok: true }>;
}

export function readRules(route: GatewayObject, ctx: BackendContext, parts: GatewayTableParts, report: Reporter): RouteRules {
  const given = asArray(route.spec['rules']);
  const present = route.spec['rules'] !== undefined && route.spec['rules'] !== null;
  // Rules that are not a list serve nothing (the API's default rule stands only for rules left out).
  const rules = given && given.length > 0 ? given : present && !given ? [] : [{}];
  const plans: RulePlan[] = [];
  const dropped: { index: number; reason: string; message: string }[] = [];
  let refProblem: RouteRules['refProblem'];
  const onRef = (reason: RefFailureReason, field: string, message: string): void => {
    refProblem ??= { reason, message: `${field}: ${message}` };
    report.error('InvalidBackendRef', field, message);
  };
  if (present && !given) {
    dropped.push({ index: 0, reason: 'UnsupportedValue', message: 'spec.rules must be a list of rules' });
    report.error('UnsupportedRouteValue', 'spec.rules', 'must be a list of rules; the route serves nothing');
  }
  rules.forEach((value, index) => {
    const field = `spec.rules[${index}]`;
    const record = asRecord(value);
    const plan: RuleRead = record ? readRule(record, field, index, route, ctx, parts, report, onRef) : { reason: 'UnsupportedValue', field, message: 'must be a mapping' };
    if ('message' in plan) {
      dropped.push({ index, reason: plan.reason, message: plan.message });
      report.error('UnsupportedRouteValue', plan.field, `${plan.message}; rule ${index} is not served`);
    } else plans.push(plan);
  });
  return { plans, dropped, refProblem, count: rules.length };
}

type RuleRead = RulePlan | { readonly reason: string; readonly field: string; readonly message: string };

function readRule(
  spec: Readonly<Record<string, unknown>>, field: string, index: number, route: GatewayObject,
  ctx: BackendContext, parts: GatewayTableParts, report: Reporter, onRef: (reason: RefFailureReason, field: string, message: string) => void,
): RuleRead {
  for (const key of ['timeouts', 'retry', 'sessionPersistence'] as const) {
    if (spec[key] !== undefined && spec[key] !== null) report.warn('EdgeLimitation', `${field}.${key}`, `${key} is not supported at the edge; ignored`);
  }
  const filters = readFilters(spec['filters'], `${field}.filters`, route, ctx, onRef);
  if (!filters.ok) return filters;
  const members: Member[] = [];
  const refs = asArray(spec['backendRefs']);
  if (!refs && spec['backendRefs'] !== undefined && spec['backendRefs'] !== null) return { reason: 'UnsupportedValue', field: `${field}.backendRefs`, message: 'must be a list of backend references' };
  for (const [i, value] of (refs ?? []).entries()) {
    const at = `${field}.backendRefs[${i}]`;
    const ref = asRecord(value);
    if (!ref) return { reason: 'UnsupportedValue', field: at, message: 'must be a mapping' };
    const weight = ref['weight'] === undefined || ref['weight'] === null ? 1 : asInt(ref['weight'], 0, 1_000_000);
    if (weight === undefined) return { reason: 'UnsupportedValue', field: `${at}.weight`, message: `weight ${quote(ref['weight'])} is not a whole number 0-1000000` };
    const memberFilters = readFilters(ref['filters'], `${at}.filters`, route, ctx, onRef);
    if (!memberFilters.ok) return memberFilters;
    const backend = resolveBackend(ref, at, route, ctx);
    if (!backend.ok) onRef(backend.reason, backend.field, `${backend.message}; its share answers 500`);
    else if (backend.pool.problem?.code === 'NoReadyEndpoints' && firstReport(report, backend.pool.id)) report.warn('NoReadyEndpoints', at, `${backend.pool.problem.message.replace(/; the route answers 503$/, '')}; its share answers 503`);
    const service = backend.ok ? backend.pool.id : statusService(parts, backend.message);
    members.push({ service, weight, filters: memberFilters });
  }
  if (spec['matches'] !== undefined && spec['matches'] !== null && !asArray(spec['matches'])) {
    return { reason: 'UnsupportedValue', field: `${field}.matches`, message: 'must be a list of matches' };
  }
  const matchValues = asArray(spec['matches']);
  const reads = matchValues && matchValues.length > 0 ? matchValues.map((value, i) => readMatch(value, `${field}.matches[${i}]`)) : [MATCH_ALL];
  const matches: MatchPlan[] = [];
  for (const [i, read] of reads.entries()) {
    if (!read.ok) return { reason: 'UnsupportedValue', field: read.field, message: read.error };
    const own = filters.build(read.match);
    if (typeof own === 'string') return { reason: 'UnsupportedValue', field: `${field}.filters`, message: own };
    const target = ruleService(members, read.match, filters.redirects, parts);
    if (typeof target === 'string') return { reason: 'UnsupportedValue', field: `${field}.backendRefs`, message: target };
    matches.push({ index: i, match: read.match, conditions: read.conditions, middlewares: parts.middlewareIds([...own, ...target.middlewares]), service: target.service });
  }
  return { index, matches };
}

/** The service a match sends to, and the middlewares of its one backend when there is one. */
function ruleService(members: readonly Member[], match: RouteMatchPath, redirects: boolean, parts: GatewayTableParts): { service: string; middlewares: readonly GatewayMiddleware[] } | string {
  const active = members.filter((member) => member.weight > 0);
  if (active.length === 0) {
    const reason = members.length === 0 ? (redirects ? 'redirect only' : 'the rule has no backendRefs') : 'every backendRef has weight 0';
    return { service: statusService(parts, reason), middlewares: [] };
  }
  if (active.length === 1) {
    const only = active[0]!;
    const middlewares = only.filters.build(match);
    return typeof middlewares === 'string' ? middlewares : { service: only.service, middlewares };
  }
  const services: { service: string; weight: number; middlewares?: string[] }[] = [];
  for (const member of active) {
    const middlewares = member.filters.build(match);
    if (typeof middlewares === 'string') return middlewares;
    const ids = parts.middlewareIds(middlewares);
    services.push({ service: member.service, weight: member.weight, ...(ids.length > 0 ? { middlewares: ids } : {}) });
  }
  const group: GatewayService = { kind: 'weighted', services };
  return { service: parts.addService(contentId(group), group), middlewares: [] };
}

/** Pools whose problem a route already reported (once per route and pool, as for Ingresses). */
const reported = new WeakMap<Reporter, Set<string>>();

function firstReport(report: Reporter, pool: string): boolean {
  const seen = reported.get(report) ?? new Set<string>();
  reported.set(report, seen);
  if (seen.has(pool)) return false;
  seen.add(pool);
  return true;
}

/** A service answering 500 with `reason` (an unusable backend, no backend, all weights 0). */
function statusService(parts: GatewayTableParts, reason: string): string {
  const service: GatewayService = { kind: 'status', status: 500, reason };
  return parts.addService(contentId(service), service);
}
