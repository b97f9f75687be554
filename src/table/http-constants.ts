/**
 * Constants of the HTTP-shaping middleware kinds (`./http-middleware.ts`)
 * that the worker reads too, in a module without zod so that the worker's
 * bundle does not carry it.
 */

/** Limits of these kinds, as data (the compiler names them in its diagnostics). */
export const HTTP_MIDDLEWARE_LIMITS = {
  /** Longest regex source accepted (Go source and its JavaScript translation). */
  regexSource: 1000,
  /** Highest capture group a replacement can name. */
  group: 999,
  /** Error pages per Ingress. */
  errorPages: 32,
} as const;

/** In an nginx auth template, this group number stands for `$escaped_request_uri` (group 5, URI-escaped). */
export const ESCAPED_REQUEST_URI_GROUP = 9;

/**
 * The request URL `scheme://Host/path?query` the worker builds, split for
 * nginx-variable templates (the nginx dialect): 1 scheme, 2 Host header,
 * 3 host without port, 4 `:port`, 5 path and query (`$request_uri`), 6 path
 * (`$uri`), 7 `?query`, 8 query (`$args`). Auth templates may also name
 * {@link ESCAPED_REQUEST_URI_GROUP}.
 */
export const REQUEST_URL: { readonly source: string; readonly flags: string } = { source: '^([a-z]+)://(([^/:?]*|\\[[^\\]]*\\])(:[0-9]+)?)(([^?]*)(\\?(.*))?)$', flags: '' };

