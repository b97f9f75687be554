/**
 * HTTPRoute filters → table middlewares, for a rule or one backendRef.
 * Header modifiers, RequestRedirect, URLRewrite (hostname, full path,
 * prefix) and RequestMirror are served; CORS, ExternalAuth, ExtensionRef and
 * unknown types are `UnsupportedValue`, and RequestRedirect with URLRewrite is
 * `IncompatibleFilters`: the rule is dropped rather than served without them
 * (ExternalAuth and ExtensionRef must fail closed). A mirror whose backend
 * does not resolve is dropped and reported through `refProblem`.
 *
 * Prefix replacements need the match's prefix, so filters are read once and
 * built per match.
 *
 * @example
 * ```ts
 * const read = readFilters(rule['filters'], 'spec.rules[0].filters', route, ctx, onRefProblem);
 * if (read.ok) read.build({ type: 'prefix', path: '/api' }); // middlewares, or an error string
 * ```
 */
import { edgeOwnsRequestHeader, edgeOwnsResponseHeader, headerNameProblem, headerValueProblem } from '../annotations/header-rules.ts';
import { quote } from '../diagnostics.ts';
import { asArray, asInt, asRecord, asString, type JsonRecord } from '../read/fields.ts';
import { resolveBackend, type BackendContext, type RefFailureReason } from './backends.ts';
import type { GatewayMiddleware } from './middlewares.ts';
import { preciseHostnameProblem } from './hostnames.ts';
import type { RouteMatchPath } from './matches.ts';
import { pathProblem } from './matches.ts';
import type { GatewayObject } from './objects.ts';

export type FiltersRead =
  | { readonly ok: true; readonly build: (match: RouteMatchPath) => GatewayMiddleware[] | string; readonly redirects: boolean }
  | { readonly ok: false; readonly reason: 'UnsupportedValue' | 'IncompatibleFilters'; readonly field: string; readonly message: string };

export type RefProblem = (reason: RefFailureReason, field: string, message: string) => void;

type Build = (match: RouteMatchPath) => readonly GatewayMiddleware[] | string;

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);
const MAX_HEADER_VALUE = 4096;

export function readFilters(value: unknown, field: string, route: GatewayObject, ctx: BackendContext, refProblem: RefProblem): FiltersRead {
  const given = asArray(value);
  // Filters that cannot be read must not be skipped: the rule would be served without them.
  if (!given && value !== undefined && value !== null) return unsupported(field, 'must be a list of filters');
  const list = given ?? [];
  const builds: Build[] = [];
  const types = new Set<string>();
  for (const [index, entry] of list.entries()) {
    const at = `${field}[${index}]`;
    const spec = asRecord(entry);
    if (!spec) return unsupported(at, 'must be a mapping');
    const type = asString(spec['type']) ?? '';
    if (types.has(type) && type !== 'RequestMirror') return unsupported(`${at}.type`, `${type} is given twice; the API allows it once per rule`);
    types.add(type);
    const read = readFilter(type, spec, at, route, ctx, refProblem);
    if (typeof read === 'string') return unsupported(at, read);
    builds.push(read);
  }
  if (types.has('RequestRedirect') && types.has('URLRewrite')) {
    return { ok: false, reason: 'IncompatibleFilters', field, message: 'RequestRedirect and URLRewrite cannot be combined' };
  }
  return {
    ok: true,
    redirects: types.has('RequestRedirect'),
    build: (match) => {
      const middlewares: GatewayMiddleware[] = [];
      for (const build of builds) {
        const built = build(match);
        if (typeof built === 'string') return built;
        middlewares.push(...built);
      }
      return middlewares;
    },
  };
}

function readFilter(type: string, spec: JsonRecord, at: string, route: GatewayObject, ctx: BackendContext, refProblem: RefProblem): Build | string {
  switch (type) {
    case 'RequestHeaderModifier':
      return headerModifier(spec['requestHeaderModifier'], 'request', `${at}.requestHeaderModifier`);
    case 'ResponseHeaderModifier':
      return headerModifier(spec['responseHeaderModifier'], 'response', `${at}.responseHeaderModifier`);
    case 'RequestRedirect':
      return redirect(asRecord(spec['requestRedirect']), `${at}.requestRedirect`);
    case 'URLRewrite':
      return rewrite(asRecord(spec['urlRewrite']), `${at}.urlRewrite`);
    case 'RequestMirror':
      return mirror(asRecord(spec['requestMirror']), `${at}.requestMirror`, route, ctx, refProblem);
    case 'CORS':
    case 'ExternalAuth':
    case 'ExtensionRef':
      return `${type} filters are not supported by edgress`;
    default:
      return `filter type ${quote(type)} is not one the API defines`;
  }
}

function headerModifier(value: unknown, phase: 'request' | 'response', at: string): Build | string {
  const spec = asRecord(value);
  if (!spec) return `${at} is required for this filter type`;
  const named = new Set<string>();
  const pairs = (key: 'set' | 'add'): [string, string][] | string => {
    const out: [string, string][] = [];
    const list = asArray(spec[key]);
    if (!list && spec[key] !== undefined && spec[key] !== null) return `${at}.${key} must be a list of headers`;
    for (const [index, entry] of (list ?? []).entries()) {
      const name = asString(asRecord(entry)?.['name']) ?? '';
      const text = asString(asRecord(entry)?.['value']) ?? '';
      // The API caps a value at 4096 characters; a larger one would be sent on every request.
      const problem = headerProblem(name, phase) ?? (text.length > MAX_HEADER_VALUE ? `value is longer than ${MAX_HEADER_VALUE} characters` : undefined) ??
        (headerValueProblem(text) && `value ${quote(text)} ${headerValueProblem(text)}`);
      if (problem) return `${at}.${key}[${index}]: ${problem}`;
      if (named.has(name.toLowerCase())) return `${at}.${key}[${index}]: header ${quote(name)} has more than one action`;
      named.add(name.toLowerCase());
      out.push([name, text]);
    }
    return out;
  };
  const set = pairs('set');
  if (typeof set === 'string') return set;
  const add = pairs('add');
  if (typeof add === 'string') return add;
  const remove: string[] = [];
  const removed = asArray(spec['remove']);
  if (!removed && spec['remove'] !== undefined && spec['remove'] !== null) return `${at}.remove must be a list of header names`;
  for (const [index, entry] of (removed ?? []).entries()) {
    const name = typeof entry === 'string' ? entry : '';
    const problem = headerProblem(name, phase);
    if (problem) return `${at}.remove[${index}]: ${problem}`;
    if (named.has(name.toLowerCase())) return `${at}.remove[${index}]: header ${quote(name)} has more than one action`;
    named.add(name.toLowerCase());
    remove.push(name);
  }
  const middlewares: GatewayMiddleware[] = [{ kind: 'header-modifier', phase, set, add, remove }];
  return () => middlewares;
}

function headerProblem(name: string, phase: 'request' | 'response'): string | undefined {
  if (headerNameProblem(name)) return `${quote(name)} is not a valid header name`;
  const owned = phase === 'request' ? edgeOwnsRequestHeader(name) : edgeOwnsResponseHeader(name);
  return owned ? `header ${quote(name)} is set by the edge and cannot be changed by a filter` : undefined;
}

type PathModifier = { type: 'full'; value: string } | { type: 'prefix'; value: string };

function pathModifier(value: unknown, at: string): PathModifier | undefined | string {
  if (value === undefined || value === null) return undefined;
  const spec = asRecord(value) ?? {};
  const type = spec['type'];
  if (type === 'ReplaceFullPath') {
    const path = asString(spec['replaceFullPath']);
    if (path === undefined || pathProblem(path)) return `${at}.replaceFullPath ${quote(path ?? '')} ${path === undefined ? 'is required' : pathProblem(path)}`;
    return { type: 'full', value: path };
  }
  if (type === 'ReplacePrefixMatch') {
    const prefix = asString(spec['replacePrefixMatch']);
    if (prefix === undefined) return `${at}.replacePrefixMatch is required`;
    if (prefix !== '' && pathProblem(prefix)) return `${at}.replacePrefixMatch ${quote(prefix)} ${pathProblem(prefix)}`;
    return { type: 'prefix', value: prefix };
  }
  return `${at}.type ${quote(type)} is not ReplaceFullPath or ReplacePrefixMatch`;
}

/** The matched prefix a ReplacePrefixMatch replaces, or why there is none. */
function matchedPrefix(match: RouteMatchPath, at: string): string {
  return match.type === 'prefix' ? match.path : `${at}: ReplacePrefixMatch needs a PathPrefix match (this match is ${match.type})`;
}

function redirect(spec: JsonRecord | undefined, at: string): Build | string {
  if (!spec) return `${at} is required for this filter type`;
  const scheme = spec['scheme'];
  if (scheme !== undefined && scheme !== null && scheme !== 'http' && scheme !== 'https') return `${at}.scheme ${quote(scheme)} is not http or https`;
  const hostname = asString(spec['hostname']);
  if (hostname !== undefined && preciseHostnameProblem(hostname)) return `${at}.hostname ${quote(hostname)}: ${preciseHostnameProblem(hostname)}`;
  const port = spec['port'] === undefined || spec['port'] === null ? undefined : asInt(spec['port'], 1, 65535);
  if (port === undefined && spec['port'] !== undefined && spec['port'] !== null) return `${at}.port must be a number 1-65535`;
  const status = spec['statusCode'] === undefined || spec['statusCode'] === null ? 302 : spec['statusCode'];
  if (typeof status !== 'number' || !REDIRECT_CODES.has(status)) return `${at}.statusCode ${quote(status)} is not 301, 302, 303, 307 or 308`;
  const path = pathModifier(spec['path'], `${at}.path`);
  if (typeof path === 'string') return path;
  const base = {
    kind: 'gateway-redirect' as const,
    ...(scheme === 'http' || scheme === 'https' ? { scheme: scheme as 'http' | 'https' } : {}),
    ...(hostname !== undefined ? { hostname } : {}),
    ...(port !== undefined ? { port } : {}),
    status: status as 301 | 302 | 303 | 307 | 308,
  };
  if (!path) return () => [base];
  if (path.type === 'full') {
    const middlewares: GatewayMiddleware[] = [{ ...base, path: { type: 'full', value: path.value } }];
    return () => middlewares;
  }
  return (match) => {
    const prefix = matchedPrefix(match, `${at}.path`);
    return prefix.startsWith('/') ? [{ ...base, path: { type: 'prefix', prefix, value: path.value } }] : prefix;
  };
}

function rewrite(spec: JsonRecord | undefined, at: string): Build | string {
  if (!spec) return `${at} is required for this filter type`;
  const hostname = asString(spec['hostname']);
  if (hostname !== undefined && preciseHostnameProblem(hostname)) return `${at}.hostname ${quote(hostname)}: ${preciseHostnameProblem(hostname)}`;
  const path = pathModifier(spec['path'], `${at}.path`);
  if (typeof path === 'string') return path;
  const host: GatewayMiddleware[] = hostname === undefined ? [] : [{ kind: 'upstream-host', host: hostname }];
  if (path?.type === 'full') {
    const middlewares: GatewayMiddleware[] = [...host, { kind: 'replace-path', path: path.value }];
    return () => middlewares;
  }
  if (path?.type === 'prefix') {
    return (match) => {
      const prefix = matchedPrefix(match, `${at}.path`);
      return prefix.startsWith('/') ? [...host, { kind: 'replace-prefix', prefix, value: path.value }] : prefix;
    };
  }
  return () => host;
}

function mirror(spec: JsonRecord | undefined, at: string, route: GatewayObject, ctx: BackendContext, refProblem: RefProblem): Build | string {
  if (!spec) return `${at} is required for this filter type`;
  let percent: number | undefined;
  if (spec['percent'] !== undefined && spec['percent'] !== null) {
    percent = asInt(spec['percent'], 0, 100);
    if (percent === undefined) return `${at}.percent must be a whole number 0-100`;
  } else if (spec['fraction'] !== undefined && spec['fraction'] !== null) {
    const fraction = asRecord(spec['fraction']) ?? {};
    const denominator = fraction['denominator'] === undefined ? 100 : asInt(fraction['denominator'], 1, 2 ** 31 - 1);
    const numerator = asInt(fraction['numerator'], 0, denominator ?? 0);
    if (denominator === undefined || numerator === undefined) return `${at}.fraction needs 0 <= numerator <= denominator, denominator > 0`;
    percent = (numerator / denominator) * 100;
  }
  if (percent === 0) return () => [];
  const backend = resolveBackend(spec['backendRef'], `${at}.backendRef`, route, ctx);
  if (!backend.ok) {
    refProblem(backend.reason, backend.field, `${backend.message}; the mirror is dropped`);
    return () => [];
  }
  const middlewares: GatewayMiddleware[] = [{ kind: 'request-mirror', service: backend.pool.id, ...(percent === undefined || percent === 100 ? {} : { percent }) }];
  return () => middlewares;
}

function unsupported(field: string, message: string): FiltersRead {
  return { ok: false, reason: 'UnsupportedValue', field, message };
}
