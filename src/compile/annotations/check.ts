/**
 * Warnings for annotations that are set but have no effect: unknown keys
 * under the two Traefik prefixes, Traefik annotations edgress does not
 * implement yet, and Service annotations set on an Ingress. (Service
 * annotations are read, and reported on, by `../traffic/service.ts`.)
 *
 * @example
 * ```ts
 * checkIngressAnnotations({ 'ingress.kubernetes.io/error-pages': '…' }, report);
 * // warning UnsupportedAnnotation … ingress.kubernetes.io/error-pages: error-pages is not supported yet; ignored
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
    } else if (known.status !== 'implemented' && annotations[key]?.trim() !== '') {
      // An empty value switches a Traefik feature off, so ignoring it changes nothing.
      report.warn('UnsupportedAnnotation', key, `${name} is not supported yet; ignored`);
    }
  }
}
