/**
 * nginx variables in annotation values (`permanent-redirect`, `auth-url`,
 * `auth-signin`, …) compiled into a replacement over the request URL the
 * worker builds, `scheme://Host/path?query`, matched by {@link REQUEST_URL}.
 * Only variables with a meaning at the edge are accepted; anything else is
 * refused (a value that would change meaning is never half honoured).
 *
 * @example
 * ```ts
 * nginxTemplate('https://$host/oauth2/start?rd=$request_uri');
 * // { ok: true, parts: ['https://', 3, '/oauth2/start?rd=', 5] }
 * ```
 */
import { ESCAPED_REQUEST_URI_GROUP, type Replacement } from '../../table/http-middleware.ts';

export { REQUEST_URL } from '../../table/http-middleware.ts';

const VARIABLES: Readonly<Record<string, number>> = {
  scheme: 1,
  http_host: 2,
  best_http_host: 2,
  host: 3,
  server_name: 3,
  request_uri: 5,
  uri: 6,
  document_uri: 6,
  args: 8,
  query_string: 8,
};

export type TemplateResult = { readonly ok: true; readonly parts: Replacement } | { readonly ok: false; readonly error: string };

/**
 * Compiles `$name`, `${name}` and `$is_args$args`; other `$` uses are
 * refused. `escaped` admits `$escaped_request_uri` (auth templates, whose
 * worker escapes it).
 */
export function nginxTemplate(value: string, options: { readonly escaped?: boolean } = {}): TemplateResult {
  const parts: (string | number)[] = [];
  const text = (literal: string) => {
    if (literal === '') return;
    const last = parts[parts.length - 1];
    if (typeof last === 'string') parts[parts.length - 1] = last + literal;
    else parts.push(literal);
  };
  const pattern = /\$(?:\{([a-z_]+)\}|([a-z_]+))/gi;
  let at = 0;
  for (let m = pattern.exec(value); m; m = pattern.exec(value)) {
    text(value.slice(at, m.index));
    const name = (m[1] ?? m[2] ?? '').toLowerCase();
    if (name === 'is_args' && value.startsWith('$args', pattern.lastIndex)) {
      parts.push(7);
      pattern.lastIndex += '$args'.length;
    } else {
      const group = name === 'escaped_request_uri' && options.escaped ? ESCAPED_REQUEST_URI_GROUP : VARIABLES[name];
      if (group === undefined) return { ok: false, error: `uses the nginx variable $${name}, which the edge does not provide` };
      parts.push(group);
    }
    at = pattern.lastIndex;
  }
  const rest = value.slice(at);
  if (rest.includes('$')) return { ok: false, error: 'has a "$" that is not an nginx variable' };
  text(rest);
  return { ok: true, parts };
}
