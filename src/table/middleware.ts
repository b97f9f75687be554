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
import {
  AddPrefixMiddlewareSchema, CustomHeadersMiddlewareSchema, ErrorPagesMiddlewareSchema, PassTlsClientCertMiddlewareSchema,
  RedirectMiddlewareSchema, ReplacePathRegexMiddlewareSchema, SecurityHeadersMiddlewareSchema,
} from './http-middleware.ts';

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

/** Every middleware kind the table can hold. */
export const MiddlewareSchema = z.discriminatedUnion('kind', [
  DenyMiddlewareSchema,
  StripPrefixMiddlewareSchema,
  ReplacePathMiddlewareSchema,
  // HTTP shaping (issue 4): ./http-middleware.ts
  AddPrefixMiddlewareSchema,
  ReplacePathRegexMiddlewareSchema,
  ErrorPagesMiddlewareSchema,
  RedirectMiddlewareSchema,
  CustomHeadersMiddlewareSchema,
  SecurityHeadersMiddlewareSchema,
  PassTlsClientCertMiddlewareSchema,
]);
export type Middleware = z.infer<typeof MiddlewareSchema>;
export type MiddlewareKind = Middleware['kind'];
/** The configuration of one middleware kind. */
export type MiddlewareOf<K extends MiddlewareKind> = Extract<Middleware, { kind: K }>;

/**
 * The table services a middleware sends requests to (an error page's pool),
 * so a shard carries them and a route refers to none that is missing.
 */
export function middlewareServices(middleware: Middleware): string[] {
  return middleware.kind === 'error-pages' ? middleware.pages.map((page) => page.service) : [];
}
