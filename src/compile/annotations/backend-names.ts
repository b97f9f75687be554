/**
 * Traefik 1.7's backend names, which `error-pages` used to name the backend
 * that serves a page. Its Kubernetes provider named the backend of a rule path
 * after the rule (`baseName`): host + path as written (`errors.example.com`
 * for a rule without a path, `errors.example.com/pages`, `/pages` without a
 * host, the Service name with neither), prefixed by `<ep1>-<ep2>_` when the
 * Ingress has `frontend-entry-points` and by `<priority>-` when its priority
 * is above 0. The default backend is `global-default-backend`.
 * edgress reads such a name only when no Service of that name exists
 * (docs/design/decisions.md#decision-19-error-page-backends-are-services-first).
 *
 * @example
 * ```ts
 * findTraefikBackend('errors.example.com/pages', cluster.ingressModels(), 'shop');
 * // { ingress: <Ingress shop/errors>, service: { name: 'errors', port: { number: 80 } }, weighted: false }
 * ```
 */
import { compareAge } from '../cluster.ts';
import type { PortRef } from '../read/backend.ts';
import type { IngressModel, PathModel, RuleModel } from '../read/ingress.ts';
import { lookupAnnotation } from './lookup.ts';

export const GLOBAL_DEFAULT_BACKEND = 'global-default-backend';

/** The Service behind a Traefik backend name, and the Ingress that defines it. */
export interface NamedBackend {
  readonly ingress: IngressModel;
  readonly service: { readonly name: string; readonly port: PortRef };
  /** The Ingress splits the path over several Services (`service-weights`). */
  readonly weighted: boolean;
}

/**
 * The backend Traefik called `name`: the oldest Ingress's default backend for
 * `global-default-backend` (the one edgress serves), else the rule path of
 * that name, preferring Ingresses of `namespace`, then the oldest.
 */
export function findTraefikBackend(name: string, ingresses: Iterable<IngressModel>, namespace: string): NamedBackend | undefined {
  const found: NamedBackend[] = [];
  for (const ingress of ingresses) {
    const weighted = lookupAnnotation(ingress.meta.annotations, 'service-weights') !== undefined;
    if (name === GLOBAL_DEFAULT_BACKEND) {
      const backend = ingress.defaultBackend;
      if (backend?.kind === 'service') found.push({ ingress, service: backend, weighted: false });
      continue;
    }
    for (const rule of ingress.rules) {
      for (const path of rule?.paths ?? []) {
        if (rule && path?.backend.kind === 'service' && baseName(ingress, rule, path) === name) {
          found.push({ ingress, service: path.backend, weighted });
        }
      }
    }
  }
  const local = (backend: NamedBackend) => (name !== GLOBAL_DEFAULT_BACKEND && backend.ingress.meta.namespace === namespace ? 0 : 1);
  return found.sort((a, b) => local(a) - local(b) || compareAge(a.ingress, b.ingress))[0];
}

/** Traefik 1.7's `baseName` of a rule path. */
function baseName(ingress: IngressModel, rule: RuleModel, path: PathModel): string {
  let name = `${rule.host}${path.path}`;
  if (name === '' && path.backend.kind === 'service') name = path.backend.name;
  const entryPoints = lookupAnnotation(ingress.meta.annotations, 'frontend-entry-points')?.value;
  if (entryPoints) name = `${entryPoints.split(',').map((entry) => entry.trim()).join('-')}_${name}`;
  const priority = Number.parseInt(lookupAnnotation(ingress.meta.annotations, 'priority')?.value ?? '', 10);
  if (priority > 0) name = `${priority}-${name}`;
  return name;
}
