/**
 * A middleware as `explain` and logs may show it: the credentials of basic
 * and digest auth (hashes, HA1 values) replaced by the user count, so the
 * Secret's content never appears outside the table itself.
 *
 * @example
 * ```ts
 * redactMiddleware({ kind: 'basic-auth', secret: 'shop/htpasswd', removeHeader: false, users: [u1, u2] });
 * // { kind: 'basic-auth', secret: 'shop/htpasswd', removeHeader: false, users: '2 users (hashes not shown)' }
 * ```
 */
import type { Middleware } from './middleware.ts';

export function redactMiddleware(middleware: Middleware): Readonly<Record<string, unknown>> {
  if (middleware.kind !== 'basic-auth' && middleware.kind !== 'digest-auth') return middleware;
  const count = middleware.users.length;
  return { ...middleware, users: `${count} ${count === 1 ? 'user' : 'users'} (hashes not shown)` };
}
