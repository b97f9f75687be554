/**
 * Rule paths as ingress-nginx routes them (docs/user-guide/ingress-path-matching.md):
 *
 * | host        | pathType               | match                                       |
 * |-------------|------------------------|---------------------------------------------|
 * | plain       | Exact                  | exact                                       |
 * | plain       | Prefix                 | element-wise prefix                         |
 * | plain       | ImplementationSpecific | string prefix (nginx `location /p`)         |
 * | regex host  | any                    | `regex`: `^<path>`, case-insensitive, prefix |
 *
 * On a plain host, a Prefix or ImplementationSpecific path ending in `/`
 * answers the same path without it with nginx's 301 to the slashed path.
 * Regex paths are translated once (RE2 and PCRE share the syntax Ingress
 * paths use); PCRE-only constructs (lookaround, backreferences, possessive
 * and atomic groups, inline flags) are refused with a diagnostic.
 *
 * @example
 * ```ts
 * nginxRoute(path, true, report); // { match: { type: 'regex', path: '/api(/|$)(.*)' }, middlewares: [] }
 * ```
 */
import { MAX_RULE_PATH_LENGTH } from '../../table/constants.ts';
import type { Middleware } from '../../table/middleware.ts';
import { canonicalRulePath } from '../../match/normalize.ts';
import { translateGoRegex } from '../annotations/go-regex.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { PathModel } from '../read/ingress.ts';
import type { DialectRoute } from '../routes.ts';
import { warnRegexLike } from '../paths.ts';

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

/** The route of one path; undefined after a diagnostic when it cannot be routed. */
export function nginxRoute(path: PathModel, regexHost: boolean, report: Reporter, skipped = 'path skipped'): DialectRoute | undefined {
  const pathType = path.pathType ?? 'ImplementationSpecific';
  if (!PATH_TYPES.includes(pathType)) {
    return void report.error('InvalidPath', `${path.field}.pathType`, `pathType ${quote(pathType)} is not Exact, Prefix or ImplementationSpecific; ${skipped}`);
  }
  // ingress-nginx routes an empty path as `/`.
  const text = path.path === '' ? '/' : path.path;
  if (!text.startsWith('/') || text.length > MAX_RULE_PATH_LENGTH) {
    return void report.error('InvalidPath', `${path.field}.path`, `${quote(text)} must start with / and be at most ${MAX_RULE_PATH_LENGTH} characters; ${skipped}`);
  }
  if (regexHost) return regexRoute(text, path, report, skipped);
  warnRegexLike(path, `pathType ${pathType}`, report, 'it becomes a regex with nginx.ingress.kubernetes.io/use-regex: "true" (or rewrite-target) on an Ingress of this host');
  const canonical = canonicalRulePath(text);
  if (pathType === 'Exact') return { match: { type: 'exact', path: canonical }, middlewares: [] };
  const match = pathType === 'Prefix' ? ({ type: 'prefix', path: canonical } as const) : ({ type: 'string-prefix', path: canonical } as const);
  if (canonical.length > 1 && canonical.endsWith('/')) {
    return { match, middlewares: [], slashRedirect: { from: canonical.slice(0, -1), middleware: SLASH_REDIRECT } };
  }
  return { match, middlewares: [] };
}

/** `/foo` → 301 `/foo/`, query kept (nginx's answer for a prefix location ending in `/`). */
const SLASH_REDIRECT: Middleware = {
  kind: 'redirect',
  permanent: true,
  status: 301,
  to: { type: 'regex', regex: { source: '^([^?]*)(.*)$', flags: '' }, replacement: [1, '/', 2] },
};

/** Constructs PCRE has and the edge refuses, with what to say about them. */
const PCRE_ONLY: readonly (readonly [RegExp, string])[] = [
  [/\(\?[=!]|\(\?<[=!]/, 'lookaround'],
  [/\(\?>/, 'an atomic group'],
  [/[*+?}]\+/, 'a possessive quantifier'],
  [/\\[1-9]|\\k[<{']/, 'a backreference'],
  [/\(\?[imsxU-]+\)|\(\?[imsxU-]+:/, 'inline flags (paths are already case-insensitive)'],
  [/\(\?R\)|\(\?[0-9]+\)|\\K|\\G/, 'a PCRE-only construct'],
];

function regexRoute(text: string, path: PathModel, report: Reporter, skipped: string): DialectRoute | undefined {
  for (const [pattern, what] of PCRE_ONLY) {
    if (pattern.test(text)) {
      return void report.error('UnsupportedPath', `${path.field}.path`, `regex path ${quote(text)} uses ${what}, which the edge's linear-time regex engine does not run; ${skipped}`);
    }
  }
  const translated = translateGoRegex(text);
  if (!translated.ok) return void report.error('UnsupportedPath', `${path.field}.path`, `regex path ${quote(text)} ${translated.error}; ${skipped}`);
  const { source, flags } = translated.value.regex;
  if (flags !== '' || !source.startsWith('/')) {
    return void report.error('UnsupportedPath', `${path.field}.path`, `regex path ${quote(text)} cannot be run at the edge as written; ${skipped}`);
  }
  return { match: { type: 'regex', path: source }, middlewares: [] };
}

/** The regex source of a path on a regex host (for rewrite-target's captures); undefined when it is not one. */
export function regexSourceOf(route: DialectRoute): string | undefined {
  return route.match.type === 'regex' ? route.match.path : undefined;
}
