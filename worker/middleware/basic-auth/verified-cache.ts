/**
 * A per-isolate memory of successful bcrypt and MD5-crypt (`$apr1$`, `$1$`)
 * verifications. bcrypt costs milliseconds to seconds of CPU per check by
 * design, MD5-crypt a thousand MD5 rounds in JavaScript, and a browser sends
 * the same credentials with every request, so without it every request of
 * a logged-in user pays the full cost (Workers bill CPU; the free plan
 * allows 10 ms per request).
 *
 * The key is an HMAC (with a random key that never leaves the isolate) of
 * the user, the stored hash and the password: a changed Secret changes the
 * stored hash and so misses; nothing in memory is a fast hash of a password
 * alone. Only successes are kept (a failure always pays), for at most
 * `verifiedLifetimeMs`, and at most `verifiedEntries` of them (oldest
 * forgotten first).
 */
import { AUTH_LIMITS } from '../auth/limits.ts';

const encoder = new TextEncoder();

export class VerifiedCache {
  readonly #entries = new Map<string, number>();
  #key: Promise<CryptoKey> | undefined;

  async has(user: string, hash: string, password: Uint8Array, now: number): Promise<boolean> {
    const id = await this.#id(user, hash, password);
    const expires = this.#entries.get(id);
    if (expires === undefined) return false;
    if (expires > now) return true;
    this.#entries.delete(id);
    return false;
  }

  async remember(user: string, hash: string, password: Uint8Array, now: number): Promise<void> {
    const id = await this.#id(user, hash, password);
    this.#entries.delete(id);
    this.#entries.set(id, now + AUTH_LIMITS.verifiedLifetimeMs);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= AUTH_LIMITS.verifiedEntries) break;
      this.#entries.delete(oldest);
    }
  }

  async #id(user: string, hash: string, password: Uint8Array): Promise<string> {
    this.#key ??= crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    const head = encoder.encode(`${user}\u0000${hash}\u0000`);
    const message = new Uint8Array(head.length + password.length);
    message.set(head);
    message.set(password, head.length);
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await this.#key, message));
    return btoa(String.fromCharCode(...mac));
  }
}

/** The isolate's cache, shared by every basic-auth route. */
export const verifiedCache = new VerifiedCache();
