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
import type { RegexSpec, Replacement } from '../../src/table/http-middleware.ts';

/** The regex of a table entry, compiled once; throws (the route fails to build) beyond the limits. */
export function compileRegex(spec: RegexSpec): LinearRegex {
  return LinearRegex.compile(spec);
}

/**
 * Every match of `regex` in `input` replaced by the expanded `replacement`,
 * as Go's `ReplaceAllString` does (an empty match right after a match is
 * skipped); undefined when nothing matches.
 */
export function replaceAllMatches(regex: LinearRegex, input: string, replacement: Replacement): string | undefined {
  let output = '';
  let last = 0;
  let matched = false;
  for (let from = 0, match = regex.exec(input, from); match; match = from <= input.length ? regex.exec(input, from) : undefined) {
    const empty = match.end === match.index;
    from = empty ? match.index + 1 : match.end;
    if (empty && matched && match.index === last) continue;
    output += input.slice(last, match.index);
    for (const part of replacement) output += typeof part === 'string' ? part : (match.group(part) ?? '');
    last = match.end;
    matched = true;
  }
  return matched ? output + input.slice(last) : undefined;
}
