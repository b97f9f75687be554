/**
 * Traefik 1.7's annotation value parsers (docs/reference/annotations.md), shared
 * by every annotation family. Each returns `undefined` for a value Traefik
 * would reject, so the caller picks the default and names the key in a
 * diagnostic.
 *
 * @example
 * ```ts
 * parseGoBool('True');                 // true
 * parseGoInt('08');                    // 8
 * parseList(' a, ,b ');                // ['a', 'b']
 * parseHeaderMap('x-a: 1 || X-B:2');   // { headers: [['X-A', '1'], ['X-B', '2']], skipped: [] }
 * parseYamlBlock('rateset: {}');       // { ok: true, value: { rateset: {} } }
 * ```
 */
import { COMPILE_LIMITS } from '../limits.ts';
import { loadYamlDocuments } from '../yaml.ts';

const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** Go `strconv.ParseBool`: anything else, the empty string included, is invalid. */
export function parseGoBool(value: string): boolean | undefined {
  if (TRUE.has(value)) return true;
  if (FALSE.has(value)) return false;
  return undefined;
}

/** Go `strconv.Atoi` on a 64-bit platform, limited to safe JavaScript integers. */
export function parseGoInt(value: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

/** Split on `,`, trim, drop empty entries. */
export function parseList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

/** A parsed `K:v||K2:v2` header annotation; `skipped` lists entries without `:`. */
export interface HeaderMap {
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly skipped: readonly string[];
}

/**
 * Traefik's header map: entries split on `||`, each at its first `:`; names
 * trimmed and canonicalised, values trimmed. Undefined when nothing is left
 * (the feature is then off).
 */
export function parseHeaderMap(value: string): HeaderMap | undefined {
  const headers: [string, string][] = [];
  const skipped: string[] = [];
  for (const entry of value.split('||')) {
    const colon = entry.indexOf(':');
    if (colon === -1) {
      if (entry.trim() !== '') skipped.push(entry.trim());
      continue;
    }
    headers.push([canonicalHeaderName(entry.slice(0, colon).trim()), entry.slice(colon + 1).trim()]);
  }
  return headers.length > 0 ? { headers, skipped } : undefined;
}

/** Go's `CanonicalMIMEHeaderKey`: `content-type` → `Content-Type`; names with invalid characters unchanged. */
export function canonicalHeaderName(name: string): string {
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return name;
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

export type YamlBlock = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/**
 * A YAML block annotation (rate-limit, error-pages, buffering, service-weights, …),
 * under the compiler's YAML limits (size, aliases, nesting).
 * An empty or comment-only value is `undefined`, as yaml.v2 leaves a struct zero.
 */
export function parseYamlBlock(value: string): YamlBlock {
  const loaded = loadYamlDocuments(value, ANNOTATION_YAML_LIMITS);
  return loaded.ok ? { ok: true, value: loaded.documents[0] } : { ok: false, error: loaded.error };
}

const ANNOTATION_YAML_LIMITS = { maxChars: COMPILE_LIMITS.annotationYamlChars, maxExpandedNodes: COMPILE_LIMITS.annotationExpandedNodes } as const;
