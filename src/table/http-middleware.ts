/**
 * Middleware kinds that shape the HTTP exchange: path modifiers,
 * redirects, custom and security headers, error pages and client-certificate
 * headers. Every value here was parsed and checked by the compiler
 * (`src/compile/annotations/`); regexes are already in JavaScript syntax and
 * replacement templates already split into literal text and group numbers,
 * so the worker compiles each regex once and never parses a template.
 *
 * @example
 * ```ts
 * const rewrite: MiddlewareOf<'replace-path-regex'> = {
 *   kind: 'replace-path-regex',
 *   regex: { source: '^/api(.*)', flags: '' },
 *   replacement: ['/v2', 1],
 * };
 * ```
 */
import { z } from 'zod';
import { HeaderNameSchema, HeaderValueSchema } from './header-schemas.ts';
import { HTTP_MIDDLEWARE_LIMITS } from './http-constants.ts';

// Kept importable from here; they live apart so that the worker reads them without zod.
export { ESCAPED_REQUEST_URI_GROUP, HTTP_MIDDLEWARE_LIMITS, REQUEST_URL } from './http-constants.ts';

/** A regex in JavaScript syntax; `flags` only from `i`, `m`, `s` (the worker adds `g`). */
export const RegexSchema = z.object({
  source: z.string().min(1).max(HTTP_MIDDLEWARE_LIMITS.regexSource),
  flags: z.string().regex(/^i?m?s?$/, 'flags are a subset of "ims" in that order'),
});
export type RegexSpec = z.infer<typeof RegexSchema>;

/**
 * A Go replacement template (`/v2/$1`, `${name}`) compiled to parts: a string
 * is literal text, a number the text of that capture group (empty when the
 * group did not take part in the match, as in Go).
 */
export const ReplacementSchema = z.array(z.union([z.string(), z.number().int().min(0).max(HTTP_MIDDLEWARE_LIMITS.group)]));
export type Replacement = z.infer<typeof ReplacementSchema>;

/** Traefik `AddPrefix`: the upstream path becomes `prefix + path`. */
export const AddPrefixMiddlewareSchema = z.object({
  kind: z.literal('add-prefix'),
  prefix: z.string().startsWith('/'),
});

/**
 * Traefik `ReplacePathRegex` (also what `rewrite-target` compiles to): when
 * the regex matches the upstream path, every match is replaced and the pod
 * gets the path before in `X-Replaced-Path`; otherwise nothing changes.
 */
export const ReplacePathRegexMiddlewareSchema = z.object({
  kind: z.literal('replace-path-regex'),
  regex: RegexSchema,
  replacement: ReplacementSchema,
});

/**
 * Where a frontend redirect sends the client. Built from the URL the client
 * sent (docs/design/decisions.md#decision-8-redirects-see-the-client-url), never from the path modifiers' result.
 * - `app-root`: a request for exactly `/` goes to `path` (docs/design/decisions.md#decision-9-app-root-fires-on-the-root-path);
 * - `scheme`: a request of the other scheme goes to `scheme://host:port` + path and query;
 * - `regex`: the full URL `scheme://Host/path?query` is rewritten; no change, no redirect.
 */
export const RedirectTargetSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('app-root'), path: z.string().startsWith('/') }),
  z.object({ type: z.literal('scheme'), scheme: z.enum(['http', 'https']), port: z.number().int().min(1).max(65535) }),
  z.object({ type: z.literal('regex'), regex: RegexSchema, replacement: ReplacementSchema }),
]);

/** The statuses a redirect can answer with. */
export const RedirectStatusSchema = z.union([z.literal(301), z.literal(302), z.literal(303), z.literal(307), z.literal(308)]);

/**
 * app-root, redirect-entry-point or redirect-regex: 302/307, or 301/308 when
 * `permanent`; `status`, when set, is used for every method instead
 * (ingress-nginx's `return <code>`).
 */
export const RedirectMiddlewareSchema = z.object({
  kind: z.literal('redirect'),
  permanent: z.boolean(),
  status: RedirectStatusSchema.optional(),
  to: RedirectTargetSchema,
});

const HeaderPairSchema = z.tuple([HeaderNameSchema, HeaderValueSchema]);

/** Headers to set (replacing any value) and headers to remove. */
export const HeaderEditsSchema = z.object({
  set: z.array(HeaderPairSchema),
  remove: z.array(HeaderNameSchema),
});
export type HeaderEdits = z.infer<typeof HeaderEditsSchema>;

/**
 * `custom-request-headers` and `custom-response-headers`. Request edits apply
 * before the security checks and auth; response edits apply to responses
 * that came from a pod only, after the security headers (so they win).
 */
export const CustomHeadersMiddlewareSchema = z.object({
  kind: z.literal('custom-headers'),
  request: HeaderEditsSchema,
  response: HeaderEditsSchema,
});

/**
 * The security-header annotations (Traefik's `secure` middleware), with
 * `is-development` already applied by the compiler.
 */
export const SecurityHeadersMiddlewareSchema = z.object({
  kind: z.literal('security-headers'),
  /** `proxy-headers`: request headers that name the host, consulted in order before `Host`. */
  hostHeaders: z.array(HeaderNameSchema),
  /** `allowed-hosts`, lower case; absent means no check. An empty list lets no host through. */
  allowedHosts: z.array(z.string()).optional(),
  /** `ssl-proxy-headers`: any exact match marks the request as secure. */
  sslProxyHeaders: z.array(HeaderPairSchema),
  /** `ssl-redirect`: a request that is not secure is redirected to https. */
  sslRedirect: z.boolean(),
  /** `ssl-force-host`: a request for another host than `sslHost` is redirected to it. */
  sslForceHost: z.boolean(),
  /** `ssl-host`: the host of SSL redirects (the request's own host when absent). */
  sslHost: z.string().optional(),
  /** 301, or 307 with `ssl-temporary-redirect`. */
  sslRedirectStatus: z.union([z.literal(301), z.literal(307)]),
  /** Set on every pod response (frame options, nosniff, XSS, CSP, referrer policy, forced HSTS). */
  responseHeaders: z.array(HeaderPairSchema),
  /** Set on pod responses to secure requests only (HSTS unless forced, HPKP). */
  secureResponseHeaders: z.array(HeaderPairSchema),
});

/** Fields of a distinguished name in `X-Forwarded-Tls-Client-Cert-Infos`, in Traefik's order. */
export const DN_FIELDS = ['DC', 'C', 'ST', 'L', 'O', 'SN', 'CN'] as const;
export const DnFieldSchema = z.enum(DN_FIELDS);
export type DnField = z.infer<typeof DnFieldSchema>;

/**
 * `pass-client-tls-cert` (and `pass-tls-cert`): the verified client
 * certificate the edge saw, as Traefik's `X-Forwarded-Tls-Client-Cert` (PEM
 * bodies) and `X-Forwarded-Tls-Client-Cert-Infos` headers.
 */
export const PassTlsClientCertMiddlewareSchema = z.object({
  kind: z.literal('pass-tls-client-cert'),
  pem: z.boolean(),
  infos: z.object({
    notBefore: z.boolean(),
    notAfter: z.boolean(),
    sans: z.boolean(),
    subject: z.array(DnFieldSchema),
    issuer: z.array(DnFieldSchema),
  }),
});

/**
 * `error-pages`: a response whose status is in one of a page's ranges is
 * answered with that page, fetched with GET from `service` (a pool of the
 * table) at `path` with `{status}` replaced, keeping the original status.
 * Pages are tried in order (sorted by name); the first whose ranges match answers.
 */
export const ErrorPagesMiddlewareSchema = z.object({
  kind: z.literal('error-pages'),
  pages: z
    .array(
      z.object({
        name: z.string(),
        statuses: z.array(z.tuple([z.number().int().min(100).max(599), z.number().int().min(100).max(599)])).min(1),
        service: z.string().min(1),
        path: z.string().startsWith('/'),
        /**
         * ingress-nginx `custom-http-errors`: the page request carries nginx's
         * `X-Code`, `X-Format`, `X-Original-URI`, `X-Namespace`,
         * `X-Ingress-Name`, `X-Service-Name` and `X-Service-Port` (its
         * custom-errors guide), naming this Ingress.
         */
        nginx: z.object({ namespace: z.string().min(1), ingress: z.string().min(1) }).optional(),
      }),
    )
    .min(1)
    .max(HTTP_MIDDLEWARE_LIMITS.errorPages),
});

/**
 * ingress-nginx `enable-cors` with the `cors-*` annotations (its cors
 * template): when the request's `Origin` is allowed (always with `*`), the
 * response gets the `Access-Control-*` headers, and an `OPTIONS` preflight
 * is answered 204 by the edge with them; other requests pass unchanged.
 */
export const CorsMiddlewareSchema = z.object({
  kind: z.literal('cors'),
  /** `*`, or origins in lower case: `https://a.example.com[:port]` or `https://*.example.com` (one label). */
  origins: z.array(z.string().regex(/^(\*|https?:\/\/(\*\.)?[a-z0-9.-]+(:[0-9]{1,5})?)$/)).min(1),
  methods: HeaderValueSchema,
  headers: HeaderValueSchema,
  exposeHeaders: HeaderValueSchema.optional(),
  credentials: z.boolean(),
  maxAge: z.number().int().min(0),
});

/**
 * ingress-nginx's canary (`canary` and `canary-*` on a second Ingress of the
 * same host and path; rootfs/etc/nginx/lua/balancer.lua
 * `route_to_alternative_balancer`): the request goes to `service` instead of
 * the route's own when, in this order, the header says so (`headerValue`
 * equal, else `headerPattern` matching, else `always`; `never` stops), the
 * cookie is `always` (`never` stops), or a draw of `weight` in `total` wins.
 */
export const CanaryMiddlewareSchema = z.object({
  kind: z.literal('canary'),
  /** The canary's pool (a service of the table). */
  service: z.string().min(1),
  header: HeaderNameSchema.optional(),
  headerValue: z.string().max(1024).optional(),
  headerPattern: RegexSchema.optional(),
  cookie: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/).optional(),
  weight: z.number().int().min(0),
  total: z.number().int().min(100),
});

/**
 * ingress-nginx `proxy-read-timeout`: how long the pod may take to answer
 * with its headers on this route, instead of the worker's
 * `UPSTREAM_TIMEOUT_MS` (504 after it). At most 100 s, Cloudflare's own
 * limit for a proxied answer.
 */
export const UpstreamTimeoutMiddlewareSchema = z.object({
  kind: z.literal('upstream-timeout'),
  ms: z.number().int().min(1).max(100_000),
});

/** ingress-nginx `upstream-vhost`: the Host sent upstream, instead of the client's or the endpoint's. */
export const UpstreamHostMiddlewareSchema = z.object({
  kind: z.literal('upstream-host'),
  host: z.string().max(300).regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$/, 'not a host name with an optional port'),
});
