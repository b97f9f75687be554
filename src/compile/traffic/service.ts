/**
 * Traefik 1.7's Service annotations (docs/reference/annotations.md), read once per Service:
 * load balancing (`load-balancer-method`, `affinity`, deprecated
 * `traefik.backend.loadbalancer.sticky`, `session-*`) for the pool, and the
 * backend chain (`circuit-breaker-expression`, `buffering`, `max-conn-*`)
 * for every route that sends to the Service.
 *
 * Invalid limits (`buffering`, `max-conn-*`) fail closed: the routes answer
 * 404, as Traefik skipped the frontend. An invalid breaker expression or
 * balancing value is reported and ignored: serving without it is safe.
 *
 * @example
 * ```ts
 * const traffic = readServiceTraffic({ 'ingress.kubernetes.io/affinity': 'true' }, report);
 * traffic.balancer(poolId); // { method: 'wrr', sticky: { cookie: '_9f2a1', secure: false, httpOnly: false } }
 * ```
 */
import type { Middleware, MiddlewareOf } from '../../table/middleware.ts';
import type { Balancer, Sticky } from '../../table/traffic.ts';
import { LEGACY_STICKY_LABEL } from '../annotations/catalog.ts';
import { lookupAnnotation } from '../annotations/lookup.ts';
import { parseGoBool, parseGoInt } from '../annotations/values.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { parseBuffering, parseExtractor } from './blocks.ts';
import { parseGoDuration } from '../duration.ts';
import { BREAKER_FUNCTIONS, parseExpression } from './expression.ts';
import { sha1Hex } from './sha1.ts';

type Annotations = Readonly<Record<string, string>>;

export interface ServiceTraffic {
  /** The pool's balancer for `backendName` (its pool id); undefined for plain smooth WRR. */
  balancer(backendName: string): Balancer | undefined;
  /** Stickiness alone, for a weighted group named `backendName`. */
  sticky(backendName: string): Sticky | undefined;
  /** Backend-chain middlewares for the routes of this Service (a `deny` when a limit is invalid). */
  readonly middlewares: readonly Middleware[];
}

/** The deprecated `traefik.backend.loadbalancer.sticky` cookie name. */
export const LEGACY_STICKY_COOKIE = '_TRAEFIK_BACKEND';

/** Reads every traffic annotation of one Service, reporting each problem once. */
export function readServiceTraffic(annotations: Annotations, report: Reporter): ServiceTraffic {
  const method = readMethod(annotations, report);
  const sticky = readSticky(annotations, report);
  const middlewares = [...readBreaker(annotations, report), ...readLimits(annotations, report)];
  const stickyFor = (backendName: string): Sticky | undefined =>
    sticky && { cookie: sticky.cookie ?? defaultCookieName(backendName), ...sticky.attributes };
  return {
    balancer: (backendName) => {
      const stickiness = stickyFor(backendName);
      if (method === 'wrr' && !stickiness) return undefined;
      return stickiness ? { method, sticky: stickiness } : { method };
    },
    sticky: stickyFor,
    middlewares,
  };
}

/** `_` + the first 5 hex digits of SHA-1(`_TRAEFIK_BACKEND_` + backend name), as Traefik derived it. */
export function defaultCookieName(backendName: string): string {
  return `_${sha1Hex(`_TRAEFIK_BACKEND_${backendName}`).slice(0, 5)}`;
}

/** Traefik's `session-cookie-name` sanitising: every non-token character becomes `_`. */
export function sanitizeCookieName(name: string): string {
  return name.replace(/[^!#$%&'*+.^_`|~0-9A-Za-z-]/gu, '_');
}

function readMethod(annotations: Annotations, report: Reporter): Balancer['method'] {
  const found = lookupAnnotation(annotations, 'load-balancer-method');
  if (!found || found.value === 'drr') return found ? 'drr' : 'wrr';
  if (found.value !== 'wrr' && found.value !== '') report.warn('InvalidAnnotation', found.key, `load-balancer-method ${quote(found.value)} is not wrr or drr; using wrr`);
  return 'wrr';
}

function readSticky(annotations: Annotations, report: Reporter): { cookie: string | undefined; attributes: Omit<Sticky, 'cookie'> } | undefined {
  const affinity = readBool(annotations, 'affinity', report);
  const legacy = annotations[LEGACY_STICKY_LABEL];
  const legacySticky = legacy !== undefined && parseGoBool(legacy) === true;
  if (legacy !== undefined) report.warn('DeprecatedAnnotation', LEGACY_STICKY_LABEL, `use ingress.kubernetes.io/affinity instead; ${legacySticky ? 'honoured' : 'not "true": ignored'}`);
  if (!affinity && !legacySticky) return undefined;
  const name = affinity ? lookupAnnotation(annotations, 'session-cookie-name') : undefined;
  const cookie = name && name.value !== '' ? sanitizeCookieName(name.value) : affinity ? undefined : LEGACY_STICKY_COOKIE;
  const sameSite = lookupAnnotation(annotations, 'session-same-site');
  const site = sameSite?.value.toLowerCase();
  if (sameSite && sameSite.value !== '' && site !== 'none' && site !== 'lax' && site !== 'strict') {
    report.warn('InvalidAnnotation', sameSite.key, `session-same-site ${quote(sameSite.value)} is not none, lax or strict; the attribute is left out`);
  }
  const attributes: Omit<Sticky, 'cookie'> = {
    secure: readBool(annotations, 'session-secure', report),
    httpOnly: readBool(annotations, 'session-http-only', report),
    ...(site === 'none' || site === 'lax' || site === 'strict' ? { sameSite: site } : {}),
  };
  return { cookie, attributes };
}

function readBool(annotations: Annotations, name: string, report: Reporter): boolean {
  const found = lookupAnnotation(annotations, name);
  if (!found) return false;
  const value = parseGoBool(found.value);
  if (value === undefined) report.warn('InvalidAnnotation', found.key, `${name} ${quote(found.value)} is not a boolean; using false`);
  return value ?? false;
}

function readBreaker(annotations: Annotations, report: Reporter): MiddlewareOf<'circuit-breaker'>[] {
  const found = lookupAnnotation(annotations, 'circuit-breaker-expression');
  if (!found || found.value.trim() === '') return [];
  const parsed = parseExpression(found.value, BREAKER_FUNCTIONS);
  if (!parsed.ok) {
    report.error('InvalidAnnotation', found.key, `circuit-breaker-expression ${quote(found.value)}: ${parsed.error}; no circuit breaker`);
    return [];
  }
  return [{ kind: 'circuit-breaker', condition: { source: found.value, predicate: parsed.predicate } }];
}

/** `buffering` and `max-conn-*`, plus the flush-interval note; a `deny` when a limit is invalid. */
function readLimits(annotations: Annotations, report: Reporter): Middleware[] {
  const middlewares: Middleware[] = [];
  const invalid = (key: string, message: string) => {
    report.error('InvalidAnnotation', key, `${message}; the routes of this Service fail closed (answer 404)`);
    middlewares.push({ kind: 'deny', status: 404, reason: `invalid ${key}` });
  };
  const buffering = lookupAnnotation(annotations, 'buffering');
  if (buffering && buffering.value.trim() !== '') {
    const parsed = parseBuffering(buffering.value);
    if (parsed.ok) middlewares.push(parsed.value);
    else invalid(buffering.key, `buffering: ${parsed.error}`);
  }
  const amount = lookupAnnotation(annotations, 'max-conn-amount');
  const extractor = lookupAnnotation(annotations, 'max-conn-extractor-func');
  if (amount && amount.value !== '' && amount.value !== '0') {
    const limit = parseGoInt(amount.value);
    const extract = parseExtractor(extractor?.value ?? '');
    if (limit === undefined || limit < 0) invalid(amount.key, `max-conn-amount ${quote(amount.value)} is not a whole number`);
    else if (!extract) invalid(extractor?.key ?? amount.key, `max-conn-extractor-func ${quote(extractor?.value ?? '')} is not client.ip, request.host or request.header.<name>`);
    else middlewares.push({ kind: 'max-conn', amount: limit, extractor: extract });
  }
  const flush = lookupAnnotation(annotations, 'responseforwarding-flushinterval');
  if (flush && flush.value !== '') {
    const valid = parseGoDuration(flush.value) !== undefined;
    const why = valid ? 'responses always stream from the edge as the pod sends them; no effect' : 'is not a Go duration; ignored (responses always stream)';
    report.warn(valid ? 'IgnoredAnnotation' : 'InvalidAnnotation', flush.key, `responseforwarding-flushinterval ${quote(flush.value)} ${why}`);
  }
  return middlewares;
}
