/**
 * Which Ingresses are ours. Traefik 1.7's class annotation rules first
 * (`kubernetes.io/ingress.class`, else `traefik.kubernetes.io/ingress.class`):
 * with the `ingressClass` option empty, class `traefik` is ours; with it set,
 * only that exact class. Without a class annotation, docs/design/decisions.md#decision-6-ingressclass-is-honoured:
 * `spec.ingressClassName` is ours iff that IngressClass exists and either
 * names our controller or carries the configured class name; a class-less
 * Ingress is ours when the option is empty (Traefik) or when one of our
 * IngressClasses is the cluster default. The label selector (Ingresses only)
 * must match as well; namespaces were filtered when indexing.
 *
 * @example
 * ```ts
 * const owns = ownership(options, cluster.classes, selector);
 * cluster.ingresses.filter(owns);
 * ```
 */
import { DEFAULT_CONTROLLER_NAME, type ProviderOptions } from './api.ts';
import type { IngressModel } from './read/ingress.ts';
import type { IngressClassModel } from './read/objects.ts';
import type { LabelSelector } from './selector.ts';

/** Annotation keys that carry the class, in Traefik's lookup order. */
export const CLASS_ANNOTATIONS = ['kubernetes.io/ingress.class', 'traefik.kubernetes.io/ingress.class'] as const;

/** Why an Ingress is not ours (see `./selection.ts` for how each is worded). */
export type SkipReason =
  | 'other-class'
  | 'class-not-found'
  | 'other-controller'
  | 'no-class'
  | 'labels'
  | 'namespace'
  | 'invalid-label-selector';

/** Whether an Ingress is ours; when not, the reason and the facts behind it (class names, selector). */
export type OwnershipDecision =
  | { readonly ours: true }
  | { readonly ours: false; readonly reason: SkipReason; readonly detail: string };

const OURS: OwnershipDecision = { ours: true };

/** Builds the "is this Ingress ours" test for one compile. */
export function ownership(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: IngressModel) => boolean {
  const decide = decideOwnership(options, classes, selector);
  return (ingress) => decide(ingress).ours;
}

/** Builds the ownership decision for one compile, with the reason an Ingress is skipped. */
export function decideOwnership(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: Pick<IngressModel, 'meta' | 'className'>) => OwnershipDecision {
  const controller = options.controllerName ?? DEFAULT_CONTROLLER_NAME;
  const configured = options.ingressClass ?? '';
  const isOurClass = (ingressClass: IngressClassModel) =>
    ingressClass.controller === controller || (configured !== '' && ingressClass.name === configured);
  const defaultIsOurs = [...classes.values()].some((ingressClass) => ingressClass.isDefault && isOurClass(ingressClass));
  const served = configured === '' ? '"traefik" (or none)' : JSON.stringify(configured);
  const skip = (reason: SkipReason, detail: string): OwnershipDecision => ({ ours: false, reason, detail });

  const classDecision = (ingress: Pick<IngressModel, 'meta' | 'className'>): OwnershipDecision => {
    const annotation = classAnnotation(ingress.meta.annotations);
    if (annotation) {
      const ours = configured === '' ? annotation === 'traefik' : annotation === configured;
      return ours ? OURS : skip('other-class', `its class annotation is ${JSON.stringify(annotation)}; edgress serves ${served}`);
    }
    if (ingress.className !== undefined) {
      const ingressClass = classes.get(ingress.className);
      if (ingressClass === undefined) return skip('class-not-found', `ingressClassName ${JSON.stringify(ingress.className)} names no IngressClass`);
      if (isOurClass(ingressClass)) return OURS;
      const owner = ingressClass.controller === undefined ? 'no controller' : `controller ${JSON.stringify(ingressClass.controller)}`;
      return skip('other-controller', `IngressClass ${JSON.stringify(ingressClass.name)} has ${owner}, not ${JSON.stringify(controller)}`);
    }
    if (configured === '' || defaultIsOurs) return OURS;
    return skip('no-class', `it names no class, and no IngressClass of edgress is the default class (--ingress-class is ${JSON.stringify(configured)})`);
  };
  return (ingress) => (selector(ingress.meta.labels) ? classDecision(ingress) : skip('labels', 'its labels do not match the label selector'));
}

/** The first class annotation present (even if empty), as Traefik looks it up. */
function classAnnotation(annotations: Readonly<Record<string, string>>): string | undefined {
  for (const key of CLASS_ANNOTATIONS) if (Object.hasOwn(annotations, key)) return annotations[key];
  return undefined;
}
