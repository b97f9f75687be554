/**
 * Regexes of the table (already JavaScript syntax, see
 * `src/compile/annotations/go-regex.ts`) and Go's `ReplaceAllString` over
 * them. They run on the linear-time VM of `src/regex/`, never on the
 * runtime's backtracking engine, so no regex and no request can hold the
 * isolate: a match costs at most (input length + 1) × program size steps,
 * and the program size was bounded when the table was compiled. Factories
 * compile each regex once; a request only runs it.
 */
import { LinearRegex } from '../../src/regex/index.ts';
import type { RegexSpec } from '../../src/table/http-middleware.ts';

/** The regex of a table entry, compiled once; throws (the route fails to build) beyond the limits. */
export function compileRegex(spec: RegexSpec): LinearRegex {
  return LinearRegex.compile(spec);
}

export { replaceAllMatches } from '../../src/regex/replace.ts';
