/**
 * Password verification per stored hash, prepared once per user when the
 * route's chain is built: `{SHA}` with Web Crypto's SHA-1, `$1$`/`$apr1$`
 * with MD5-crypt, bcrypt (`$2a$`, `$2b$`, `$2x$`, `$2y$`) with bcryptjs.
 * Every result is compared in constant time. `$2x$` is computed as `$2a$`
 * (Go's bcrypt, which Traefik used, does the same: they differ only for
 * passwords with 8-bit characters hashed by the buggy pre-2011 crypt_blowfish).
 */
import bcrypt from 'bcryptjs';
import { passwordHashFormat } from '../../../src/table/credentials.ts';
import { equalBytes, equalText } from '../auth/constant-time.ts';
import { md5CryptHash } from './md5-crypt.ts';

export interface PasswordVerifier {
  /** Whether verifying costs enough CPU to be worth remembering (bcrypt). */
  readonly costly: boolean;
  verify(password: Uint8Array): Promise<boolean>;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The verifier of a stored hash; throws on a hash the table schema should have refused. */
export function passwordVerifier(hash: string): PasswordVerifier {
  const format = passwordHashFormat(hash);
  switch (format) {
    case 'sha':
      return shaVerifier(hash);
    case 'apr1':
    case 'md5crypt':
      return md5CryptVerifier(hash, format === 'apr1' ? '$apr1$' : '$1$');
    case 'bcrypt':
      return bcryptVerifier(hash);
    case undefined:
      throw new Error('basic-auth user has a hash of no accepted format');
  }
}

function shaVerifier(hash: string): PasswordVerifier {
  const expected = Uint8Array.from(atob(hash.slice('{SHA}'.length)), (char) => char.charCodeAt(0));
  return {
    costly: false,
    verify: async (password) => equalBytes(new Uint8Array(await crypto.subtle.digest('SHA-1', password)), expected),
  };
}

function md5CryptVerifier(hash: string, magic: '$1$' | '$apr1$'): PasswordVerifier {
  const [salt = '', expected = ''] = hash.slice(magic.length).split('$');
  // A thousand rounds of MD5 in JavaScript: remembered like bcrypt, or every request pays them.
  return { costly: true, verify: async (password) => equalText(md5CryptHash(password, salt, magic), expected) };
}

function bcryptVerifier(hash: string): PasswordVerifier {
  // `$2x$` as `$2a$`; the 22 salt characters follow `$2?$NN$`.
  const salt = hash.slice(0, 29).replace(/^\$2x\$/, '$2a$');
  const expected = hash.slice(29);
  return {
    costly: true,
    verify: async (password) => {
      let text: string;
      try {
        text = strictUtf8.decode(password);
      } catch {
        // bcryptjs hashes the UTF-8 of a string: bytes that are not UTF-8 cannot match.
        return false;
      }
      return equalText((await bcrypt.hash(text, salt)).slice(29), expected);
    },
  };
}
