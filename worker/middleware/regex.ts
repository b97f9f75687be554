/**
 * Regexes of the table (already JavaScript syntax, see
 * `src/compile/annotations/go-regex.ts`) and Go's `ReplaceAllString` over
 * them. Factories compile each regex once; a request only runs it.
 */
import type { RegexSpec, Replacement } from '../../src/table/http-middleware.ts';

/** The regex of a table entry, compiled once (global, for replacing every match). */
export function compileRegex(spec: RegexSpec): RegExp {
  return new RegExp(spec.source, `${spec.flags}g`);
}

/**
 * Every match of `regex` in `input` replaced by the expanded `replacement`,
 * as Go's `ReplaceAllString` does (an empty match right after a match is
 * skipped); undefined when nothing matches.
 */
export function replaceAllMatches(regex: RegExp, input: string, replacement: Replacement): string | undefined {
  let output = '';
  let last = 0;
  let matched = false;
  regex.lastIndex = 0;
  for (let match = regex.exec(input); match; match = regex.exec(input)) {
    const empty = match[0] === '';
    if (empty) regex.lastIndex = match.index + 1;
    if (empty && matched && match.index === last) continue;
    output += input.slice(last, match.index) + expand(replacement, match);
    last = match.index + match[0].length;
    matched = true;
  }
  regex.lastIndex = 0;
  return matched ? output + input.slice(last) : undefined;
}

function expand(replacement: Replacement, match: RegExpExecArray): string {
  let text = '';
  for (const part of replacement) text += typeof part === 'string' ? part : (match[part] ?? '');
  return text;
}
