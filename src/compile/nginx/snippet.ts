/**
 * `configuration-snippet` restricted to header directives, and only with
 * `--allow-snippet-headers` (ingress-nginx itself refuses snippets unless
 * `allow-snippet-annotations`; snippets were the road to CVE-2021-25742).
 * Accepted, each with literal values (no nginx variables):
 * - `add_header Name "value" [always];`, `more_set_headers "Name: value" …;`
 *   → set on the response;
 * - `more_clear_headers Name …;` → removed from the response;
 * - `proxy_set_header Name "value";` → set on the request (`""` removes it).
 * Anything else refuses the whole snippet with a diagnostic naming it.
 *
 * @example
 * ```ts
 * readSnippetHeaders({ 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X-Frame-Options: DENY";' }, true, report);
 * // { kind: 'custom-headers', request: { set: [], remove: [] }, response: { set: [['X-Frame-Options', 'DENY']], remove: [] } }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { edgeOwnsRequestHeader, edgeOwnsResponseHeader, headerNameProblem, headerValueProblem } from '../annotations/header-rules.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { nginxAnnotation } from './catalog.ts';

type Headers = MiddlewareOf<'custom-headers'>;
type Pair = [string, string];

const MAX_SNIPPET = 16_384;

export function readSnippetHeaders(annotations: Readonly<Record<string, string>>, allowed: boolean, report: Reporter): Headers | undefined {
  const found = nginxAnnotation(annotations, 'configuration-snippet');
  if (!found || found.value.trim() === '') return undefined;
  if (!allowed) {
    report.warn('IgnoredAnnotation', found.key, 'configuration-snippet is ignored: edgress honours only its header directives, and only with --allow-snippet-headers');
    return undefined;
  }
  const parsed = parseSnippet(found.value);
  if (typeof parsed === 'string') {
    report.error('InvalidAnnotation', found.key, `configuration-snippet refused: ${parsed} (only add_header, more_set_headers, more_clear_headers and proxy_set_header with literal values run at the edge)`);
    return undefined;
  }
  return parsed;
}

function parseSnippet(text: string): Headers | string {
  if (text.length > MAX_SNIPPET) return `longer than ${MAX_SNIPPET} characters`;
  const statements = tokenize(text);
  if (typeof statements === 'string') return statements;
  const request: { set: Pair[]; remove: string[] } = { set: [], remove: [] };
  const response: { set: Pair[]; remove: string[] } = { set: [], remove: [] };
  for (const [directive = '', ...args] of statements) {
    const problem = (() => {
      switch (directive) {
        case 'add_header': {
          const [name = '', value, always, ...rest] = args;
          if (value === undefined || rest.length > 0 || (always !== undefined && always !== 'always')) return 'add_header takes a name, a value and optionally "always"';
          return header(name, value, 'response') ?? void response.set.push([name, value]);
        }
        case 'more_set_headers':
          for (const arg of args) {
            if (arg.startsWith('-')) return `more_set_headers option ${quote(arg)} is not supported`;
            const colon = arg.indexOf(':');
            if (colon <= 0) return `more_set_headers ${quote(arg)} is not "Name: value"`;
            const name = arg.slice(0, colon).trim();
            const value = arg.slice(colon + 1).trim();
            const bad = header(name, value, 'response');
            if (bad) return bad;
            response.set.push([name, value]);
          }
          return args.length === 0 ? 'more_set_headers needs a header' : undefined;
        case 'more_clear_headers':
          for (const name of args) {
            if (name.startsWith('-') || name.includes('*')) return `more_clear_headers ${quote(name)}: options and wildcards are not supported`;
            const bad = header(name, '', 'response');
            if (bad) return bad;
            response.remove.push(name);
          }
          return args.length === 0 ? 'more_clear_headers needs a header' : undefined;
        case 'proxy_set_header': {
          const [name = '', value, ...rest] = args;
          if (value === undefined || rest.length > 0) return 'proxy_set_header takes a name and a value';
          const bad = header(name, value, 'request');
          if (bad) return bad;
          if (value === '') request.remove.push(name);
          else request.set.push([name, value]);
          return undefined;
        }
        default:
          return `the directive ${quote(directive)}`;
      }
    })();
    if (problem) return problem;
  }
  return { kind: 'custom-headers', request, response };
}

function header(name: string, value: string, side: 'request' | 'response'): string | undefined {
  const nameProblem = headerNameProblem(name);
  if (nameProblem) return `${quote(name)} ${nameProblem}`;
  if ((side === 'request' ? edgeOwnsRequestHeader : edgeOwnsResponseHeader)(name)) return `the ${side} header ${quote(name)} is the edge's own`;
  if (value.includes('$')) return `the value of ${quote(name)} uses an nginx variable`;
  const valueProblem = headerValueProblem(value);
  return valueProblem ? `the value of ${quote(name)} ${valueProblem}` : undefined;
}

/** Statements of words; quotes group, `#` starts a comment to the end of the line. */
function tokenize(text: string): string[][] | string {
  const statements: string[][] = [];
  let words: string[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    if (/\s/.test(char)) at++;
    else if (char === '#') while (at < text.length && text[at] !== '\n') at++;
    else if (char === ';') {
      if (words.length > 0) statements.push(words);
      words = [];
      at++;
    } else if (char === '{' || char === '}') return 'a block ({ … })';
    else if (char === '"' || char === "'") {
      const end = text.indexOf(char, at + 1);
      if (end === -1) return 'an unterminated quote';
      words.push(text.slice(at + 1, end));
      at = end + 1;
    } else {
      let end = at;
      while (end < text.length && !/[\s;'"{}]/.test(text[end]!)) end++;
      words.push(text.slice(at, end));
      at = end;
    }
  }
  if (words.length > 0) return 'a directive without its closing ";"';
  return statements;
}
