/**
 * Comparisons of secret-derived values in constant time
 * (`crypto.subtle.timingSafeEqual`, a workerd extension). Lengths are not
 * secret: every compared value has a fixed length for its kind (a hash, a
 * MAC), so unequal lengths answer false at once.
 */
const encoder = new TextEncoder();

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && crypto.subtle.timingSafeEqual(a, b);
}

export function equalText(a: string, b: string): boolean {
  return equalBytes(encoder.encode(a), encoder.encode(b));
}
