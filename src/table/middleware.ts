/**
 * Middleware entries of the routing table: one zod schema per kind, joined in
 * a discriminated union on `kind`. Every value is already parsed and checked
 * by the compiler; the worker only reads fields.
 *
 * To add a kind: define its schema here, add it to {@link MiddlewareSchema},
 * place it in {@link PIPELINE_ORDER} (`./pipeline.ts`) and give the worker a
 * factory under `worker/middleware/<kind>/`.
 *
 * @example
 * ```ts
 * const strip: Middleware = { kind: 'strip-prefix', prefix: '/api' };
 * ```
 */
import { z } from 'zod';
import { normalizeRange } from '../net/ip-range.ts';
import { passwordHashFormat } from './credentials.ts';
import { BufferingMiddlewareSchema, CircuitBreakerMiddlewareSchema, MaxConnMiddlewareSchema, RateLimitMiddlewareSchema } from './traffic.ts';
import {
  AddPrefixMiddlewareSchema, CanaryMiddlewareSchema, UpstreamHostMiddlewareSchema, UpstreamTimeoutMiddlewareSchema, CorsMiddlewareSchema, CustomHeadersMiddlewareSchema, ErrorPagesMiddlewareSchema, PassTlsClientCertMiddlewareSchema,
  RedirectMiddlewareSchema, ReplacePathRegexMiddlewareSchema, SecurityHeadersMiddlewareSchema,
} from './http-middleware.ts';

import {
  GatewayRedirectMiddlewareSchema, HeaderModifierMiddlewareSchema, ReplacePrefixMiddlewareSchema, RequestMirrorMiddlewareSchema,
} from './gateway-middleware.ts';
import { HeaderNameSchema } from './header-schemas.ts';
import { ReplacementSchema } from './http-middleware.ts';

export { HeaderNameSchema, HeaderValueSchema } from './header-schemas.ts';

/**
 * Answers the route with a fixed status before anything else runs. The
 * compiler emits it where a route's protection could not be compiled (it fails
 * closed: the path stays claimed, nobody is let through).
 */
export const DenyMiddlewareSchema = z.object({
  kind: z.literal('deny'),
  status: z.union([z.literal(403), z.literal(404), z.literal(503)]),
  /** Why, for logs and `explain` (never sent to the client). */
  reason: z.string(),
});

/**
 * Removes `prefix` from the front of the upstream path (Traefik `PathPrefixStrip`
 * and `PathStrip`), keeps a leading `/`, and adds `X-Forwarded-Prefix: <prefix>`.
 */
export const StripPrefixMiddlewareSchema = z.object({
  kind: z.literal('strip-prefix'),
  prefix: z.string().startsWith('/'),
});

/** Replaces the upstream path with `path` and adds `X-Replaced-Path: <previous path>`. */
export const ReplacePathMiddlewareSchema = z.object({
  kind: z.literal('replace-path'),
  path: z.string().startsWith('/'),
});

/** A user name as a header value can carry it (no `:`, no control characters). */
const UserSchema = z.string().min(1).max(256).regex(/^[^\x00-\x1f\x7f:]+$/, 'not a usable user name');

/** `namespace/name` of the Secret the users came from (ids, logs and `explain`). */
const SecretRefSchema = z.string().min(3);

/** The options basic and digest auth share (`auth-remove-header`, `auth-header-field`). */
const CredentialOptions = {
  secret: SecretRefSchema,
  /** Remove `Authorization` before proxying. */
  removeHeader: z.boolean(),
  /** Header that carries the authenticated user upstream (a client's copy is removed first). */
  headerField: HeaderNameSchema.optional(),
};

/**
 * `whitelist-source-range` with `whitelist-x-forwarded-for`; with `deny`,
 * ingress-nginx's `denylist-source-range`: the ranges are refused (403) and
 * everyone else let in.
 */
export const IpAllowListMiddlewareSchema = z.object({
  kind: z.literal('ip-allow-list'),
  deny: z.literal(true).optional(),
  /** Canonical CIDRs (`10.0.0.0/8`, `2001:db8::/32`); a bare address is `/32` or `/128`. */
  ranges: z.array(z.string().refine((range) => normalizeRange(range) === range, 'not a canonical CIDR')).min(1),
  /** Also let in a request any of whose `X-Forwarded-For` elements is in range (spoofable, as in Traefik). */
  useXForwardedFor: z.boolean(),
});

/** `auth-type: basic`: htpasswd users. */
export const BasicAuthMiddlewareSchema = z.object({
  kind: z.literal('basic-auth'),
  ...CredentialOptions,
  /** The challenge's realm (ingress-nginx `auth-realm`); absent: Traefik's `traefik`. */
  realm: z.string().max(256).regex(/^[^"\\\x00-\x1f\x7f]*$/, 'not a realm a challenge can quote').optional(),
  users: z
    .array(z.object({ user: UserSchema, hash: z.string().refine((hash) => passwordHashFormat(hash) !== undefined, 'not an accepted password hash') }))
    .min(1),
});

/** `auth-type: digest`: htdigest users of realm `traefik` (HA1 = MD5(user:realm:password), lower-case hex). */
export const DigestAuthMiddlewareSchema = z.object({
  kind: z.literal('digest-auth'),
  ...CredentialOptions,
  users: z.array(z.object({ user: UserSchema, ha1: z.string().regex(/^[0-9a-f]{32}$/) })).min(1),
});

/**
 * ingress-nginx's external auth. Templates are replacements over the request
 * URL `scheme://Host/path?query` matched by `REQUEST_URL` of
 * `src/compile/nginx/template.ts` (nginx variables already resolved to groups).
 * The answer: 2xx lets the request on, 401 answers 401 (or, with `signin`, a
 * 302 to it with `<signinParam>=<the request URL>` appended unless the
 * template has it), 403 answers 403, anything else 500.
 */
export const NginxAuthSchema = z.object({
  /** `auth-url`, as a template. */
  url: ReplacementSchema,
  /** `auth-method`; absent: the request's own method (no body is sent). */
  method: z.string().regex(/^[A-Z]{1,20}$/).optional(),
  /** `auth-signin`, as a template. */
  signin: ReplacementSchema.optional(),
  /** `auth-signin-redirect-param`. */
  signinParam: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
  /** `auth-request-redirect` (sent as `X-Auth-Request-Redirect`), as a template; absent: the request's path and query. */
  requestRedirect: ReplacementSchema.optional(),
});

/** `auth-type: forward`. */
export const ForwardAuthMiddlewareSchema = z.object({
  kind: z.literal('forward-auth'),
  /** Called with a GET exactly as written (`auth-url`). */
  address: z.url({ protocol: /^https?$/ }),
  /** `auth-trust-headers`: pass the client's `X-Forwarded-*` on as they are. */
  trustForwardHeader: z.boolean(),
  /** `auth-response-headers`, canonical names: copied from a 2xx answer onto the request. */
  responseHeaders: z.array(HeaderNameSchema),
  /** `auth-tls-secret`: the mTLS certificate binding (wrangler.toml) that presents the client certificate. */
  tlsBinding: z.string().regex(/^[A-Z][A-Z0-9_]*$/).optional(),
  /** ingress-nginx's `auth-url` (nginx `auth_request`) instead of Traefik's forward auth. */
  nginx: NginxAuthSchema.optional(),
});

/** Every middleware kind the table can hold. */
export const MiddlewareSchema = z.discriminatedUnion('kind', [
  DenyMiddlewareSchema,
  StripPrefixMiddlewareSchema,
  ReplacePathMiddlewareSchema,
  IpAllowListMiddlewareSchema,
  BasicAuthMiddlewareSchema,
  DigestAuthMiddlewareSchema,
  ForwardAuthMiddlewareSchema,
  CircuitBreakerMiddlewareSchema,
  BufferingMiddlewareSchema,
  MaxConnMiddlewareSchema,
  RateLimitMiddlewareSchema,
  // HTTP shaping: ./http-middleware.ts
  AddPrefixMiddlewareSchema,
  ReplacePathRegexMiddlewareSchema,
  ErrorPagesMiddlewareSchema,
  RedirectMiddlewareSchema,
  CustomHeadersMiddlewareSchema,
  SecurityHeadersMiddlewareSchema,
  PassTlsClientCertMiddlewareSchema,
  // ingress-nginx dialect (docs/guides/migrating-from-ingress-nginx.md)
  CorsMiddlewareSchema,
  CanaryMiddlewareSchema,
  UpstreamHostMiddlewareSchema,
  UpstreamTimeoutMiddlewareSchema,
  // Gateway API HTTPRoute filters: ./gateway-middleware.ts
  HeaderModifierMiddlewareSchema,
  GatewayRedirectMiddlewareSchema,
  ReplacePrefixMiddlewareSchema,
  RequestMirrorMiddlewareSchema,
]);
export type Middleware = z.infer<typeof MiddlewareSchema>;
export type MiddlewareKind = Middleware['kind'];
/** The configuration of one middleware kind. */
export type MiddlewareOf<K extends MiddlewareKind> = Extract<Middleware, { kind: K }>;

export { middlewareServices } from './middleware-refs.ts';
