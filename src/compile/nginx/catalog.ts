/**
 * Every `nginx.ingress.kubernetes.io/*` annotation the nginx dialect knows,
 * with what edgress does with it. This is the one list: the dialect reads
 * the `supported` and `approximated` names, reports the `ignored` ones (and
 * any other key under the prefix) per Ingress, the migration report counts
 * by it, and docs/guides/migrating-from-ingress-nginx.md has a row for each
 * (checked by `test/compile/nginx-catalog.test.ts`).
 *
 * @example
 * ```ts
 * NGINX_ANNOTATIONS['rewrite-target'].status; // 'supported'
 * NGINX_DIALECT_KEYS.has('nginx.ingress.kubernetes.io/use-regex'); // true
 * ```
 */

export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

export type NginxStatus = 'supported' | 'approximated' | 'ignored';

export interface NginxAnnotation {
  readonly status: NginxStatus;
  /** Why it is approximated or ignored (said in the diagnostic and the report). */
  readonly note?: string;
}

const supported: NginxAnnotation = { status: 'supported' };
const approximated = (note: string): NginxAnnotation => ({ status: 'approximated', note });
const ignored = (note: string): NginxAnnotation => ({ status: 'ignored', note });

const NO_BUFFERS = 'the edge streams requests and responses; nginx buffer tuning has no equivalent';
const TIMEOUTS = 'checked only: the runtime connects and sends on its own terms (proxy-read-timeout is the wait for the pod\'s headers)';
const SNIPPET = 'raw nginx configuration cannot run at the edge';
const LIMITS = 'token buckets counted edge-wide per route and client IP (the RateLimiter Durable Object), not per nginx replica; over the limit: 503';
const POD_ADDRESSING = 'the edge reaches a Service, not chosen pods by hash';

/** By annotation name (the part after {@link NGINX_PREFIX}). */
export const NGINX_ANNOTATIONS: Readonly<Record<string, NginxAnnotation>> = {
  // Routing and rewriting
  'rewrite-target': supported,
  'use-regex': supported,
  'app-root': supported,
  'x-forwarded-prefix': supported,
  'backend-protocol': approximated('HTTP, HTTPS, AUTO_HTTP, GRPC (h2c) and GRPCS (https); FCGI answers 503'),
  'upstream-vhost': approximated('sent as Host by edgress dev\'s relay; the production transports (direct, Workers VPC, tunnel hostnames) cannot choose Host, as for passHostHeader'),
  'service-upstream': approximated('the edge always reaches the Service through its tunnel transport; accepted, no effect'),
  'default-backend': supported,
  'custom-http-errors': approximated('the default-backend Service answers GET / with X-Code, X-Format, X-Original-URI, X-Namespace, X-Ingress-Name, X-Service-Name and X-Service-Port (no X-Request-ID); the status is kept'),
  // Redirects
  'ssl-redirect': supported,
  'force-ssl-redirect': supported,
  'preserve-trailing-slash': supported,
  'permanent-redirect': supported,
  'permanent-redirect-code': supported,
  'temporal-redirect': supported,
  'temporal-redirect-code': supported,
  'from-to-www-redirect': supported,
  // Limits
  'proxy-body-size': supported,
  'proxy-connect-timeout': approximated(TIMEOUTS),
  'proxy-read-timeout': approximated('the wait for the pod\'s response headers (504 after it), at most 100 s; not between two reads of the body'),
  'proxy-send-timeout': approximated(TIMEOUTS),
  // CORS
  'enable-cors': supported,
  'cors-allow-origin': supported,
  'cors-allow-methods': supported,
  'cors-allow-headers': supported,
  'cors-allow-credentials': supported,
  'cors-expose-headers': supported,
  'cors-max-age': supported,
  // Access control
  'whitelist-source-range': supported,
  'allowlist-source-range': supported,
  'denylist-source-range': supported,
  'auth-type': approximated('basic only; digest (which ingress-nginx supports) fails closed with 503'),
  'auth-secret': supported,
  'auth-secret-type': supported,
  'auth-realm': supported,
  'auth-url': supported,
  'auth-method': supported,
  'auth-signin': supported,
  'auth-signin-redirect-param': supported,
  'auth-response-headers': supported,
  'auth-request-redirect': supported,
  'auth-cache-key': approximated('answers are not cached at the edge: every request asks the auth service'),
  'auth-cache-duration': approximated('answers are not cached at the edge: every request asks the auth service'),
  'enable-global-auth': approximated('edgress has no global auth URL; accepted, no effect'),
  // Not served
  'ssl-passthrough': ignored('TLS terminates at the edge; passthrough is impossible'),
  'configuration-snippet': approximated('only add_header, more_set_headers, more_clear_headers and proxy_set_header with literal values, and only with --allow-snippet-headers'),
  'server-snippet': ignored(SNIPPET),
  'auth-snippet': ignored(SNIPPET),
  'stream-snippet': ignored(SNIPPET),
  'modsecurity-snippet': ignored(SNIPPET),
  'enable-modsecurity': ignored('use Cloudflare WAF rules instead'),
  'enable-owasp-core-rules': ignored('use Cloudflare WAF managed rules instead'),
  'modsecurity-transaction-id': ignored('use Cloudflare WAF rules instead'),
  'proxy-buffering': ignored(NO_BUFFERS),
  'proxy-buffer-size': ignored(NO_BUFFERS),
  'proxy-buffers-number': ignored(NO_BUFFERS),
  'proxy-max-temp-file-size': ignored(NO_BUFFERS),
  'proxy-request-buffering': ignored(NO_BUFFERS),
  'client-body-buffer-size': ignored(NO_BUFFERS),
  'proxy-http-version': ignored('the Workers runtime chooses the upstream HTTP version'),
  'proxy-next-upstream': ignored('retries are the edge transport\'s own'),
  'proxy-next-upstream-timeout': ignored('retries are the edge transport\'s own'),
  'proxy-next-upstream-tries': ignored('retries are the edge transport\'s own'),
  'proxy-redirect-from': ignored('Location headers of pod responses are passed as they are'),
  'proxy-redirect-to': ignored('Location headers of pod responses are passed as they are'),
  'proxy-cookie-domain': ignored('Set-Cookie headers of pod responses are passed as they are'),
  'proxy-cookie-path': ignored('Set-Cookie headers of pod responses are passed as they are'),
  'proxy-ssl-secret': ignored('backend TLS verification is the tunnel\'s'),
  'proxy-ssl-verify': ignored('backend TLS verification is the tunnel\'s'),
  'proxy-ssl-verify-depth': ignored('backend TLS verification is the tunnel\'s'),
  'proxy-ssl-name': ignored('backend TLS verification is the tunnel\'s'),
  'proxy-ssl-server-name': ignored('backend TLS verification is the tunnel\'s'),
  'proxy-ssl-protocols': ignored('backend TLS verification is the tunnel\'s'),
  'proxy-ssl-ciphers': ignored('backend TLS verification is the tunnel\'s'),
  'auth-tls-secret': ignored('client certificates are Cloudflare mTLS settings of the zone'),
  'auth-tls-verify-client': ignored('client certificates are Cloudflare mTLS settings of the zone'),
  'auth-tls-verify-depth': ignored('client certificates are Cloudflare mTLS settings of the zone'),
  'auth-tls-error-page': ignored('client certificates are Cloudflare mTLS settings of the zone'),
  'auth-tls-pass-certificate-to-upstream': ignored('client certificates are Cloudflare mTLS settings of the zone'),
  'auth-tls-match-cn': ignored('client certificates are Cloudflare mTLS settings of the zone'),
  'mirror-target': ignored('request mirroring is not implemented'),
  'mirror-host': ignored('request mirroring is not implemented'),
  'mirror-request-body': ignored('request mirroring is not implemented'),
  'upstream-hash-by': ignored(POD_ADDRESSING),
  'upstream-hash-by-subset': ignored(POD_ADDRESSING),
  'upstream-hash-by-subset-size': ignored(POD_ADDRESSING),
  'load-balance': ignored(POD_ADDRESSING),
  'limit-connections': ignored('concurrent connections per client cannot be counted at the edge'),
  'limit-rate': ignored('response bandwidth cannot be throttled at the edge'),
  'limit-rate-after': ignored('response bandwidth cannot be throttled at the edge'),
  'enable-access-log': ignored('the edge logs through Workers logs'),
  'enable-rewrite-log': ignored('the edge logs through Workers logs'),
  'enable-opentelemetry': ignored('tracing is not implemented'),
  'opentelemetry-trust-incoming-span': ignored('tracing is not implemented'),
  'connection-proxy-header': ignored('the Workers runtime manages upstream connections'),
  'http2-push-preload': ignored('HTTP/2 push is not supported by the edge'),
  'satisfy': ignored('allow-list and authentication both apply'),
  'server-alias': supported,
  'custom-headers': supported,
  'canary': supported,
  'canary-by-header': supported,
  'canary-by-header-value': supported,
  'canary-by-header-pattern': approximated('run on the edge\'s linear-time engine; PCRE-only constructs are refused'),
  'canary-by-cookie': supported,
  'canary-weight': supported,
  'canary-weight-total': supported,
  'affinity': approximated('cookie only; the value is opaque and tamper-evident (as the Traefik dialect\'s sticky cookie), a session cookie with path /'),
  'affinity-mode': ignored('the edge keeps a client on its pod while the pod exists (persistent)'),
  'session-cookie-name': supported,
  'session-cookie-path': ignored('the cookie has path /'),
  'session-cookie-max-age': ignored('the cookie is a session cookie'),
  'session-cookie-expires': ignored('the cookie is a session cookie'),
  'session-cookie-samesite': supported,
  'session-cookie-secure': supported,
  'limit-rps': approximated(LIMITS),
  'limit-rpm': approximated(LIMITS),
  'limit-burst-multiplier': approximated(LIMITS),
  'limit-whitelist': supported,
};

/** Full keys the nginx dialect reads and acts on (supported or approximated). */
export const NGINX_DIALECT_KEYS: ReadonlySet<string> = new Set(
  Object.entries(NGINX_ANNOTATIONS)
    .filter(([, annotation]) => annotation.status !== 'ignored')
    .map(([name]) => NGINX_PREFIX + name),
);

/** Full keys the nginx dialect knows, ignored ones included (it reports those itself). */
export const NGINX_KNOWN_KEYS: ReadonlySet<string> = new Set(Object.keys(NGINX_ANNOTATIONS).map((name) => NGINX_PREFIX + name));

/** An annotation's value by name (after the prefix), or undefined. */
export function nginxAnnotation(annotations: Readonly<Record<string, string>>, name: string): { key: string; value: string } | undefined {
  const key = NGINX_PREFIX + name;
  const value = annotations[key];
  return typeof value === 'string' ? { key, value } : undefined;
}
