/**
 * `digest-auth` (Traefik `auth-type: digest`, docs/guides/access-control.md):
 * RFC 7616 as Traefik's go-http-auth implemented it. MD5 only (an absent
 * `algorithm` counts as MD5), `qop=auth` only, realm `traefik`; the
 * `opaque` must be ours; the `uri` must name the requested path (the URI the
 * client sent, docs/design/decisions.md#decision-8-redirects-see-the-client-url: a stripped prefix no longer breaks digest auth as
 * it did in Traefik); nonces are stateless and expire (see `./nonces.ts`).
 * Every failure is a 401 with a fresh challenge.
 */
import { md5 } from '@noble/hashes/legacy.js';
import { normalizePath } from '../../../src/match/normalize.ts';
import { AUTH_REALM } from '../../../src/table/credentials.ts';
import { equalText } from '../auth/constant-time.ts';
import { applyIdentity, unauthorized } from '../auth/responses.ts';
import type { MiddlewareFactory, RequestContext } from '../types.ts';
import { isolateNonceCounts, NonceIssuer, nonceExpiry } from './nonces.ts';
import { digestParams } from './params.ts';

const encoder = new TextEncoder();
const REQUIRED = ['username', 'nonce', 'uri', 'response', 'nc', 'cnonce', 'qop'] as const;
const NONCE_COUNT = /^[0-9a-fA-F]{1,16}$/;

export const digestAuth: MiddlewareFactory<'digest-auth'> = (config) => {
  const users = new Map(config.users.map(({ user, ha1 }) => [user, ha1]));
  const credentials = JSON.stringify(config.users);
  const nonces = new NonceIssuer(credentials);
  // Counts are the isolate's, keyed by what makes a nonce valid: every route and host with these users shares them.
  const countKey = (user: string, nonce: string) => `${AUTH_REALM}\u0000${credentials}\u0000${user}\u0000${nonce}`;
  // Unknown users are checked against a random HA1, so they cost what known users cost.
  const decoyHa1 = md5Hex(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = async (stale: boolean) =>
    unauthorized(
      `Digest realm="${AUTH_REALM}", nonce="${await nonces.issue(Date.now())}", opaque="${await nonces.opaque()}", ` +
        `algorithm="MD5", qop="auth"${stale ? ', stale=true' : ''}`,
    );

  return async function checkDigestAuth(context, next) {
    const params = digestParams(context.request.headers.get('authorization'));
    if (!params || !REQUIRED.every((name) => params.has(name))) return challenge(false);
    const get = (name: string) => params.get(name) ?? '';
    const algorithm = params.get('algorithm') ?? 'MD5';
    if (algorithm !== 'MD5' || get('qop') !== 'auth' || !equalText(get('opaque'), await nonces.opaque())) return challenge(false);
    if (!uriNamesRequest(get('uri'), context) || !NONCE_COUNT.test(get('nc'))) return challenge(false);
    const ha1 = users.get(get('username'));
    const ha2 = md5Hex(encoder.encode(`${context.request.method}:${get('uri')}`));
    const expected = md5Hex(encoder.encode([ha1 ?? decoyHa1, get('nonce'), get('nc'), get('cnonce'), 'auth', ha2].join(':')));
    if (!equalText(expected, get('response')) || ha1 === undefined) return challenge(false);
    const nonce = await nonces.check(get('nonce'), Date.now());
    if (nonce !== 'valid') return challenge(nonce === 'stale');
    const now = Date.now();
    if (!isolateNonceCounts.advance(countKey(get('username'), get('nonce')), Number.parseInt(get('nc'), 16), nonceExpiry(get('nonce')), now)) {
      return challenge(false);
    }
    applyIdentity(context, config, get('username'));
    return next();
  };
};

/**
 * Whether the digest's `uri` names the request: a URI whose path, normalised
 * as the request's was, is the request's (go-http-auth compared paths,
 * whatever the query). The client hashes the `uri` it sent (`//app` or
 * `/%61pp` included); the comparison is with the normalised path the pod gets.
 */
function uriNamesRequest(uri: string, context: RequestContext): boolean {
  const url = context.url;
  if (uri === url.pathname + url.search) return true;
  // An origin-form `uri` is a path even when it starts with `//`.
  const parsed = URL.parse(uri.startsWith('/') ? `${url.origin}${uri}` : uri);
  if (!parsed) return false;
  return normalizePath(parsed.pathname)?.upstream === url.pathname;
}

function md5Hex(bytes: Uint8Array): string {
  return Array.from(md5(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
