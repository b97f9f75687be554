/**
 * Go's `ReplaceAllString` over a {@link LinearRegex}: shared by the worker
 * (`replace-path-regex`, `redirect`) and `edgress explain`, which shows the
 * path or Location a request would get.
 *
 * @example
 * ```ts
 * replaceAllMatches(LinearRegex.compile({ source: '^/api/(.*)', flags: '' }), '/api/users', ['/v2/', 1]); // '/v2/users'
 * ```
 */
import type { LinearRegex } from './index.ts';

/** Literal text and group numbers, in order (the table's `replacement` fields). */
export type Replacement = readonly (string | number)[];

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
