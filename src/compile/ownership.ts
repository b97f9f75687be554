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

/** Builds the "is this Ingress ours" test for one compile. */
export function ownership(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: IngressModel) => boolean {
  const controller = options.controllerName ?? DEFAULT_CONTROLLER_NAME;
  const configured = options.ingressClass ?? '';
  const isOurClass = (ingressClass: IngressClassModel) =>
    ingressClass.controller === controller || (configured !== '' && ingressClass.name === configured);
  const defaultIsOurs = [...classes.values()].some((ingressClass) => ingressClass.isDefault && isOurClass(ingressClass));

  const classMatches = (ingress: IngressModel): boolean => {
    const annotation = classAnnotation(ingress.meta.annotations);
    if (annotation) return configured === '' ? annotation === 'traefik' : annotation === configured;
    if (ingress.className !== undefined) {
      const ingressClass = classes.get(ingress.className);
      return ingressClass !== undefined && isOurClass(ingressClass);
    }
    return configured === '' || defaultIsOurs;
  };
  return (ingress) => selector(ingress.meta.labels) && classMatches(ingress);
}

/** The first class annotation present (even if empty), as Traefik looks it up. */
function classAnnotation(annotations: Readonly<Record<string, string>>): string | undefined {
  for (const key of CLASS_ANNOTATIONS) if (Object.hasOwn(annotations, key)) return annotations[key];
  return undefined;
}
