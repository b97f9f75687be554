/**
 * Which Ingresses are ours, and in which dialect they are read.
 *
 * Traefik dialect, Traefik 1.7's class annotation rules first
 * (`kubernetes.io/ingress.class`, else `traefik.kubernetes.io/ingress.class`):
 * with the `ingressClass` option empty, class `traefik` is ours; with it set,
 * only that exact class. Without a class annotation, docs/design/decisions.md#decision-6-ingressclass-is-honoured:
 * `spec.ingressClassName` is ours iff that IngressClass exists and either
 * names our controller or carries the configured class name; a class-less
 * Ingress is ours when the option is empty (Traefik) or when one of our
 * IngressClasses is the cluster default.
 *
 * nginx dialect (only with `ingressNginx`), as ingress-nginx selected its
 * Ingresses: `kubernetes.io/ingress.class: nginx`, or an IngressClass whose
 * controller is `ingressNginxController` (`k8s.io/ingress-nginx`), or no
 * class at all while such an IngressClass is the cluster default (and none of
 * the Traefik dialect's is). The Traefik dialect decides first, so an
 * Ingress the user configured for it stays with it.
 *
 * The label selector (Ingresses only) must match as well; namespaces were
 * filtered when indexing.
 *
 * @example
 * ```ts
 * const dialect = dialects(options, cluster.classes, selector);
 * dialect(ingress); // 'traefik', 'nginx' or undefined (not ours)
 * ```
 */
import { DEFAULT_CONTROLLER_NAME, DEFAULT_NGINX_CONTROLLER, type Dialect, type ProviderOptions } from './api.ts';
import type { IngressModel } from './read/ingress.ts';
import type { IngressClassModel } from './read/objects.ts';
import type { LabelSelector } from './selector.ts';

/** Annotation keys that carry the class, in Traefik's lookup order. */
export const CLASS_ANNOTATIONS = ['kubernetes.io/ingress.class', 'traefik.kubernetes.io/ingress.class'] as const;

/** The class annotation value ingress-nginx answers to by default. */
export const NGINX_CLASS = 'nginx';

/** Why an Ingress is not ours (see `./selection.ts` for how each is worded). */
export type SkipReason =
  | 'other-class'
  | 'class-not-found'
  | 'other-controller'
  | 'no-class'
  | 'labels'
  | 'namespace'
  | 'invalid-label-selector';

/** Whether an Ingress is ours and in which dialect; when not, the reason and the facts behind it. */
export type OwnershipDecision =
  | { readonly ours: true; readonly dialect: Dialect }
  | { readonly ours: false; readonly reason: SkipReason; readonly detail: string };

const TRAEFIK: OwnershipDecision = { ours: true, dialect: 'traefik' };
const NGINX: OwnershipDecision = { ours: true, dialect: 'nginx' };

/** Builds the "which dialect serves this Ingress, if any" test for one compile. */
export function dialects(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: IngressModel) => Dialect | undefined {
  const decide = decideOwnership(options, classes, selector);
  return (ingress) => {
    const decision = decide(ingress);
    return decision.ours ? decision.dialect : undefined;
  };
}

/** Builds the "is this Ingress ours" test for one compile (either dialect). */
export function ownership(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: IngressModel) => boolean {
  const decide = decideOwnership(options, classes, selector);
  return (ingress) => decide(ingress).ours;
}

/** Builds the ownership decision for one compile, with the dialect or the reason an Ingress is skipped. */
export function decideOwnership(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: Pick<IngressModel, 'meta' | 'className'>) => OwnershipDecision {
  const controller = options.controllerName ?? DEFAULT_CONTROLLER_NAME;
  const configured = options.ingressClass ?? '';
  const nginxController = options.ingressNginx === true ? (options.ingressNginxController ?? DEFAULT_NGINX_CONTROLLER) : undefined;
  const isOurClass = (ingressClass: IngressClassModel) =>
    ingressClass.controller === controller || (configured !== '' && ingressClass.name === configured);
  const isNginxClass = (ingressClass: IngressClassModel) => nginxController !== undefined && ingressClass.controller === nginxController;
  const defaults = [...classes.values()].filter((ingressClass) => ingressClass.isDefault);
  const defaultIsOurs = defaults.some(isOurClass);
  const defaultIsNginx = !defaultIsOurs && defaults.some(isNginxClass);
  const served = (configured === '' ? '"traefik" (or none)' : JSON.stringify(configured)) + (nginxController !== undefined ? ` and "${NGINX_CLASS}"` : '');
  const skip = (reason: SkipReason, detail: string): OwnershipDecision => ({ ours: false, reason, detail });

  const classDecision = (ingress: Pick<IngressModel, 'meta' | 'className'>): OwnershipDecision => {
    const annotations = ingress.meta.annotations;
    const annotation = classAnnotation(annotations);
    if (annotation) {
      if (configured === '' ? annotation === 'traefik' : annotation === configured) return TRAEFIK;
      // ingress-nginx compares the annotation with its class name: "nginx", or that of an IngressClass of its controller
      // (the second controller of an internal/external pair, `nginx-internal`).
      const annotated = annotations[CLASS_ANNOTATIONS[0]];
      const annotatedClass = annotated === undefined ? undefined : classes.get(annotated);
      if (nginxController !== undefined && (annotated === NGINX_CLASS || (annotatedClass !== undefined && isNginxClass(annotatedClass)))) return NGINX;
      return skip('other-class', `its class annotation is ${JSON.stringify(annotation)}; edgress serves ${served}`);
    }
    if (ingress.className !== undefined) {
      const ingressClass = classes.get(ingress.className);
      if (ingressClass === undefined) return skip('class-not-found', `ingressClassName ${JSON.stringify(ingress.className)} names no IngressClass`);
      if (isOurClass(ingressClass)) return TRAEFIK;
      if (isNginxClass(ingressClass)) return NGINX;
      const owner = ingressClass.controller === undefined ? 'no controller' : `controller ${JSON.stringify(ingressClass.controller)}`;
      const wanted = JSON.stringify(controller) + (nginxController !== undefined ? ` or ${JSON.stringify(nginxController)}` : '');
      return skip('other-controller', `IngressClass ${JSON.stringify(ingressClass.name)} has ${owner}, not ${wanted}`);
    }
    if (defaultIsOurs) return TRAEFIK;
    if (defaultIsNginx) return NGINX;
    if (configured === '') return TRAEFIK;
    return skip('no-class', `it names no class, and no IngressClass of edgress is the default class (--ingress-class is ${JSON.stringify(configured)})`);
  };
  return (ingress) => (selector(ingress.meta.labels) ? classDecision(ingress) : skip('labels', 'its labels do not match the label selector'));
}

/** The first class annotation present (even if empty), as Traefik looks it up. */
function classAnnotation(annotations: Readonly<Record<string, string>>): string | undefined {
  for (const key of CLASS_ANNOTATIONS) if (Object.hasOwn(annotations, key)) return annotations[key];
  return undefined;
}
