/**
 * From an Ingress path, its pathType and the Traefik `rule-type` to the
 * router's path match and path-modifying middlewares (docs/design/decisions.md#decision-2-path-types-keep-their-meaning):
 *
 * | pathType             | rule-type        | match          | middleware           |
 * |----------------------|------------------|----------------|----------------------|
 * | Exact / Prefix       | Path, PathPrefix | per pathType   | — (warned elsewhere) |
 * | Exact / Prefix       | PathStrip, PathPrefixStrip | per pathType | strip-prefix  |
 * | Exact / Prefix       | ReplacePath      | per pathType   | replace-path         |
 * | ImplementationSpecific or none, path `''` | (ignored) | any | —               |
 * | ImplementationSpecific or none | PathPrefix (default) | string-prefix | —       |
 * | …                    | Path             | exact          | —                    |
 * | …                    | PathStrip        | exact          | strip-prefix         |
 * | …                    | PathPrefixStrip  | string-prefix  | strip-prefix         |
 * | …                    | ReplacePath      | any            | replace-path         |
 *
 * @example
 * ```ts
 * routePath({ path: '/api', pathType: 'Prefix', … }, 'PathPrefixStrip', 'v1', report);
 * // { match: { type: 'prefix', path: '/api' }, middlewares: [{ kind: 'strip-prefix', prefix: '/api' }] }
 * ```
 */
import type { Middleware } from '../table/middleware.ts';
import { MAX_RULE_PATH_LENGTH } from '../table/constants.ts';
import type { PathMatch } from '../table/schema.ts';
import { canonicalRulePath } from '../match/normalize.ts';
import { prefixKey } from '../match/route-group.ts';
import type { RuleType } from './annotations/routing.ts';
import { quote, type Reporter } from './diagnostics.ts';
import type { BackendStyle } from './read/backend.ts';
import type { PathModel } from './read/ingress.ts';

export interface RoutePath {
  readonly match: PathMatch;
  readonly middlewares: readonly Middleware[];
}

const PATH_TYPES = ['Exact', 'Prefix', 'ImplementationSpecific'];

/**
 * The match and middlewares of one path, or undefined (after a diagnostic)
 * when the path cannot be routed. `ruleType` undefined means the Ingress's
 * rule-type annotation was invalid (already reported).
 */
export function routePath(path: PathModel, ruleType: RuleType | undefined, style: BackendStyle, report: Reporter): RoutePath | undefined {
  const pathType = path.pathType ?? (style === 'v1' ? undefined : 'ImplementationSpecific');
  if (pathType === undefined) return void report.error('InvalidPath', `${path.field}.pathType`, 'pathType is required in networking.k8s.io/v1; path skipped');
  if (!PATH_TYPES.includes(pathType)) {
    return void report.error('InvalidPath', `${path.field}.pathType`, `pathType ${quote(pathType)} is not Exact, Prefix or ImplementationSpecific; path skipped`);
  }
  if (pathType === 'ImplementationSpecific' && path.path === '') return { match: { type: 'any' }, middlewares: [] };
  const problem = pathType === 'ImplementationSpecific' ? traefikPathProblem(path.path) : specPathProblem(path.path);
  if (problem) {
    return void report.error(problem.code, `${path.field}.path`, `${quote(path.path)} ${problem.message}; path skipped`);
  }
  if (ruleType === undefined) return undefined;
  warnRegexLike(path, pathType === 'ImplementationSpecific' ? `rule-type ${ruleType}` : `pathType ${pathType}`, report);
  // Requests are matched in their encoded, normalised form; rule paths must be in the same form.
  const canonical = isCanonical(path.path) ? path.path : canonicalRulePath(path.path);
  return pathType === 'ImplementationSpecific' ? traefikRoute(canonical, ruleType) : typedRoute(canonical, pathType, ruleType);
}

/** Characters URL parsing and normalising leave as they are (`%` aside: it may start an escape). */
const PLAIN_PATH = /^\/[A-Za-z0-9!$&'()*+,\-.:;=@_~/]*$/;

/** A path already in canonical form, without parsing it as a URL (most rule paths). */
function isCanonical(path: string): boolean {
  return PLAIN_PATH.test(path) && !path.includes('//') && !path.includes('/.');
}

function typedRoute(path: string, pathType: string, ruleType: RuleType): RoutePath {
  const match: PathMatch = pathType === 'Exact' ? { type: 'exact', path } : { type: 'prefix', path };
  switch (ruleType) {
    case 'PathStrip':
    case 'PathPrefixStrip':
      // A Prefix rule path with a trailing slash also matches without it; strip the slash-less form.
      return { match, middlewares: [{ kind: 'strip-prefix', prefix: match.type === 'prefix' ? prefixKey(path) || '/' : path }] };
    case 'ReplacePath':
      return { match, middlewares: [{ kind: 'replace-path', path }] };
    default:
      return { match, middlewares: [] };
  }
}

function traefikRoute(path: string, ruleType: RuleType): RoutePath {
  switch (ruleType) {
    case 'PathPrefix':
      return { match: { type: 'string-prefix', path }, middlewares: [] };
    case 'Path':
      return { match: { type: 'exact', path }, middlewares: [] };
    case 'PathStrip':
      return { match: { type: 'exact', path }, middlewares: [{ kind: 'strip-prefix', prefix: path }] };
    case 'PathPrefixStrip':
      return { match: { type: 'string-prefix', path }, middlewares: [{ kind: 'strip-prefix', prefix: path }] };
    case 'ReplacePath':
      return { match: { type: 'any' }, middlewares: [{ kind: 'replace-path', path }] };
  }
}

interface PathProblem {
  readonly code: 'InvalidPath' | 'UnsupportedPath';
  readonly message: string;
}

const invalid = (message: string): PathProblem => ({ code: 'InvalidPath', message });

/** API-server validation of Exact and Prefix paths. */
function specPathProblem(path: string): PathProblem | undefined {
  if (!path.startsWith('/')) return invalid('must start with /');
  if (path.length > MAX_RULE_PATH_LENGTH) return invalid(`must be at most ${MAX_RULE_PATH_LENGTH} characters`);
  for (const bad of ['//', '/./', '/../', '%2f', '%2F']) if (path.includes(bad)) return invalid(`must not contain ${bad}`);
  if (path.endsWith('/..') || path.endsWith('/.')) return invalid('must not end with /. or /..');
  return undefined;
}

/** ImplementationSpecific paths: the API server checks only the leading slash; templates are Traefik-only. */
function traefikPathProblem(path: string): PathProblem | undefined {
  if (!path.startsWith('/')) return invalid('must start with /');
  if (path.length > MAX_RULE_PATH_LENGTH) return invalid(`must be at most ${MAX_RULE_PATH_LENGTH} characters`);
  if (/\{[^}]*\}/.test(path)) return { code: 'UnsupportedPath', message: 'uses a Traefik path template ({name:regex}), which edgress does not support' };
  return undefined;
}

/**
 * Regex syntax that a literal URL path hardly ever holds: `.*`, `.+`, an
 * alternation or anchor, a backslash escape, a character class, or a group
 * with a quantifier or alternation inside (`/wiki/Foo_(bar)` stays quiet).
 */
const REGEX_LIKE = /\.[*+]|[|^$\\]|\[[^\]]*\]|\([^)]*[|*+?][^)]*\)/;

/** What makes a path a regex, for the warning: only the ingress-nginx dialect has regex paths. */
export const REGEX_PATH_HINT = 'regex paths exist only in the ingress-nginx dialect (edgress --ingress-nginx), with nginx.ingress.kubernetes.io/use-regex: "true"';

/** A path written as a regex (`/app(/|$)(.*)`) is matched as literal text: say so, and what would make it a regex. */
export function warnRegexLike(path: PathModel, how: string, report: Reporter, hint: string = REGEX_PATH_HINT): void {
  if (!REGEX_LIKE.test(path.path)) return;
  report.warn('RegexLikePath', `${path.field}.path`, `${quote(path.path)} looks like a regex but is matched as literal text (${how}); ${hint}`);
}
