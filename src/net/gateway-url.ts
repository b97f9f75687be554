/**
 * Gateway API's path and Location rules (HTTPRoute `HTTPPathModifier`,
 * `HTTPRequestRedirectFilter`), as pure functions the worker and `explain`
 * share, so both give the same answer.
 *
 * @example
 * ```ts
 * replacePrefixMatch('/foo/bar', '/foo', '/xyz');   // '/xyz/bar'
 * replacePrefixMatch('/foo', '/foo', '/');           // '/'
 * redirectLocation({ scheme: 'http', host: 'a.example', port: undefined, path: '/x', search: '' }, { scheme: 'https', status: 301 });
 * // 'https://a.example/x'
 * ```
 */
/** The path field of a redirect (`PathModifierSchema` of `src/table/gateway-middleware.ts`, stated here so `src/net` depends on nothing). */
export type PathModifier = { readonly type: 'full'; readonly value: string } | { readonly type: 'prefix'; readonly prefix: string; readonly value: string };

const WELL_KNOWN_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

/**
 * ReplacePrefixMatch, element-wise: the path's leading `prefix` (a whole
 * path element or elements; a trailing `/` of the prefix does not count) is
 * replaced by `value` (its trailing `/` does not count either), and an empty
 * result is `/`. The spec's table (httproute_types.go, `HTTPPathModifier`):
 * `/foo/bar` with `/foo` → `/xyz` or `/xyz/` is `/xyz/bar`; `/foo/` → `/xyz`
 * is `/xyz/`; `/foo` → `/` is `/`. A path that does not start with the
 * prefix is returned unchanged (undefined).
 */
export function replacePrefixMatch(path: string, prefix: string, value: string): string | undefined {
  const element = withoutTrailingSlash(prefix);
  let rest: string;
  if (path === element) rest = '';
  else if (path.startsWith(element) && path.charCodeAt(element.length) === SLASH) rest = path.slice(element.length);
  else if (element === '') rest = path;
  else return undefined;
  const replaced = withoutTrailingSlash(value) + rest;
  return replaced === '' ? '/' : replaced.startsWith('/') ? replaced : `/${replaced}`;
}

const SLASH = 47;

function withoutTrailingSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

/** What the client asked for: scheme, host without port, the port it named (if any), path and `?query`. */
export interface ClientUrl {
  readonly scheme: 'http' | 'https';
  readonly host: string;
  readonly port: number | undefined;
  readonly path: string;
  readonly search: string;
}

/** The fields of a RequestRedirect; absent ones keep the request's. */
export interface RedirectFields {
  readonly scheme?: 'http' | 'https' | undefined;
  readonly hostname?: string | undefined;
  readonly port?: number | undefined;
  readonly path?: PathModifier | undefined;
}

/**
 * The Location of a RequestRedirect. Port, per the spec: a configured port
 * is used; without one, a changed scheme takes its well-known port, and an
 * unchanged scheme the port the request came in on (the listener's). The
 * port is left out when it is the well-known port of the Location's scheme.
 * The query is kept.
 */
export function redirectLocation(request: ClientUrl, redirect: RedirectFields): string {
  const scheme = redirect.scheme ?? request.scheme;
  const port = redirect.port ?? (redirect.scheme !== undefined ? WELL_KNOWN_PORTS[scheme] : (request.port ?? WELL_KNOWN_PORTS[request.scheme]));
  const host = redirect.hostname ?? request.host;
  let path = request.path;
  if (redirect.path?.type === 'full') path = redirect.path.value;
  else if (redirect.path?.type === 'prefix') path = replacePrefixMatch(request.path, redirect.path.prefix, redirect.path.value) ?? request.path;
  const shownPort = port === undefined || port === WELL_KNOWN_PORTS[scheme] ? '' : `:${port}`;
  return `${scheme}://${host}${shownPort}${path}${request.search}`;
}
