/**
 * Which Ingresses are served and why the others are not, for the summary
 * line `compile`, `dev` and the agent end with, and for `explain` on a host
 * that only a skipped Ingress names. Skipping is not a problem of the
 * Ingress (it may belong to another controller), so it is not a diagnostic;
 * it is counted and, on request, explained.
 *
 * @example
 * ```ts
 * const selection = selectIngresses(objects, options);
 * const result = compile(objects, options);
 * formatSelectionSummary(summarizeSelection(selection, result));
 * // '4 Ingresses: 2 served, 2 skipped (1 of another class, 1 outside the watched namespaces); 0 errors, 1 warning'
 * ```
 */
import type { CompileResult, KubeObject, ProviderOptions } from './api.ts';
import { watchedNamespaces } from './cluster.ts';
import { decideOwnership, type OwnershipDecision, type SkipReason } from './ownership.ts';
import type { Complain } from './read/fields.ts';
import type { IngressModel } from './read/ingress.ts';
import { readMeta } from './read/meta.ts';
import { objectHead, readModel } from './read/model.ts';
import type { IngressClassModel } from './read/objects.ts';
import { parseLabelSelector } from './selector.ts';

export type { OwnershipDecision, SkipReason } from './ownership.ts';

/** One Ingress: its `namespace/name`, the hosts its rules name, and whether it is ours. */
export interface IngressSelection {
  readonly key: string;
  readonly hosts: readonly string[];
  readonly decision: OwnershipDecision;
}

/** How each reason reads in the summary ("2 of another class"). */
export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  'other-class': 'of another class',
  'class-not-found': 'naming an IngressClass that does not exist',
  'other-controller': "of another controller's IngressClass",
  'no-class': 'without a class while edgress is not the default class',
  labels: 'not matching the label selector',
  namespace: 'outside the watched namespaces',
  'invalid-label-selector': 'because the label selector is invalid',
};

const IGNORE: Complain = () => {};

/**
 * Every Ingress of `objects` with the ownership decision `compile()` makes
 * for it, in `namespace/name` order. Only metadata, the class and the rule
 * hosts are read; Ingresses outside the watched namespaces are included
 * (`compile()` never sees them).
 */
export function selectIngresses(objects: readonly KubeObject[], options: ProviderOptions): IngressSelection[] {
  const ingresses = new Map<string, IngressModel>();
  const classes = new Map<string, IngressClassModel>();
  for (const object of objects) {
    const head = objectHead(object, undefined);
    if (head?.kind !== 'Ingress' && head?.kind !== 'IngressClass') continue;
    const meta = readMeta(object, head.namespaced, IGNORE);
    const model = meta && readModelQuietly(head.kind, object, meta);
    if (model?.kind === 'Ingress') ingresses.set(model.key, model.ingress);
    if (model?.kind === 'IngressClass') classes.set(model.key, model.ingressClass);
  }
  const watched = watchedNamespaces(options);
  const selector = parseLabelSelector(options.labelSelector ?? '');
  const decide = selector.ok ? decideOwnership(options, classes, selector.selector) : undefined;
  return [...ingresses.values()]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((ingress) => ({ key: ingress.key, hosts: hostsOf(ingress), decision: decisionFor(ingress, watched, decide) }));
}

function readModelQuietly(kind: string, object: KubeObject, meta: NonNullable<ReturnType<typeof readMeta>>) {
  try {
    return readModel(kind, object, meta, IGNORE);
  } catch {
    // compile() reports what cannot be read; the summary just leaves it out.
    return undefined;
  }
}

function decisionFor(
  ingress: IngressModel,
  watched: ReadonlySet<string> | undefined,
  decide: ((ingress: IngressModel) => OwnershipDecision) | undefined,
): OwnershipDecision {
  const namespace = ingress.meta.namespace;
  if (watched && !watched.has(namespace)) {
    return { ours: false, reason: 'namespace', detail: `namespace ${JSON.stringify(namespace)} is not among the watched namespaces (--namespace)` };
  }
  return decide ? decide(ingress) : { ours: false, reason: 'invalid-label-selector', detail: 'the label selector does not parse, so no Ingress is served' };
}

/** The distinct hosts of the Ingress's rules (`''` for a rule without a host). */
export function hostsOf(ingress: Pick<IngressModel, 'rules'>): string[] {
  return [...new Set(ingress.rules.flatMap((rule) => (rule ? [rule.host] : [])))];
}

export interface SelectionSummary {
  readonly ingresses: number;
  /** Ours and contributed routes. */
  readonly served: number;
  /** Ours but contributed nothing (every path was refused): their diagnostics say why. */
  readonly servingNothing: number;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  readonly errors: number;
  readonly warnings: number;
  /** HTTPRoutes with a Gateway of ours as parent: served, and accepted by none (absent without Gateway API objects). */
  readonly httpRoutes?: { readonly served: number; readonly notAccepted: number; readonly elsewhere?: number; readonly controllers?: readonly string[] };
}

/** Counts for the summary line: the selection, and the served list and diagnostics of the compile. */
export function summarizeSelection(
  selection: readonly IngressSelection[],
  result: Pick<CompileResult, 'served' | 'diagnostics' | 'httpRoutes'>,
): SelectionSummary {
  const served = new Set(result.served);
  const skipped: Partial<Record<SkipReason, number>> = {};
  let ours = 0;
  for (const { decision } of selection) {
    if (decision.ours) ours++;
    else skipped[decision.reason] = (skipped[decision.reason] ?? 0) + 1;
  }
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  return {
    ingresses: selection.length,
    served: served.size,
    servingNothing: Math.max(0, ours - served.size),
    skipped,
    errors,
    warnings: result.diagnostics.length - errors,
    ...(result.httpRoutes ? { httpRoutes: routeCounts(result.httpRoutes) } : {}),
  };
}

function routeCounts(routes: NonNullable<CompileResult['httpRoutes']>): NonNullable<SelectionSummary['httpRoutes']> {
  const elsewhere = routes.elsewhere?.length ?? 0;
  return { served: routes.served.length, notAccepted: routes.notAccepted.length, ...(elsewhere > 0 ? { elsewhere, controllers: routes.controllers ?? [] } : {}) };
}

/**
 * The summary in one line.
 *
 * @example
 * ```ts
 * formatSelectionSummary({ ingresses: 3, served: 2, servingNothing: 0, skipped: { 'other-class': 1 }, errors: 0, warnings: 2 });
 * // '3 Ingresses: 2 served, 1 skipped (1 of another class); 0 errors, 2 warnings'
 * ```
 */
export function formatSelectionSummary(summary: SelectionSummary): string {
  const reasons = (Object.keys(SKIP_REASONS) as SkipReason[]).flatMap((reason) => {
    const count = summary.skipped[reason];
    return count ? [`${count} ${SKIP_REASONS[reason]}`] : [];
  });
  const skippedCount = Object.values(summary.skipped).reduce((sum, count) => sum + count, 0);
  const parts = [`${summary.served} served`];
  if (summary.servingNothing > 0) parts.push(`${summary.servingNothing} serving nothing (see the errors)`);
  parts.push(skippedCount === 0 ? '0 skipped' : `${skippedCount} skipped (${reasons.join(', ')})`);
  const routes = summary.httpRoutes;
  // Routes of other controllers' Gateways are not ours to serve, but a GatewayClass with a mistyped controllerName looks the same: say whose they are.
  const elsewhere = routes?.elsewhere ? `, ${routes.elsewhere} of another controller (${routes.controllers?.join(', ')}; edgress serves GatewayClasses of --gateway-controller)` : '';
  const gateway = routes
    ? `; ${plural(routes.served + routes.notAccepted + (routes.elsewhere ?? 0), 'HTTPRoute')}: ${routes.served} served, ${routes.notAccepted} not accepted${routes.notAccepted > 0 ? ' (see the errors)' : ''}${elsewhere}`
    : '';
  return `${plural(summary.ingresses, 'Ingress', 'Ingresses')}: ${parts.join(', ')}${gateway}; ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
