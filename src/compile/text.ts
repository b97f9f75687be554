/**
 * Strings the compiler keeps (ids, keys, field paths) built flat. A template
 * literal makes a chain of rope nodes, one per part, that lives as long as
 * the string; tens of thousands of kept ids and keys make that tens of
 * megabytes. `join` builds one flat string.
 *
 * @example
 * ```ts
 * joined(ingress.key, '#', rule, '.', path); // 'shop/web#0.3', one flat string
 * ```
 */
export function joined(...parts: readonly (string | number)[]): string {
  return parts.join('');
}
