/**
 * The credentials of `Authorization: Basic base64(user:password)` as
 * Traefik 1.7's Go server read them: the scheme spelled `Basic` exactly,
 * strict standard base64 with padding, user up to the first `:`, the
 * password (which may contain `:`) after it. Anything else, or a header
 * longer than the limit, is no credentials at all.
 */
import { AUTH_LIMITS } from '../auth/limits.ts';

export interface BasicCredentials {
  readonly user: string;
  /** The password as sent (bytes); hashes are computed over these. */
  readonly password: Uint8Array;
}

const PREFIX = 'Basic ';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const COLON = 0x3a;
const userDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function basicCredentials(header: string | null): BasicCredentials | undefined {
  if (header === null || header.length > AUTH_LIMITS.maxAuthorizationBytes || !header.startsWith(PREFIX)) return undefined;
  const encoded = header.slice(PREFIX.length);
  if (!BASE64.test(encoded)) return undefined;
  const decoded = atob(encoded);
  const bytes = new Uint8Array(decoded.length);
  for (let i = 0; i < decoded.length; i++) bytes[i] = decoded.charCodeAt(i);
  const colon = bytes.indexOf(COLON);
  if (colon === -1) return undefined;
  try {
    return { user: userDecoder.decode(bytes.subarray(0, colon)), password: bytes.slice(colon + 1) };
  } catch {
    return undefined;
  }
}
