/**
 * MD5-crypt (`$1$`, Poul-Henning Kamp's FreeBSD scheme) and its Apache
 * variant `$apr1$`, which differs only in the magic string. The digest is
 * `@noble/hashes`' audited MD5; this file is only the scheme's fixed
 * sequence of MD5 calls and its custom base-64, checked against hashes made
 * by `htpasswd -m` and `openssl passwd -1/-apr1` (test/fixtures/auth).
 */
import { md5 } from '@noble/hashes/legacy.js';

const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const encoder = new TextEncoder();

/** The 22-character hash part of `<magic><salt>$<hash>` for a password and salt (≤ 8 characters). */
export function md5CryptHash(password: Uint8Array, salt: string, magic: '$1$' | '$apr1$'): string {
  const saltBytes = encoder.encode(salt);
  const alternate = md5(concat(password, saltBytes, password));
  const context = md5.create().update(concat(password, encoder.encode(magic), saltBytes));
  for (let left = password.length; left > 0; left -= 16) context.update(alternate.subarray(0, Math.min(left, 16)));
  // The scheme's odd step: per bit of the length, a zero byte or the password's first byte.
  for (let bits = password.length; bits > 0; bits >>= 1) context.update(bits & 1 ? new Uint8Array(1) : password.subarray(0, 1));
  let digest = context.digest();
  for (let round = 0; round < 1000; round++) {
    const step = md5.create();
    step.update(round & 1 ? password : digest);
    if (round % 3) step.update(saltBytes);
    if (round % 7) step.update(password);
    step.update(round & 1 ? digest : password);
    digest = step.digest();
  }
  return encode(digest);
}

function encode(d: Uint8Array): string {
  const groups: [number, number][] = [
    [(d[0]! << 16) | (d[6]! << 8) | d[12]!, 4],
    [(d[1]! << 16) | (d[7]! << 8) | d[13]!, 4],
    [(d[2]! << 16) | (d[8]! << 8) | d[14]!, 4],
    [(d[3]! << 16) | (d[9]! << 8) | d[15]!, 4],
    [(d[4]! << 16) | (d[10]! << 8) | d[5]!, 4],
    [d[11]!, 2],
  ];
  let out = '';
  for (let [value, count] of groups) {
    for (; count > 0; count--, value >>= 6) out += ITOA64[value & 0x3f];
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
