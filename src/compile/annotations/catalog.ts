/**
 * Every Traefik 1.7 Kubernetes annotation, by family, with what edgress
 * does with it today, and edgress's own (`pass-original-url-headers`). Annotation names are the part after the prefix; both
 * prefixes and the legacy labels (docs/reference/annotations.md) are accepted for every name.
 *
 * - `implemented`: compiled into the table.
 * - `service`: read from the Service (`../traffic/service.ts`); on an Ingress, ignored with a warning.
 *
 * @example
 * ```ts
 * ANNOTATION_NAMES.get('rate-limit'); // { family: 'rate-limit', status: 'implemented' }
 * LEGACY_LABELS['rule-type'];         // 'traefik.frontend.rule.type'
 * ```
 */

/** The two annotation prefixes, in lookup order. */
export const ANNOTATION_PREFIXES = ['ingress.kubernetes.io/', 'traefik.ingress.kubernetes.io/'] as const;

export type AnnotationStatus = 'implemented' | 'service';

interface Family {
  readonly status: AnnotationStatus;
  readonly names: readonly string[];
}

/** Families of annotations; a family is implemented (or not) as a whole. */
export const ANNOTATION_FAMILIES = {
  // `pass-original-url-headers` is edgress's own (SECURITY.md, findings and fixes): Traefik 1.7 passed those headers on.
  routing: { status: 'implemented', names: ['rule-type', 'priority', 'preserve-host', 'protocol', 'pass-original-url-headers'] },
  auth: {
    status: 'implemented',
    names: ['auth-type', 'auth-secret', 'auth-remove-header', 'auth-header-field', 'auth-realm', 'auth-url',
      'auth-trust-headers', 'auth-response-headers', 'auth-tls-secret', 'auth-tls-insecure'],
  },
  whitelist: { status: 'implemented', names: ['whitelist-source-range', 'whitelist-x-forwarded-for'] },
  redirect: {
    status: 'implemented',
    names: ['app-root', 'redirect-entry-point', 'redirect-permanent', 'redirect-regex', 'redirect-replacement'],
  },
  rewrite: { status: 'implemented', names: ['rewrite-target', 'request-modifier'] },
  headers: {
    status: 'implemented',
    names: ['custom-request-headers', 'custom-response-headers', 'allowed-hosts', 'proxy-headers', 'ssl-redirect',
      'ssl-temporary-redirect', 'ssl-host', 'ssl-force-host', 'ssl-proxy-headers', 'hsts-max-age',
      'hsts-include-subdomains', 'hsts-preload', 'force-hsts', 'frame-deny', 'custom-frame-options-value',
      'content-type-nosniff', 'browser-xss-filter', 'custom-browser-xss-value', 'content-security-policy',
      'public-key', 'referrer-policy', 'is-development'],
  },
  'error-pages': { status: 'implemented', names: ['error-pages'] },
  'rate-limit': { status: 'implemented', names: ['rate-limit'] },
  'service-weights': { status: 'implemented', names: ['service-weights'] },
  'entry-points': { status: 'implemented', names: ['frontend-entry-points'] },
  'tls-certs': { status: 'implemented', names: ['pass-tls-cert', 'pass-client-tls-cert'] },
  service: {
    status: 'service',
    names: ['buffering', 'affinity', 'session-cookie-name', 'session-secure', 'session-http-only', 'session-same-site',
      'circuit-breaker-expression', 'responseforwarding-flushinterval', 'load-balancer-method', 'max-conn-amount',
      'max-conn-extractor-func'],
  },
} as const satisfies Readonly<Record<string, Family>>;

export type AnnotationFamily = keyof typeof ANNOTATION_FAMILIES;

/** Name → family and status, for every known annotation name. */
export const ANNOTATION_NAMES: ReadonlyMap<string, { readonly family: AnnotationFamily; readonly status: AnnotationStatus }> =
  new Map(
    Object.entries(ANNOTATION_FAMILIES).flatMap(([family, { status, names }]) =>
      names.map((name) => [name, { family: family as AnnotationFamily, status }] as const),
    ),
  );

/** Legacy Traefik labels accepted after both prefixes, by annotation name. */
export const LEGACY_LABELS: Readonly<Record<string, string>> = {
  'preserve-host': 'traefik.frontend.passHostHeader',
  'pass-tls-cert': 'traefik.frontend.passTLSCert',
  'frontend-entry-points': 'traefik.frontend.entryPoints',
  priority: 'traefik.frontend.priority',
  'circuit-breaker-expression': 'traefik.backend.circuitbreaker',
  'load-balancer-method': 'traefik.backend.loadbalancer.method',
  affinity: 'traefik.backend.loadbalancer.stickiness',
  'session-cookie-name': 'traefik.backend.loadbalancer.stickiness.cookieName',
  'rule-type': 'traefik.frontend.rule.type',
  'redirect-entry-point': 'traefik.frontend.redirect.entrypoint',
  'redirect-regex': 'traefik.frontend.redirect.regex',
  'redirect-replacement': 'traefik.frontend.redirect.replacement',
};

/** The deprecated Service label Traefik reads under this exact key only. */
export const LEGACY_STICKY_LABEL = 'traefik.backend.loadbalancer.sticky';

const LEGACY_NAMES: ReadonlyMap<string, string> = new Map(Object.entries(LEGACY_LABELS).map(([name, label]) => [label, name]));

/**
 * The annotation name a key stands for: `ingress.kubernetes.io/priority`,
 * `traefik.ingress.kubernetes.io/priority` and `traefik.frontend.priority`
 * all give `priority`. Undefined for keys outside Traefik's namespace.
 */
export function annotationName(key: string): string | undefined {
  for (const prefix of ANNOTATION_PREFIXES) if (key.startsWith(prefix)) return key.slice(prefix.length);
  return LEGACY_NAMES.get(key);
}
