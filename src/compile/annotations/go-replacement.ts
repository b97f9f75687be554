/**
 * Go replacement templates (`Regexp.Expand`, what `ReplaceAllString` uses):
 * `$1`, `${1}`, `$name`, `${name}`, `$$`. The longest run of letters, digits
 * and `_` is the name, so `$1x` is the (missing) group `1x`, as in Go; a
 * reference to a missing group expands to nothing. Compiled here to parts
 * (literal text and group numbers) so the worker never parses a template.
 *
 * @example
 * ```ts
 * parseGoReplacement('/v2/${rest}', translateGoRegex('^/(?P<rest>.*)').value);
 * // { parts: ['/v2/', 1], problems: [] }
 * ```
 */
import { HTTP_MIDDLEWARE_LIMITS, type Replacement } from '../../table/http-middleware.ts';
import type { GoRegex } from './go-regex.ts';

/** A replacement compiled to parts, and what Go would silently do that the author may not expect. */
export interface ParsedReplacement {
  readonly parts: Replacement;
  readonly problems: readonly string[];
}

/** Go's `Regexp.Expand` template syntax, resolved against `regex`'s groups. */
export function parseGoReplacement(template: string, regex: Pick<GoRegex, 'groups' | 'names'>): ParsedReplacement {
  const parts: (string | number)[] = [];
  const problems: string[] = [];
  let literal = '';
  let at = 0;
  while (at < template.length) {
    const dollar = template.indexOf('$', at);
    if (dollar === -1) {
      literal += template.slice(at);
      break;
    }
    literal += template.slice(at, dollar);
    if (template[dollar + 1] === '$') {
      literal += '$';
      at = dollar + 2;
      continue;
    }
    const reference = extractReference(template, dollar + 1);
    if (!reference) {
      // Go keeps a malformed reference's `$` as text.
      literal += '$';
      at = dollar + 1;
      continue;
    }
    at = reference.end;
    const group = groupNumber(reference.name, regex);
    if (group === undefined) {
      problems.push(`$${reference.braced ? `{${reference.name}}` : reference.name} names no group of the regex, so it is replaced by nothing` +
        (/^\d+\D/.test(reference.name) ? ` (write \${${/^\d+/.exec(reference.name)?.[0]}} to follow a group with text)` : ''));
      continue;
    }
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(group);
  }
  if (literal !== '') parts.push(literal);
  return { parts, problems };
}

function extractReference(template: string, start: number): { name: string; end: number; braced: boolean } | undefined {
  const braced = template[start] === '{';
  const from = braced ? start + 1 : start;
  const name = /^[\p{L}\p{N}_]+/u.exec(template.slice(from))?.[0];
  if (!name) return undefined;
  let end = from + name.length;
  if (braced) {
    if (template[end] !== '}') return undefined;
    end += 1;
  }
  return { name, end, braced };
}

function groupNumber(name: string, regex: Pick<GoRegex, 'groups' | 'names'>): number | undefined {
  if (/^(0|[1-9][0-9]{0,7})$/.test(name)) {
    const number = Number(name);
    return number <= regex.groups && number <= HTTP_MIDDLEWARE_LIMITS.group ? number : undefined;
  }
  return regex.names.get(name);
}
