/**
 * The Secrets authentication reads (docs/guides/access-control.md): the
 * single-key htpasswd / htdigest Secret of `auth-secret` and the
 * `tls.crt` + `tls.key` Secret of `auth-tls-secret`. Problems are described
 * by key name, line number and, for a line shaped `user:…`, its user: a
 * diagnostic never quotes a hash or a password.
 *
 * Lines are split on `\n`; a trailing `\r` is dropped (Traefik kept it and
 * silently locked every user of a CRLF file out) and empty lines are
 * skipped. A line that does not parse is skipped on its own, as Traefik
 * skipped it (docs/design/decisions.md#decision-17-an-unusable-credential-line-is-skipped).
 *
 * @example
 * ```ts
 * const entries = secretEntries(secret);        // [{ key: 'auth', text: 'alice:$apr1$…' }]
 * parseHtpasswd(entries[0].text).users;         // [{ user: 'alice', hash: '$apr1$…' }]
 * parseHtdigest('bob:traefik:0123…').users;     // [{ user: 'bob', ha1: '0123…' }]
 * ```
 */
import { quote } from '../diagnostics.ts';
import { AUTH_REALM, passwordHashFormat } from '../../table/credentials.ts';
import type { MiddlewareOf } from '../../table/middleware.ts';
import type { SecretModel } from '../read/objects.ts';

/** Limits on what a Secret may ask of the edge. */
export const AUTH_SECRET_LIMITS = {
  /** bcrypt costs above this take seconds of CPU per uncached request at the edge. */
  maxBcryptCost: 14,
  /** Unusable lines reported one by one before the rest are counted in one warning. */
  linesReported: 10,
} as const;

export interface SecretEntry {
  readonly key: string;
  /** The value as UTF-8 text; undefined when `data` is not base64 or not UTF-8. */
  readonly text: string | undefined;
}

/** Every key of `data` and `stringData` (which wins, as the API server merges them), sorted. */
export function secretEntries(secret: SecretModel): SecretEntry[] {
  const keys = new Set([...Object.keys(secret.data), ...Object.keys(secret.stringData)]);
  return [...keys].sort().map((key) => {
    const plain = secret.stringData[key];
    if (Object.hasOwn(secret.stringData, key)) return { key, text: typeof plain === 'string' ? plain : undefined };
    const encoded = secret.data[key];
    return { key, text: typeof encoded === 'string' ? decodeBase64Text(encoded) : undefined };
  });
}

function decodeBase64Text(encoded: string): string | undefined {
  try {
    const binary = atob(encoded.replace(/\s+/g, ''));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** A line that was skipped: its 1-based number, its user when the line names one, and what is wrong. */
export interface UnusableLine {
  readonly line: number;
  readonly user?: string;
  readonly problem: string;
}

/** Users parsed from a Secret, and the lines left out. */
/**
 * Unusable lines as diagnostics say them (`line 3 (user "bob"): a plain-text
 * password`, never the hash or password): the first
 * `AUTH_SECRET_LIMITS.linesReported`, and how many more there are.
 */
export function describeUnusableLines(unusable: readonly UnusableLine[]): { readonly lines: readonly string[]; readonly more: number } {
  const { linesReported } = AUTH_SECRET_LIMITS;
  return {
    lines: unusable.slice(0, linesReported).map(({ line, user, problem }) => `line ${line}${user === undefined ? '' : ` (user ${quote(user)})`}: ${problem}`),
    more: Math.max(0, unusable.length - linesReported),
  };
}

export interface ParsedUsers<U> {
  readonly users: readonly U[];
  readonly unusable: readonly UnusableLine[];
  readonly warnings: readonly string[];
}

type BasicUser = MiddlewareOf<'basic-auth'>['users'][number];
type DigestUser = MiddlewareOf<'digest-auth'>['users'][number];

/** htpasswd lines `user:hash`, exactly one `:`; hashes bcrypt, `$apr1$`, `$1$` or `{SHA}`. */
export function parseHtpasswd(text: string): ParsedUsers<BasicUser> {
  return parseLines(text, (fields) => {
    if (fields.length !== 2) return 'not user:hash (exactly one ":")';
    const [user = '', hash = ''] = fields;
    const format = passwordHashFormat(hash);
    if (!format) return 'a password in plain text or not hashed with bcrypt, $apr1$, $1$ or {SHA}';
    const cost = format === 'bcrypt' ? Number(hash.slice(4, 6)) : 0;
    if (cost > AUTH_SECRET_LIMITS.maxBcryptCost) return `a bcrypt cost of ${cost}, above ${AUTH_SECRET_LIMITS.maxBcryptCost}`;
    return { user, hash };
  });
}

/** htdigest lines `user:realm:HA1`; only realm `traefik` can ever match, other realms are skipped. */
export function parseHtdigest(text: string): ParsedUsers<DigestUser> & { readonly otherRealms: number } {
  let otherRealms = 0;
  const parsed = parseLines(text, (fields) => {
    if (fields.length !== 3) return 'not user:realm:HA1 (exactly two ":")';
    const [user = '', realm = '', ha1 = ''] = fields;
    if (!/^[0-9a-fA-F]{32}$/.test(ha1)) return 'an HA1 that is not 32 hexadecimal digits';
    if (realm !== AUTH_REALM) {
      otherRealms += 1;
      return undefined;
    }
    return { user, ha1: ha1.toLowerCase() };
  });
  return { ...parsed, otherRealms };
}

/** One line's fields → its user, a problem (what is wrong with the line), or undefined to skip it. */
type LineParser<U> = (fields: readonly string[]) => U | string | undefined;

function parseLines<U extends { readonly user: string }>(text: string, parse: LineParser<U>): ParsedUsers<U> {
  const byUser = new Map<string, { user: U; line: number }>();
  const unusable: UnusableLine[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') return;
    const number = index + 1;
    const fields = line.split(':');
    if (fields[0] === '' || /[\x00-\x1f\x7f]/.test(line)) return void unusable.push({ line: number, problem: 'an empty user name or control characters' });
    const user = parse(fields);
    // Only the part before a `:` is a user; a line without one may be a bare password.
    if (typeof user === 'string') return void unusable.push({ line: number, ...(fields.length > 1 ? { user: fields[0] } : {}), problem: user });
    if (!user) return;
    const earlier = byUser.get(user.user);
    if (earlier) warnings.push(`line ${number} repeats the user of line ${earlier.line}; line ${number} is used`);
    byUser.set(user.user, { user, line: number });
  });
  return { users: [...byUser.values()].map((entry) => entry.user), unusable, warnings };
}
