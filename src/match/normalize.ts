/**
 * Request host and path normalisation, done once per request before matching.
 *
 * Hosts: lower case, port and one trailing dot removed (docs/design/decisions.md#decision-7-host-matching-ignores-port-and-case).
 *
 * Paths: the worker receives WHATWG-parsed URLs, so `/a/./b` and `/a/../b`
 * are already resolved. On top of that:
 * - percent-encoded unreserved characters are decoded (`/%61dmin` is `/admin`,
 *   RFC 3986 §6.2.2.2), and dot segments that decoding reveals are resolved;
 * - runs of slashes are merged (`//admin` is `/admin`), as nginx does;
 * - the result is what the upstream receives, so the route chosen and the
 *   path the pod sees never disagree.
 * For matching only, an encoded slash or backslash (`%2F`, `%5C`) also
 * separates path elements, so `/admin%2Fx` is routed like `/admin/x` while
 * the upstream still receives `%2F`; and `;parameters` are no part of an
 * element (`/admin;jsessionid=1` is routed like `/admin`), as Tomcat, Jetty
 * and Spring read them, so no backend sees a protected path through an open
 * route. A dot segment hidden behind an encoded slash (`/a/..%2Fadmin`) or
 * parameters (`/x/..;/admin`) is rejected: its meaning depends on the
 * backend; so is an encoded control character (`/admin%00`), which some
 * servers cut the path at and no path needs.
 *
 * @example
 * ```ts
 * normalizeHost('Shop.Example.COM:8443'); // 'shop.example.com'
 * normalizePath('/%61pi//v1');             // { upstream: '/api/v1', match: '/api/v1' }
 * ```
 */

/**
 * Whether a Host header names something the edge can route (SECURITY.md, findings and fixes): no
 * empty label (`.example` must not reach `*.example`, nor `a..example`), one
 * trailing dot at most, and a port, when there is one, of 0-65535. Anything
 * else is a 400, never a 500 or a match.
 */
export function isRoutableHost(hostHeader: string): boolean {
  const host = hostHeader.trim();
  let name = host;
  let port = '';
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end === -1) return false;
    name = '';
    port = host.slice(end + 1);
    if (port !== '' && !port.startsWith(':')) return false;
    port = port.slice(1);
  } else {
    const colon = host.indexOf(':');
    if (colon !== -1) {
      name = host.slice(0, colon);
      port = host.slice(colon + 1);
    }
  }
  if (!/^\d{0,5}$/.test(port) || Number(port) > 65535) return false;
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name === '' ? !host.startsWith('.') : !name.split('.').includes('');
}

/** Lower-cases the host and drops the port and a trailing dot. */
export function normalizeHost(hostHeader: string): string {
  let host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  if (colon !== -1) host = host.slice(0, colon);
  if (host.endsWith('.')) host = host.slice(0, -1);
  return host;
}

/** The two forms of a normalised request path. */
export interface NormalizedPath {
  /** Sent upstream (before path modifiers); encoded slashes kept. */
  readonly upstream: string;
  /** Matched against routes; encoded slashes count as separators. */
  readonly match: string;
}

const UNRESERVED_ESCAPE = /%(4[1-9A-F]|5[0-9A]|6[1-9A-F]|7[0-9A]|3[0-9]|2[DE]|5F|7E)/gi;
const ENCODED_SEPARATOR = /%(2F|5C)/i;
const ENCODED_SEPARATORS = /%(2F|5C)/gi;

/**
 * Normalises a WHATWG URL pathname, or returns `null` when the path hides a
 * dot segment behind an encoded separator or parameters, or holds an encoded
 * control character (the caller answers 400).
 */
export function normalizePath(pathname: string): NormalizedPath | null {
  if (!pathname.includes('%') && !pathname.includes('//') && !pathname.includes(';')) {
    return { upstream: pathname, match: pathname };
  }
  if (CONTROL_ESCAPE.test(pathname)) return null;
  let upstream = pathname.replace(UNRESERVED_ESCAPE, (escape) => decodeURIComponent(escape));
  upstream = resolveDotSegments(mergeSlashes(upstream));
  const separated = ENCODED_SEPARATOR.test(upstream);
  if (!separated && !upstream.includes(';')) return { upstream, match: upstream };
  let match = separated ? upstream.replace(ENCODED_SEPARATORS, '/') : upstream;
  match = mergeSlashes(match.replace(PARAMETERS, ''));
  if (hasDotSegment(match)) return null;
  return { upstream, match };
}

/** `%00`–`%1F` and `%7F`. */
export const CONTROL_ESCAPE = /%(?:[01][0-9A-F]|7F)/i;
/** `;parameters` of a path element (RFC 3986 §3.3), up to the next `/`. */
const PARAMETERS = /;[^/]*/g;

function mergeSlashes(path: string): string {
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
}

function hasDotSegment(path: string): boolean {
  return path.split('/').some((element) => element === '.' || element === '..');
}

/** RFC 3986 §5.2.4, for paths that decoding gave new `.`/`..` elements. */
function resolveDotSegments(path: string): string {
  if (!hasDotSegment(path)) return path;
  const output: string[] = [];
  const elements = path.split('/').slice(1);
  elements.forEach((element, index) => {
    const last = index === elements.length - 1;
    if (element === '..') {
      output.pop();
      if (last) output.push('');
    } else if (element === '.') {
      if (last) output.push('');
    } else {
      output.push(element);
    }
  });
  return '/' + output.join('/');
}

/**
 * A rule path in the form request paths take after {@link normalizePath}:
 * percent-encoded as a WHATWG URL encodes it (`/café` → `/caf%C3%A9`), then
 * normalised the same way, so the compiler's rule paths and the worker's
 * request paths compare byte for byte.
 *
 * @example
 * ```ts
 * canonicalRulePath('/café');   // '/caf%C3%A9'
 * canonicalRulePath('/%61pi');  // '/api'
 * ```
 */
export function canonicalRulePath(path: string): string {
  const url = URL.parse(path.replace(/[?#]/g, (character) => encodeURIComponent(character)), 'http://rule.invalid');
  const pathname = url?.pathname ?? path;
  return normalizePath(pathname)?.match ?? pathname;
}
