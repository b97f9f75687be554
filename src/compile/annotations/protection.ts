/**
 * Access-control annotations (`whitelist-source-range`, `auth-type`) that
 * edgress cannot enforce yet. Serving without them would let everyone in,
 * so an Ingress that sets one fails closed (decision 5): its routes keep
 * their host and path but answer with a `deny` middleware, whitelist first
 * (403) as Traefik checks it before auth (404, as a broken auth path in Traefik).
 *
 * @example
 * ```ts
 * readProtection({ 'ingress.kubernetes.io/auth-type': 'basic' }, report);
 * // { deny: { kind: 'deny', status: 404, reason: 'auth-type is not supported yet' }, families: ['auth'] }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { PROTECTION_TRIGGERS, type AnnotationFamily } from './catalog.ts';
import { lookupAnnotation } from './lookup.ts';
import { parseList } from './values.ts';

export interface Protection {
  /** The middleware every route of the Ingress starts with, if any. */
  readonly deny: MiddlewareOf<'deny'> | undefined;
  /** Families that made the Ingress fail closed (their other keys need no warning). */
  readonly families: readonly AnnotationFamily[];
}

/** Finds protection annotations and reports each one that is set. */
export function readProtection(annotations: Readonly<Record<string, string>>, report: Reporter): Protection {
  let deny: MiddlewareOf<'deny'> | undefined;
  const families: AnnotationFamily[] = [];
  for (const trigger of PROTECTION_TRIGGERS) {
    const found = lookupAnnotation(annotations, trigger.name);
    // Traefik switches these on only for a non-empty value (whitelist: a non-empty list).
    if (!found || (trigger.name === 'whitelist-source-range' ? parseList(found.value).length === 0 : found.value === '')) continue;
    families.push(trigger.family);
    deny ??= { kind: 'deny', status: trigger.status, reason: `${trigger.name} is not supported yet` };
    report.error(
      'ProtectionNotSupported',
      found.key,
      `${trigger.name} ${quote(found.value)} is not supported yet; the routes of this Ingress fail closed (answer ${deny.status})`,
    );
  }
  return { deny, families };
}
