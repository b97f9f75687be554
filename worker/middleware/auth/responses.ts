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
 * client copy, in any letter case, replaced: `Headers` names are
 * case-insensitive, decision 10) and `Authorization` dropped when asked.
 */
export function applyIdentity(context: RequestContext, options: IdentityOptions, user: string): void {
  if (options.headerField) {
    context.headers.delete(options.headerField);
    context.headers.set(options.headerField, user);
  }
  if (options.removeHeader) context.headers.delete('authorization');
}

