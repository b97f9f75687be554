/**
 * Warnings for annotations that are set but have no effect: unknown keys
 * under the two Traefik prefixes, and Service annotations set on an Ingress. (Service
 * annotations are read, and reported on, by `../traffic/service.ts`.)
 *
 * @example
 * ```ts
 * checkIngressAnnotations({ 'ingress.kubernetes.io/rule-tpye': 'Path' }, report);
 * // warning UnknownAnnotation … ingress.kubernetes.io/rule-tpye: "rule-tpye" is not a Traefik 1.7 annotation; ignored
 * ```
 */
import type { Reporter } from '../diagnostics.ts';
import { ANNOTATION_NAMES, annotationName } from './catalog.ts';

/** Reports every Traefik annotation key of an Ingress that is ignored. */
export function checkIngressAnnotations(annotations: Readonly<Record<string, string>>, report: Reporter): void {
  for (const key of Object.keys(annotations).sort()) {
    const name = annotationName(key);
    if (name === undefined) continue;
    const known = ANNOTATION_NAMES.get(name);
    if (!known) {
      report.warn('UnknownAnnotation', key, `${JSON.stringify(name)} is not a Traefik 1.7 annotation; ignored`);
    } else if (known.status === 'service') {
      report.warn('MisplacedAnnotation', key, `${name} is read from the Service in Traefik 1.7; ignored on an Ingress`);
    }
  }
}
