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
import { BufferingMiddlewareSchema, CircuitBreakerMiddlewareSchema, MaxConnMiddlewareSchema, RateLimitMiddlewareSchema } from './traffic.ts';

/** A header name as RFC 9110 allows it (token characters only). */
export const HeaderNameSchema = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name');
/** A header value without CR, LF, NUL or other control characters (tab allowed). */
export const HeaderValueSchema = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header value contains control characters');

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
  CircuitBreakerMiddlewareSchema,
  BufferingMiddlewareSchema,
  MaxConnMiddlewareSchema,
  RateLimitMiddlewareSchema,
]);
export type Middleware = z.infer<typeof MiddlewareSchema>;
export type MiddlewareKind = Middleware['kind'];
/** The configuration of one middleware kind. */
export type MiddlewareOf<K extends MiddlewareKind> = Extract<Middleware, { kind: K }>;
