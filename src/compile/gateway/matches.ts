/**
 * One `HTTPRouteMatch` → the router's path match and conditions. A missing
 * path is `PathPrefix /`; `PathPrefix` drops a trailing slash (element-wise,
 * as Ingress `Prefix`); `RegularExpression` paths, headers and query values
 * are Go RE2 syntax translated once for the edge's linear-time engine
 * (`../annotations/go-regex.ts`) and must match the whole value. Header
 * names are matched case-insensitively, the first entry of a name wins (the
 * spec ignores later ones), as for query parameter names (case-sensitive).
 *
 * @example
 * ```ts
 * readMatch({ path: { type: 'Exact', value: '/login' }, method: 'POST' }, field);
 * // { ok: true, match: { type: 'exact', path: '/login' }, conditions: { method: 'POST' } }
 * ```
 */
import { translateGoRegex } from '../annotations/go-regex.ts';
import { headerNameProblem, headerValueProblem } from '../annotations/header-rules.ts';
import { quote } from '../diagnostics.ts';
import { asArray, asRecord, asString } from '../read/fields.ts';
import type { HeaderCondition, PathMatch, RouterConditions } from '../../table/schema.ts';

type ValueCondition = HeaderCondition;
export type MatchConditions = RouterConditions;
export type RouteMatchPath = PathMatch;

export type MatchRead =
  | { readonly ok: true; readonly match: RouteMatchPath; readonly conditions: MatchConditions | undefined }
  | { readonly ok: false; readonly field: string; readonly error: string };

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;
const MAX_PATH = 1024;

/** The default match of a rule without matches. */
export const MATCH_ALL: MatchRead = { ok: true, match: { type: 'prefix', path: '/' }, conditions: undefined };

export function readMatch(value: unknown, field: string): MatchRead {
  // Only a left-out match means "every path"; anything else unreadable matches nothing.
  const spec = value === undefined || value === null ? {} : asRecord(value);
  if (!spec) return fail(field, 'must be a mapping');
  const path = readPath(spec['path'], `${field}.path`);
  if (!path.ok) return path;
  const conditions: { method?: string; headers?: ValueCondition[]; query?: ValueCondition[] } = {};
  const method = spec['method'];
  if (method !== undefined && method !== null) {
    if (typeof method !== 'string' || !METHODS.has(method)) return fail(`${field}.method`, `${quote(method)} is not an HTTP method the API defines (${[...METHODS].join(', ')})`);
    conditions.method = method;
  }
  const headers = readValueConditions(spec['headers'], `${field}.headers`, 'header');
  if (!Array.isArray(headers)) return headers;
  if (headers.length > 0) conditions.headers = headers;
  const query = readValueConditions(spec['queryParams'], `${field}.queryParams`, 'query');
  if (!Array.isArray(query)) return query;
  if (query.length > 0) conditions.query = query;
  return { ok: true, match: path.match, conditions: Object.keys(conditions).length > 0 ? conditions : undefined };
}

function readPath(value: unknown, field: string): { ok: true; match: RouteMatchPath } | { ok: false; field: string; error: string } {
  if (value === undefined || value === null) return { ok: true, match: { type: 'prefix', path: '/' } };
  const spec = asRecord(value);
  if (!spec) return fail(field, 'must be a mapping with type and value');
  const type = spec['type'] ?? 'PathPrefix';
  const path = spec['value'] ?? '/';
  if (typeof path !== 'string' || path.length > MAX_PATH) return fail(`${field}.value`, `must be a string of at most ${MAX_PATH} characters`);
  if (type === 'RegularExpression') {
    const regex = fullRegex(path);
    if (typeof regex === 'string') return fail(`${field}.value`, `regex ${quote(path)} ${regex}`);
    // The match is anchored at both ends anyway; the table keeps path regexes starting with the path's `/`.
    const source = regex.source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
    if (!source.startsWith('/')) return fail(`${field}.value`, `regex ${quote(path)} must start with / (it matches the whole path)`);
    return { ok: true, match: { type: 'full-regex', path: source } };
  }
  if (type !== 'Exact' && type !== 'PathPrefix') return fail(`${field}.type`, `${quote(type)} is not Exact, PathPrefix or RegularExpression`);
  const problem = pathProblem(path);
  if (problem) return fail(`${field}.value`, `${quote(path)} ${problem}`);
  if (type === 'Exact') return { ok: true, match: { type: 'exact', path } };
  return { ok: true, match: { type: 'prefix', path: path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path } };
}

/** The API server's rules for Exact and PathPrefix values. */
export function pathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with /';
  for (const bad of ['//', '/./', '/../', '%2f', '%2F', '#']) if (path.includes(bad)) return `must not contain ${bad}`;
  if (path.endsWith('/..') || path.endsWith('/.')) return 'must not end with /. or /..';
  if (!PATH_CHARS.test(path)) return 'has characters a path may not hold unencoded';
  return undefined;
}

/** The translated regex, or why it cannot run at the edge. Flags such as (?i) are refused: matches are case-sensitive. */
function fullRegex(pattern: string): { source: string } | string {
  const translated = translateGoRegex(pattern);
  if (!translated.ok) return translated.error;
  if (translated.value.regex.flags !== '') return 'uses flags such as (?i); Gateway API regex matches are case-sensitive and take no flags';
  return { source: translated.value.regex.source };
}

function readValueConditions(value: unknown, field: string, what: 'header' | 'query'): ValueCondition[] | { ok: false; field: string; error: string } {
  if (value === undefined || value === null) return [];
  const list = asArray(value);
  if (!list) return fail(field, 'must be a list');
  const seen = new Set<string>();
  const conditions: ValueCondition[] = [];
  for (const [index, entry] of list.entries()) {
    const at = `${field}[${index}]`;
    const spec = asRecord(entry) ?? {};
    const rawName = asString(spec['name']) ?? '';
    if (headerNameProblem(rawName)) return fail(`${at}.name`, `${quote(rawName)} is not a valid ${what === 'header' ? 'header' : 'query parameter'} name`);
    const name = what === 'header' ? rawName.toLowerCase() : rawName;
    const type = spec['type'] ?? 'Exact';
    const text = spec['value'];
    if (typeof text !== 'string' || text === '') return fail(`${at}.value`, 'must be a non-empty string');
    if (headerValueProblem(text)) return fail(`${at}.value`, `${quote(text)} ${headerValueProblem(text)}`);
    if (seen.has(name)) continue;
    seen.add(name);
    if (type === 'Exact') conditions.push({ name, type: 'exact', value: text });
    else if (type === 'RegularExpression') {
      const regex = fullRegex(text);
      if (typeof regex === 'string') return fail(`${at}.value`, `regex ${quote(text)} ${regex}`);
      conditions.push({ name, type: 'regex', value: regex.source });
    } else return fail(`${at}.type`, `${quote(type)} is not Exact or RegularExpression`);
  }
  return conditions;
}

function fail(field: string, error: string): { ok: false; field: string; error: string } {
  return { ok: false, field, error };
}
