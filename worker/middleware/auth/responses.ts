/**
 * What the authentication middlewares answer and set: Traefik's 401 (body
 * `401 Unauthorized`, a `WWW-Authenticate` challenge) and, on success, the
 * identity headers (`auth-header-field`, `auth-remove-header`).
 */
import type { RequestContext } from '../types.ts';

/** Traefik 1.7's 401: fixed text, never client input. */
export function unauthorized(challenge: string): Response {
  return new Response('401 Unauthorized\n', {
    status: 401,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': challenge, 'x-content-type-options': 'nosniff' },
  });
}

export interface IdentityOptions {
  readonly removeHeader: boolean;
  readonly headerField?: string | undefined;
}

/**
 * After a successful check: the authenticated user in `headerField` (any
 * client copy replaced, see {@link removeClientCopies}) and `Authorization`
 * dropped when asked.
 */
export function applyIdentity(context: RequestContext, options: IdentityOptions, user: string): void {
  if (options.headerField) {
    removeClientCopies(context.headers, options.headerField);
    context.headers.set(options.headerField, user);
  }
  if (options.removeHeader) context.headers.delete('authorization');
}

/**
 * Removes every header that could pass for `name` upstream (docs/design/decisions.md#decision-10-no-client-header-can-impersonate):
 * any letter case (`Headers` names are case-insensitive) and any spelling
 * with `_` for `-`, which CGI-style servers (PHP, WSGI, Rack) read as the
 * same variable (`X_WebAuth_User` and `X-WebAuth-User` are both
 * `HTTP_X_WEBAUTH_USER`).
 */
export function removeClientCopies(headers: Headers, name: string): void {
  const key = lookalikeKey(name);
  for (const present of [...headers.keys()]) if (lookalikeKey(present) === key) headers.delete(present);
}

function lookalikeKey(name: string): string {
  return name.toLowerCase().replaceAll('_', '-');
}

