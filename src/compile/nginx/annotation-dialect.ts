/**
 * The nginx dialect as the annotation key check (`../annotations/check.ts`)
 * sees it: every `nginx.ingress.kubernetes.io/` key the catalog knows is the
 * dialect's own (the ignored ones are reported by `./ingress.ts`), an unknown
 * one under that prefix gets a "did you mean", and other controllers' keys
 * (Traefik's included) on an nginx-dialect Ingress are reported as unread.
 *
 * Access keys the dialect knows but cannot enforce at the edge (client
 * certificate checks, `auth-snippet`) would open the route if dropped, so
 * `./ingress.ts` fails the Ingress closed on them (`unenforceableAccessKeys`).
 *
 * @example
 * ```ts
 * checkIngressAnnotations(annotations, report, NGINX_ANNOTATION_DIALECT);
 * ```
 */
import { defineDialect, TRAEFIK_DIALECT, type AnnotationDialect } from '../annotations/dialect.ts';
import type { Reporter } from '../diagnostics.ts';
import { CLASS_ANNOTATIONS } from '../ownership.ts';
import { NGINX_KNOWN_KEYS, NGINX_PREFIX } from './catalog.ts';

/** Known keys that restrict access and that the edge cannot enforce. */
const UNENFORCEABLE_ACCESS = ['auth-tls-secret', 'auth-tls-verify-client', 'auth-tls-match-cn', 'auth-snippet'].map((name) => NGINX_PREFIX + name);

/** Keys of the dialect whose loss would open a route. */
const ACCESS_KEYS = [
  'auth-type', 'auth-secret', 'auth-secret-type', 'auth-url', 'auth-signin', 'auth-method',
  'whitelist-source-range', 'allowlist-source-range', 'denylist-source-range',
].map((name) => NGINX_PREFIX + name).concat(UNENFORCEABLE_ACCESS);

export const NGINX_ANNOTATION_DIALECT: AnnotationDialect = defineDialect({
  name: 'ingress-nginx',
  prefixes: [NGINX_PREFIX],
  keys: [...NGINX_KNOWN_KEYS, ...CLASS_ANNOTATIONS],
  accessKeys: ACCESS_KEYS,
});

/**
 * The unenforceable access keys of an Ingress that are switched on
 * (`auth-tls-verify-client: off` asks for nothing).
 */
export function unenforceableAccessKeys(annotations: Readonly<Record<string, string>>): string[] {
  return UNENFORCEABLE_ACCESS.filter((key) => {
    const value = annotations[key];
    if (value === undefined) return false;
    return !(key.endsWith('auth-tls-verify-client') && value.trim().toLowerCase() === 'off');
  });
}

/**
 * Traefik 1.7 keys on an nginx-dialect Ingress: read by the Traefik dialect
 * only, so reported here (an access key as an error); true when one restricts
 * access.
 */
export function reportTraefikKeys(annotations: Readonly<Record<string, string>>, report: Reporter): boolean {
  let restricts = false;
  for (const key of Object.keys(annotations).sort()) {
    if (!TRAEFIK_DIALECT.prefixes.some((prefix) => key.startsWith(prefix)) || CLASS_ANNOTATIONS.some((name) => name === key)) continue;
    const message = `a Traefik 1.7 annotation, which the nginx dialect of this Ingress does not read`;
    if (TRAEFIK_DIALECT.restrictsAccess(key)) {
      restricts = true;
      report.error('UnenforcedAccessAnnotation', key, `${message}; it restricts access, so the routes of this Ingress answer 503 rather than serve without it`);
    } else report.warn('ForeignAnnotation', key, `${message}; ignored`);
  }
  return restricts;
}
