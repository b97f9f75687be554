/**
 * Paths and path fragments written in annotations (`AddPrefix`, `ReplacePath`,
 * rewrite targets, regex replacements, app-root, error-page queries), checked
 * and brought into the form the upstream path has: percent-encoded where a
 * URL path needs it (`/café` → `/caf%C3%A9`), existing escapes kept.
 *
 * @example
 * ```ts
 * encodePathText('/café/menu');          // { ok: true, text: '/caf%C3%A9/menu' }
 * encodePathText('/a b');                // { ok: false, error: 'contains whitespace or control characters' }
 * encodePathText('/x?y=1', { query: true }); // { ok: true, text: '/x?y=1' }
 * ```
 */

export type PathText = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Characters a URL path (and query) keeps as they are. */
const KEPT = /[A-Za-z0-9\-._~!$&'()*+,;=:@/%]/;
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

export interface PathTextOptions {
  /** A `?` may start a query (app-root, error-page queries). */
  readonly query?: boolean;
  /** Further characters kept as they are (`{`, `}` for `{status}`). */
  readonly keep?: string;
}

/** Checks a path or path fragment and percent-encodes what a path cannot hold literally. */
export function encodePathText(value: string, options: PathTextOptions = {}): PathText {
  if (/[\s\x00-\x1f\x7f]/.test(value)) return { ok: false, error: 'contains whitespace or control characters' };
  if (value.includes('#')) return { ok: false, error: 'contains a fragment (#)' };
  if (value.includes('\\')) return { ok: false, error: 'contains a backslash' };
  const question = value.indexOf('?');
  if (question !== -1 && !options.query) return { ok: false, error: 'contains a query (?)' };
  const path = question === -1 ? value : value.slice(0, question);
  if (path.split('/').some((element) => DOT_SEGMENT.test(element))) return { ok: false, error: 'contains a dot segment (. or ..)' };
  let text = '';
  for (const char of value) {
    text += KEPT.test(char) || char === '?' || options.keep?.includes(char) ? char : percentEncode(char);
  }
  return { ok: true, text };
}

/** The UTF-8 bytes of `char` as `%XX` escapes. */
export function percentEncode(char: string): string {
  return [...new TextEncoder().encode(char)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
