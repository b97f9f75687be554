/**
 * A router's method, header and query conditions (Gateway API
 * HTTPRouteMatch), and the edge port (a Gateway listener's port), compiled
 * once per table version: regexes on the linear-time engine, anchored at
 * both ends (the spec's full match), and the precedence keys the spec ranks
 * by after the path (method present, then more header matches, then more
 * query matches; the port is no precedence key, it only filters). Ingress
 * routers have none.
 *
 * @example
 * ```ts
 * const conditions = compileConditions({ method: 'GET', headers: [{ name: 'version', type: 'exact', value: 'two' }] });
 * conditions?.accepts(new Request('https://a.example/', { headers: { version: 'two' } })); // true
 * ```
 */
import { LinearRegex } from '../regex/index.ts';
import type { RouterConditions, Scheme } from '../table/schema.ts';

/** What the conditions read of a request (a `Request` has it). */
export interface ConditionRequest {
  readonly method: string;
  readonly headers: { get(name: string): string | null };
  /** The full URL; its query is parsed only when a query condition needs it. */
  readonly url: string;
}

export interface CompiledConditions {
  /** 1 when a method is required (ranks above routes without one), else 0. */
  readonly methodRank: number;
  readonly headerCount: number;
  readonly queryCount: number;
  /** `scheme` is the request's (as the edge decided it): the port of a URL that names none is its default. */
  accepts(request: ConditionRequest | undefined, scheme?: Scheme): boolean;
}

/** Raised when a condition's regex does not compile (the table is then refused). */
export class ConditionError extends Error {
  override readonly name = 'ConditionError';
}

type ValueTest = (value: string) => boolean;

export function compileConditions(conditions: RouterConditions | undefined): CompiledConditions | undefined {
  if (!conditions) return undefined;
  const method = conditions.method;
  const port = conditions.port;
  const headers = (conditions.headers ?? []).map((condition) => ({ name: condition.name, test: valueTest(condition.type, condition.value) }));
  const query = (conditions.query ?? []).map((condition) => ({ name: condition.name, test: valueTest(condition.type, condition.value) }));
  return {
    methodRank: method === undefined ? 0 : 1,
    headerCount: headers.length,
    queryCount: query.length,
    accepts(request, scheme) {
      if (!request) return false;
      if (method !== undefined && request.method !== method) return false;
      if (port !== undefined && portOf(request.url, scheme) !== port) return false;
      for (const header of headers) {
        const value = request.headers.get(header.name);
        if (value === null || !header.test(value)) return false;
      }
      if (query.length === 0) return true;
      const params = queryOf(request.url);
      for (const parameter of query) {
        // The spec allows matching the first value of a repeated parameter.
        const value = params.get(parameter.name);
        if (value === null || !parameter.test(value)) return false;
      }
      return true;
    },
  };
}

function valueTest(type: 'exact' | 'regex', value: string): ValueTest {
  if (type === 'exact') return (candidate) => candidate === value;
  let regex: LinearRegex;
  try {
    regex = LinearRegex.compile({ source: `^(?:${value})$`, flags: '' });
  } catch (error) {
    throw new ConditionError(`condition regex ${JSON.stringify(value)} does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (candidate) => regex.test(candidate);
}

/**
 * The port the client reached the edge on: the one the URL names (the
 * worker's request URL keeps a port other than the scheme's default, as the
 * client sent it), else the default of `scheme` (or of the URL's scheme).
 */
export function portOf(url: string, scheme: Scheme | undefined): number {
  const start = url.indexOf('//') + 2;
  let end = start;
  while (end < url.length && url[end] !== '/' && url[end] !== '?' && url[end] !== '#') end++;
  const authority = url.slice(url.lastIndexOf('@', end) + 1 || start, end);
  const colon = authority.lastIndexOf(':');
  // `[::1]` has colons but no port; a port follows the last colon after the closing bracket.
  if (colon > authority.lastIndexOf(']') && colon < authority.length - 1) return Number(authority.slice(colon + 1));
  return (scheme ?? (url.startsWith('https:') ? 'https' : 'http')) === 'https' ? 443 : 80;
}

function queryOf(url: string): URLSearchParams {
  const start = url.indexOf('?');
  if (start < 0) return new URLSearchParams();
  const end = url.indexOf('#', start);
  return new URLSearchParams(end < 0 ? url.slice(start + 1) : url.slice(start + 1, end));
}
