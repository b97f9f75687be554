/**
 * Other Ingress controllers' annotation prefixes, and which of their keys
 * restrict access. A served Ingress carrying them was written for another
 * controller (or for two at once); edgress says what it does not read.
 *
 * Keys of tools that are not Ingress controllers (cert-manager, external-dns,
 * kubectl, Helm, Argo CD, Flux, …) and organisation-specific keys are not
 * listed: those tools read them, and reporting them on every compile would
 * bury the diagnostics that matter (docs/concepts/ingress-selection.md).
 *
 * @example
 * ```ts
 * foreignController('nginx.ingress.kubernetes.io/auth-url');
 * // { controller: 'ingress-nginx', prefix: 'nginx.ingress.kubernetes.io/', name: 'auth-url', restrictsAccess: true }
 * ```
 */

/** Prefix → the controller that reads keys under it. */
export const FOREIGN_CONTROLLERS: Readonly<Record<string, string>> = {
  'nginx.ingress.kubernetes.io/': 'ingress-nginx',
  'nginx.org/': 'NGINX Ingress Controller',
  'nginx.com/': 'NGINX Ingress Controller',
  'haproxy.org/': 'HAProxy Kubernetes Ingress Controller',
  'haproxy.com/': 'HAProxy Kubernetes Ingress Controller',
  'haproxy-ingress.github.io/': 'HAProxy Ingress',
  'konghq.com/': 'Kong',
  'alb.ingress.kubernetes.io/': 'AWS Load Balancer Controller',
  'appgw.ingress.kubernetes.io/': 'Azure Application Gateway',
  'projectcontour.io/': 'Contour',
  'contour.heptio.com/': 'Contour',
  'ingress.gcp.kubernetes.io/': 'GKE Ingress',
  'networking.gke.io/': 'GKE Ingress',
  // GKE's own keys sit under the prefix of the class annotation edgress reads (which never gets here).
  'kubernetes.io/ingress.allow-http': 'GKE Ingress',
  'kubernetes.io/ingress.global-static-ip-name': 'GKE Ingress',
  'kubernetes.io/ingress.regional-static-ip-name': 'GKE Ingress',
  'kubernetes.io/ingress.pre-shared-cert': 'GKE Ingress',
  'getambassador.io/': 'Emissary-ingress',
  'zalando.org/': 'Skipper',
  'cloudflare-tunnel-ingress-controller.strrl.dev/': 'cloudflare-tunnel-ingress-controller',
};

/**
 * Names that restrict who gets through: authentication, allow and deny
 * lists, client-certificate checks, WAF policies, and plugin or middleware
 * lists that may carry any of them. `limit-whitelist` (exempts from a rate
 * limit) and `enable-global-auth` (turns auth off) loosen, so dropping them
 * opens nothing.
 */
const ACCESS_NAME =
  /(?:^|[-._/])(?:o?auth|whitelist|allowlist|allow-list|blacklist|denylist|deny-list|source-range|inbound-cidrs|client-ca|jwt|oidc|waf|plugins|middlewares)/i;
const LOOSENING_NAME = /^(?:limit-|enable-global-auth$)/i;

/** True when dropping a key of this name could let in someone its owner meant to keep out. */
export function restrictsAccess(name: string): boolean {
  return ACCESS_NAME.test(name) && !LOOSENING_NAME.test(name);
}

/**
 * What edgress reads instead, for the ingress-nginx keys people carry over
 * most (ingress-nginx's docs; semantics differ in details, the migration
 * guide says how).
 */
const EQUIVALENTS: Readonly<Record<string, string>> = {
  'nginx.ingress.kubernetes.io/ssl-redirect': 'ingress.kubernetes.io/ssl-redirect',
  'nginx.ingress.kubernetes.io/force-ssl-redirect': 'ingress.kubernetes.io/ssl-redirect',
  'nginx.ingress.kubernetes.io/whitelist-source-range': 'ingress.kubernetes.io/whitelist-source-range',
  'nginx.ingress.kubernetes.io/allowlist-source-range': 'ingress.kubernetes.io/whitelist-source-range',
  'nginx.ingress.kubernetes.io/auth-type': 'ingress.kubernetes.io/auth-type',
  'nginx.ingress.kubernetes.io/auth-secret': 'ingress.kubernetes.io/auth-secret',
  'nginx.ingress.kubernetes.io/auth-realm': 'ingress.kubernetes.io/auth-realm',
  'nginx.ingress.kubernetes.io/auth-url': 'ingress.kubernetes.io/auth-type: forward with ingress.kubernetes.io/auth-url',
  'nginx.ingress.kubernetes.io/auth-response-headers': 'ingress.kubernetes.io/auth-response-headers',
  'nginx.ingress.kubernetes.io/app-root': 'ingress.kubernetes.io/app-root',
  'nginx.ingress.kubernetes.io/rewrite-target': 'ingress.kubernetes.io/rewrite-target, a literal path rather than a regex, or rule-type: PathPrefixStrip',
  'nginx.ingress.kubernetes.io/limit-rps': 'ingress.kubernetes.io/rate-limit',
  'nginx.ingress.kubernetes.io/affinity': 'the affinity annotation on the Service',
  'nginx.ingress.kubernetes.io/backend-protocol': 'ingress.kubernetes.io/protocol',
  'nginx.ingress.kubernetes.io/upstream-vhost': 'ingress.kubernetes.io/preserve-host: "false"',
};

export interface ForeignKey {
  readonly controller: string;
  readonly prefix: string;
  readonly name: string;
  readonly restrictsAccess: boolean;
  /** The annotation edgress reads for much the same, when there is a well-known one. */
  readonly equivalent?: string;
}

/**
 * The controller a key belongs to, whatever the case of its prefix (the
 * other controller would not read a mis-cased key either, but its owner
 * meant it for that controller); undefined for other keys.
 */
export function foreignController(key: string, ownPrefixes: readonly string[] = []): ForeignKey | undefined {
  const lower = key.toLowerCase();
  for (const [prefix, controller] of Object.entries(FOREIGN_CONTROLLERS)) {
    if (ownPrefixes.includes(prefix) || !lower.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    const equivalent = EQUIVALENTS[prefix + name];
    return { controller, prefix, name, restrictsAccess: restrictsAccess(name), ...(equivalent ? { equivalent } : {}) };
  }
  return undefined;
}
