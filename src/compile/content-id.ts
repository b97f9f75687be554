/**
 * Content-derived ids for middlewares whose configuration is too large to
 * spell out in the id: the kind, then 64 bits of hash over the JSON (two
 * 32-bit FNV-1a-style lanes with different offsets and primes, the second
 * also mixing in the first). Equal configurations share
 * one table entry; different ones collide with negligible probability
 * (about 1 in 10^11 for 10,000 entries).
 *
 * @example
 * ```ts
 * contentId({ kind: 'custom-headers', request: { set: [], remove: [] }, response: { set: [], remove: [] } });
 * // 'custom-headers:3f0c…' (16 hex digits)
 * ```
 */

// A route's shared middlewares are the same objects for every path of an Ingress: hash each once.
const ids = new WeakMap<object, string>();

/** `kind:` + 16 hex digits hashed from the JSON of `value` (keys in insertion order). */
export function contentId(value: { readonly kind: string }): string {
  let id = ids.get(value);
  if (id === undefined) {
    const text = JSON.stringify(value);
    let low = 0x811c9dc5;
    let high = 0x050c5d1f;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      low = Math.imul(low ^ code, 0x01000193);
      high = Math.imul(high ^ code, 0x5bd1e995) ^ (low >>> 15);
    }
    id = `${value.kind}:${hex(high)}${hex(low)}`;
    ids.set(value, id);
  }
  return id;
}

function hex(lane: number): string {
  return (lane >>> 0).toString(16).padStart(8, '0');
}
