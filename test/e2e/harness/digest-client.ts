/**
 * A digest-auth client as curl and browsers are (RFC 7616, MD5, qop=auth):
 * reads a challenge, answers it for a user, a method and a URI.
 */
import { createHash } from 'node:crypto';

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string;
  readonly stale: boolean;
}

export function parseChallenge(header: string | string[] | undefined): DigestChallenge {
  const text = Array.isArray(header) ? header.join(', ') : (header ?? '');
  const param = (name: string) => new RegExp(`${name}="?([^",]*)"?`).exec(text)?.[1] ?? '';
  return { realm: param('realm'), nonce: param('nonce'), opaque: param('opaque'), stale: param('stale') === 'true' };
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

export function digestAuthorization(c: DigestChallenge, user: string, password: string, method: string, uri: string, nc = 1): string {
  const count = nc.toString(16).padStart(8, '0');
  const cnonce = 'e2e0c0ffee';
  const response = md5(`${md5(`${user}:${c.realm}:${password}`)}:${c.nonce}:${count}:${cnonce}:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="${c.realm}", nonce="${c.nonce}", uri="${uri}", algorithm=MD5, qop=auth, nc=${count}, cnonce="${cnonce}", response="${response}", opaque="${c.opaque}"`;
}
