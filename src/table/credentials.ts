/**
 * What the access-control middlewares of the table (`./middleware.ts`) may
 * hold as credentials: the realm and the password hash formats basic auth
 * accepts. The table keeps only what verification needs: hashes, never a
 * clear-text password.
 *
 * @example
 * ```ts
 * passwordHashFormat('$apr1$8yqx2A7C$9Wq6eIDCCVEyj9kqzsGrT/'); // 'apr1'
 * passwordHashFormat('secret');                                // undefined
 * ```
 */

/** Traefik's only realm: `auth-realm` must be empty or this. */
export const AUTH_REALM = 'traefik';

/**
 * Password hash formats basic auth accepts, by the prefix that selects them
 * (as Traefik 1.7 chose them): bcrypt, Apache MD5 (`$apr1$`), MD5-crypt
 * (`$1$`) and `{SHA}` (base64 SHA-1). Plain text and every other crypt
 * scheme are refused.
 */
export const PASSWORD_HASH_FORMATS = {
  bcrypt: /^\$2[abxy]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/,
  apr1: /^\$apr1\$[^$:\s]{0,8}\$[./0-9A-Za-z]{22}$/,
  md5crypt: /^\$1\$[^$:\s]{0,8}\$[./0-9A-Za-z]{22}$/,
  sha: /^\{SHA\}[A-Za-z0-9+/]{27}=$/,
} as const;
export type PasswordHashFormat = keyof typeof PASSWORD_HASH_FORMATS;

/** The format of a stored hash, or undefined when it is none of the accepted ones. */
export function passwordHashFormat(hash: string): PasswordHashFormat | undefined {
  for (const [format, pattern] of Object.entries(PASSWORD_HASH_FORMATS)) if (pattern.test(hash)) return format as PasswordHashFormat;
  return undefined;
}

