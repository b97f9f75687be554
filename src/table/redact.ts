/**
 * A middleware as `explain` and logs may show it: the credentials of basic
 * and digest auth (hashes, HA1 values) replaced by the user count, and the
 * values a header modifier gives credential headers (`Authorization`,
 * `Cookie`, …) hidden, so secrets never appear outside the table itself.
 *
 * @example
 * ```ts
 * redactMiddleware({ kind: 'basic-auth', secret: 'shop/htpasswd', removeHeader: false, users: [u1, u2] });
 * // { kind: 'basic-auth', secret: 'shop/htpasswd', removeHeader: false, users: '2 users (hashes not shown)' }
 * ```
 */
import type { Middleware } from './middleware.ts';

/** Headers whose configured values are credentials. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const HIDDEN = '(value not shown)';

export function redactMiddleware(middleware: Middleware): Readonly<Record<string, unknown>> {
  if (middleware.kind === 'header-modifier') {
    const hide = ([name, value]: readonly [string, string]): [string, string] => [name, CREDENTIAL_HEADERS.has(name.toLowerCase()) ? HIDDEN : value];
    return { ...middleware, set: middleware.set.map(hide), add: middleware.add.map(hide) };
  }
  if (middleware.kind !== 'basic-auth' && middleware.kind !== 'digest-auth') return middleware;
  const count = middleware.users.length;
  return { ...middleware, users: `${count} ${count === 1 ? 'user' : 'users'} (hashes not shown)` };
}
