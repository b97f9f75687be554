/** Checks shared by the factories of path-modifying middlewares. */

const FORBIDDEN_IN_PATH = /[?#\\\s\x00-\x1f\x7f]/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * A table path (`/api`, `/café`) in the form the upstream path has: percent-
 * encoded as a WHATWG URL encodes it, so it compares with the request's path
 * and is safe as a header value. Throws when the value is not a plain path.
 */
export function encodedPath(value: string, field: string): string {
  if (!value.startsWith('/') || FORBIDDEN_IN_PATH.test(value)) {
    throw new Error(`${field} must be a path without query, fragment, backslash, spaces or control characters`);
  }
  if (value.split('/').some((element) => DOT_SEGMENT.test(element))) {
    throw new Error(`${field} must not contain dot segments`);
  }
  return new URL(`http://edge.invalid${value}`).pathname;
}
