/**
 * `basic-auth` (Traefik `auth-type: basic`, docs/guides/access-control.md):
 * `Authorization: Basic` checked against the htpasswd users of the table.
 * Unknown user, wrong password, malformed or oversized header: 401 with
 * `WWW-Authenticate: Basic realm="traefik"`. On success the user goes
 * upstream in `auth-header-field` and `Authorization` is dropped with
 * `auth-remove-header`.
 *
 * An unknown user is checked against the first user's hash anyway (the
 * result discarded), so the time of a 401 does not tell which user names
 * exist, as far as the hash kinds of the file are alike.
 */
import { AUTH_REALM } from '../../../src/table/credentials.ts';
import { applyIdentity, unauthorized } from '../auth/responses.ts';
import type { MiddlewareFactory } from '../types.ts';
import { basicCredentials } from './credentials.ts';
import { verifiedCache } from './verified-cache.ts';
import { passwordVerifier, type PasswordVerifier } from './verify.ts';

const CHALLENGE = `Basic realm="${AUTH_REALM}"`;

interface StoredUser {
  readonly hash: string;
  readonly verifier: PasswordVerifier;
}

export const basicAuth: MiddlewareFactory<'basic-auth'> = (config) => {
  const challenge = config.realm === undefined ? CHALLENGE : `Basic realm="${config.realm}"`;
  const users = new Map<string, StoredUser>(config.users.map(({ user, hash }) => [user, { hash, verifier: passwordVerifier(hash) }]));
  const decoy = users.values().next().value;
  if (!decoy) throw new Error('basic-auth has no users');
  return async function checkBasicAuth(context, next) {
    const credentials = basicCredentials(context.request.headers.get('authorization'));
    if (!credentials) return unauthorized(challenge);
    const stored = users.get(credentials.user);
    if (!stored) {
      await decoy.verifier.verify(credentials.password);
      return unauthorized(challenge);
    }
    if (!(await verify(credentials.user, stored, credentials.password))) return unauthorized(challenge);
    applyIdentity(context, config, credentials.user);
    return next();
  };
};

async function verify(user: string, stored: StoredUser, password: Uint8Array): Promise<boolean> {
  if (!stored.verifier.costly) return stored.verifier.verify(password);
  const now = Date.now();
  if (await verifiedCache.has(user, stored.hash, password, now)) return true;
  const ok = await stored.verifier.verify(password);
  if (ok) await verifiedCache.remember(user, stored.hash, password, now);
  return ok;
}
