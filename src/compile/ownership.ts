/**
 * Which Ingresses are ours, and in which dialect they are read.
 *
 * Traefik dialect, Traefik 1.7's class annotation rules first
 * (`kubernetes.io/ingress.class`, else `traefik.kubernetes.io/ingress.class`):
 * with the `ingressClass` option empty, class `traefik` is ours; with it set,
 * only that exact class. Without a class annotation, decision 6:
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

/** Builds the "which dialect serves this Ingress, if any" test for one compile. */
export function dialects(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: IngressModel) => Dialect | undefined {
  const controller = options.controllerName ?? DEFAULT_CONTROLLER_NAME;
  const configured = options.ingressClass ?? '';
  const nginxController = options.ingressNginx === true ? (options.ingressNginxController ?? DEFAULT_NGINX_CONTROLLER) : undefined;
  const isOurClass = (ingressClass: IngressClassModel) =>
    ingressClass.controller === controller || (configured !== '' && ingressClass.name === configured);
  const isNginxClass = (ingressClass: IngressClassModel) => nginxController !== undefined && ingressClass.controller === nginxController;
  const defaults = [...classes.values()].filter((ingressClass) => ingressClass.isDefault);
  const defaultIsOurs = defaults.some(isOurClass);
  const defaultIsNginx = !defaultIsOurs && defaults.some(isNginxClass);

  const classDialect = (ingress: IngressModel): Dialect | undefined => {
    const annotations = ingress.meta.annotations;
    const annotation = classAnnotation(annotations);
    if (annotation) {
      if (configured === '' ? annotation === 'traefik' : annotation === configured) return 'traefik';
      return nginxController !== undefined && annotations[CLASS_ANNOTATIONS[0]] === NGINX_CLASS ? 'nginx' : undefined;
    }
    if (ingress.className !== undefined) {
      const ingressClass = classes.get(ingress.className);
      if (ingressClass === undefined) return undefined;
      return isOurClass(ingressClass) ? 'traefik' : isNginxClass(ingressClass) ? 'nginx' : undefined;
    }
    if (defaultIsOurs) return 'traefik';
    if (defaultIsNginx) return 'nginx';
    return configured === '' ? 'traefik' : undefined;
  };
  return (ingress) => (selector(ingress.meta.labels) ? classDialect(ingress) : undefined);
}

/** Builds the "is this Ingress ours" test for one compile (either dialect). */
export function ownership(
  options: ProviderOptions,
  classes: ReadonlyMap<string, IngressClassModel>,
  selector: LabelSelector,
): (ingress: IngressModel) => boolean {
  const dialect = dialects(options, classes, selector);
  return (ingress) => dialect(ingress) !== undefined;
}

/** The first class annotation present (even if empty), as Traefik looks it up. */
function classAnnotation(annotations: Readonly<Record<string, string>>): string | undefined {
  for (const key of CLASS_ANNOTATIONS) if (Object.hasOwn(annotations, key)) return annotations[key];
  return undefined;
}
