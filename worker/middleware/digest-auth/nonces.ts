/**
 * Digest nonces at the edge. Traefik kept issued nonces in memory; an edge
 * request and the next one of the same client usually land in different
 * isolates, so nonces here are stateless: `<issued, hex seconds>.<random>.<MAC>`,
 * the MAC an HMAC-SHA256 under a key derived from the route's users (their
 * HA1 values: only someone who holds the whole htdigest file could forge
 * one, and such a someone can log in anyway). A new table with other users
 * invalidates old nonces; a client then gets a fresh challenge.
 *
 * A nonce is accepted for `nonceLifetimeSeconds` after it was issued; past
 * that the answer is a new challenge with `stale=true`, which browsers and
 * curl follow without asking for the password again. Within one isolate a
 * nonce's `nc` must grow for its user (Traefik's replay check), whatever
 * route or host the answer is sent to: the counts live in one store per
 * isolate, keyed by the credentials (realm and users: what makes a nonce
 * valid), the user and the nonce (SECURITY.md findings: each host of an Ingress had its
 * own counts, so an answer replayed on another host got in once more). A
 * count is kept until its nonce expires; when the store is full of live
 * counts, a new nonce is refused (a fresh challenge) rather than an old
 * count forgotten. Across isolates there is no shared state, so a captured
 * request can be replayed at most once per isolate within the nonce
 * lifetime (the replay window). Serve digest auth over HTTPS, which the edge
 * provides, to keep requests from being captured.
 */
import { AUTH_LIMITS } from '../auth/limits.ts';
import { equalText } from '../auth/constant-time.ts';

const encoder = new TextEncoder();

export type NonceCheck = 'valid' | 'stale' | 'invalid';

export class NonceIssuer {
  readonly #key: Promise<CryptoKey>;

  /** `secret`: the route's credentials, from which the MAC key is derived. */
  constructor(secret: string) {
    this.#key = crypto.subtle
      .digest('SHA-256', encoder.encode(`edgress digest nonce v1\u0000${secret}`))
      .then((raw) => crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  }

  async issue(nowMs: number): Promise<string> {
    const random = hex(crypto.getRandomValues(new Uint8Array(12)));
    const payload = `${Math.floor(nowMs / 1000).toString(16)}.${random}`;
    return `${payload}.${await this.mac(payload)}`;
  }

  async check(nonce: string, nowMs: number): Promise<NonceCheck> {
    const parts = nonce.split('.');
    if (parts.length !== 3 || !/^[0-9a-f]{1,12}$/.test(parts[0] ?? '')) return 'invalid';
    const payload = `${parts[0]}.${parts[1]}`;
    if (!equalText(await this.mac(payload), parts[2] ?? '')) return 'invalid';
    const age = nowMs / 1000 - Number.parseInt(parts[0] ?? '', 16);
    if (age < -AUTH_LIMITS.nonceClockSkewSeconds) return 'invalid';
    return age > AUTH_LIMITS.nonceLifetimeSeconds ? 'stale' : 'valid';
  }

  /** A value derived from the key, the same in every isolate: Traefik's `opaque`. */
  opaque(): Promise<string> {
    return this.mac('opaque');
  }

  async mac(text: string): Promise<string> {
    return hex(new Uint8Array(await crypto.subtle.sign('HMAC', await this.#key, encoder.encode(text))).subarray(0, 16));
  }
}

/** When a nonce of {@link NonceIssuer} stops being accepted (ms), or NaN when it is not one. */
export function nonceExpiry(nonce: string): number {
  const issued = Number.parseInt(nonce.slice(0, nonce.indexOf('.')), 16);
  return (issued + AUTH_LIMITS.nonceLifetimeSeconds) * 1000;
}

/**
 * The last `nc` seen per key (credentials, user, nonce) in this isolate; a
 * request must bring a larger one. A count is remembered until its nonce
 * expires, so a replay is refused for as long as the nonce would be accepted.
 */
export class NonceCounts {
  readonly #last = new Map<string, { readonly nc: number; readonly expiresAtMs: number }>();
  readonly #capacity: number;

  constructor(capacity: number = AUTH_LIMITS.nonceCountEntries) {
    this.#capacity = capacity;
  }

  /**
   * Records `nc` for `key`; false (a replay, or no room to remember the count)
   * when it is not larger than the last one seen here.
   */
  advance(key: string, nc: number, expiresAtMs: number, nowMs: number): boolean {
    const last = this.#last.get(key);
    if (last !== undefined && nc <= last.nc) return false;
    if (last === undefined && this.#last.size >= this.#capacity && !this.#forgetExpired(nowMs)) return false;
    this.#last.set(key, { nc, expiresAtMs: last?.expiresAtMs ?? expiresAtMs });
    return true;
  }

  /** Drops the counts of expired nonces; whether there is room now. */
  #forgetExpired(nowMs: number): boolean {
    for (const [key, count] of this.#last) {
      if (count.expiresAtMs + AUTH_LIMITS.nonceClockSkewSeconds * 1000 < nowMs) this.#last.delete(key);
    }
    return this.#last.size < this.#capacity;
  }
}

/** The isolate's one store of counts: every digest route and host shares it. */
export const isolateNonceCounts = new NonceCounts();

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
