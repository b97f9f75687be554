/**
 * Access control of one Ingress: the IP allow-list (`whitelist-*`) and
 * authentication (`auth-*`), as the middlewares every route of the Ingress
 * starts with, the default backend included (Traefik did not authenticate
 * the default backend; edgress does, failing closed). A family that does not
 * compile becomes a `deny`: 403 for the allow-list, 404 for auth; the route
 * keeps its host and path and nobody is let through (docs/design/decisions.md#decision-5-fail-per-path-and-closed-when-unsafe).
 *
 * @example
 * ```ts
 * readProtection({ 'ingress.kubernetes.io/auth-type': 'basic', 'ingress.kubernetes.io/auth-secret': 'htpasswd' },
 *   { namespace: 'shop', secret: (name) => cluster.secret('shop', name) }, report);
 * // [{ kind: 'basic-auth', secret: 'shop/htpasswd', removeHeader: false, users: [...] }]
 * ```
 */
import type { Middleware } from '../../table/middleware.ts';
import type { Reporter } from '../diagnostics.ts';
import { readAllowList } from './allow-list.ts';
import { readAuth, type SecretSource } from './auth.ts';

/** The access-control middlewares of an Ingress (none, one or two; a `deny` alone when either fails). */
export function readProtection(annotations: Readonly<Record<string, string>>, secrets: SecretSource, report: Reporter): Middleware[] {
  const allowList = readAllowList(annotations, report);
  const auth = readAuth(annotations, secrets, report);
  const middlewares = [allowList, auth].filter((middleware) => middleware !== undefined);
  // One deny answers for the route; the allow-list's 403 first, as Traefik checks it before auth.
  const deny = middlewares.find((middleware) => middleware.kind === 'deny');
  return deny ? [deny] : middlewares;
}
