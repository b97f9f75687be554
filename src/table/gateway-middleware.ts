/**
 * Middleware kinds that Gateway API HTTPRoute filters compile to
 * (docs/guides/gateway-api.md). Every value was checked by the compiler
 * (`src/compile/gateway/`); the worker only reads fields. Header values
 * pass {@link HeaderValueSchema}, so CR/LF in a configured value never reaches
 * the table.
 *
 * @example
 * ```ts
 * const modifier: MiddlewareOf<'header-modifier'> = {
 *   kind: 'header-modifier', phase: 'request', set: [['X-Env', 'prod']], add: [], remove: ['x-debug'],
 * };
 * ```
 */
import { z } from 'zod';
import { HeaderNameSchema, HeaderValueSchema } from './header-schemas.ts';
import { RedirectStatusSchema } from './http-middleware.ts';

const HeaderPairSchema = z.tuple([HeaderNameSchema, HeaderValueSchema]);

/** A path, or `''` where the spec allows an empty replacement prefix (it then removes the prefix). */
const ReplacementPrefixSchema = z.string().max(1024).regex(/^(\/.*)?$/, 'not empty or a path');

/**
 * RequestHeaderModifier (`phase: 'request'`, before the request goes upstream)
 * or ResponseHeaderModifier (`phase: 'response'`, on the answer the client
 * gets). Applied in the spec's order: `set` replaces every value, `add`
 * appends one more field value, `remove` deletes the header.
 */
export const HeaderModifierMiddlewareSchema = z.object({
  kind: z.literal('header-modifier'),
  phase: z.enum(['request', 'response']),
  set: z.array(HeaderPairSchema),
  add: z.array(HeaderPairSchema),
  remove: z.array(HeaderNameSchema),
});

/** A lower-case DNS name without a port (Gateway `PreciseHostname`). */
const PreciseHostnameSchema = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, 'not a lower-case host name');

/**
 * The path of a redirect or rewrite (HTTPPathModifier):
 * - `full`: the whole path becomes `value` (ReplaceFullPath);
 * - `prefix`: the request path's leading `prefix` (the router's matched
 *   Prefix, element-wise) becomes `value` (ReplacePrefixMatch).
 */
export const PathModifierSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('full'), value: z.string().startsWith('/').max(1024) }),
  z.object({ type: z.literal('prefix'), prefix: z.string().startsWith('/').max(1024), value: ReplacementPrefixSchema }),
]);
export type PathModifier = z.infer<typeof PathModifierSchema>;

/**
 * RequestRedirect: answers `status` with a Location built from the URL the
 * client sent, each absent field keeping the request's own. The port follows
 * the spec: given, it is written unless it is the scheme's well-known port
 * (80 for http, 443 for https); absent with a `scheme`, the new scheme's
 * well-known port (so none is written); absent otherwise, the request's port.
 */
export const GatewayRedirectMiddlewareSchema = z.object({
  kind: z.literal('gateway-redirect'),
  scheme: z.enum(['http', 'https']).optional(),
  hostname: PreciseHostnameSchema.optional(),
  port: z.number().int().min(1).max(65535).optional(),
  path: PathModifierSchema.optional(),
  status: RedirectStatusSchema,
});

/**
 * URLRewrite with ReplacePrefixMatch: the upstream path's leading `prefix`
 * (element-wise) becomes `value`, as the spec's table in the HTTPRoute API
 * shows (`/prefix/foo` with `/prefix` → `/xyz` is `/xyz/foo`; → `/` is `/foo`).
 * ReplaceFullPath compiles to `replace-path`, the hostname to `upstream-host`.
 */
export const ReplacePrefixMiddlewareSchema = z.object({
  kind: z.literal('replace-prefix'),
  prefix: z.string().startsWith('/').max(1024),
  value: ReplacementPrefixSchema,
});

/**
 * RequestMirror: a copy of the request goes to `service` (a service of the
 * table) after the response is under way (`ctx.waitUntil`); its answer is
 * discarded, and it never delays or changes the client's response.
 * `percent` (0–100, absent = 100) is the share of requests mirrored.
 */
export const RequestMirrorMiddlewareSchema = z.object({
  kind: z.literal('request-mirror'),
  service: z.string().min(1),
  percent: z.number().min(0).max(100).optional(),
});
