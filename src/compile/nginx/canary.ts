/**
 * ingress-nginx's canary Ingresses (annotations.md "Canary";
 * docs/examples/canary/README.md; test/e2e/annotations/canary.go). An
 * Ingress with `canary: "true"` routes nothing itself: each of its paths
 * becomes the alternative backend of the main Ingress's path with the same
 * host and path, chosen per request by header, then cookie, then weight
 * (the `canary` middleware). The pairing spans Ingresses, so canaries are
 * collected once per compile, oldest first (one canary per path).
 *
 * @example
 * ```ts
 * const canaries = nginxCanaries(ingresses);
 * canaries.get('shop.example.com /'); // { source: 'shop/web-canary', namespace: 'shop', backend, annotations }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { headerNameProblem } from '../annotations/header-rules.ts';
import { translateGoRegex } from '../annotations/go-regex.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { BackendRef } from '../read/backend.ts';
import type { IngressModel } from '../read/ingress.ts';
import { nginxAnnotation } from './catalog.ts';

type Annotations = Readonly<Record<string, string>>;
export type CanaryPolicy = Omit<MiddlewareOf<'canary'>, 'kind' | 'service'>;

/** One canary path waiting for its main route. */
export interface CanarySpec {
  /** `namespace/name` of the canary Ingress. */
  readonly source: string;
  readonly namespace: string;
  readonly backend: Extract<BackendRef, { kind: 'service' }>;
  readonly annotations: Annotations;
  /** A main (non-canary) nginx-dialect Ingress routes the same host and path. */
  readonly paired: boolean;
}

export function isCanary(annotations: Annotations): boolean {
  return nginxAnnotation(annotations, 'canary')?.value.trim().toLowerCase() === 'true';
}

/** The key a main route and its canary share. */
export function canaryKey(host: string, path: string): string {
  return `${host} ${path === '' ? '/' : path}`;
}

/** Canary paths by host and path, the oldest canary Ingress first (`ingresses` come oldest first). */
export function nginxCanaries(ingresses: readonly IngressModel[]): ReadonlyMap<string, CanarySpec> {
  const canaries = new Map<string, CanarySpec>();
  const mains = new Set<string>();
  for (const ingress of ingresses) {
    const canary = isCanary(ingress.meta.annotations);
    for (const rule of ingress.rules) {
      for (const path of rule?.paths ?? []) {
        if (!rule || !path) continue;
        const key = canaryKey(rule.host, path.path);
        if (!canary) mains.add(key);
        else if (path.backend.kind === 'service' && !canaries.has(key)) {
          canaries.set(key, { source: ingress.key, namespace: ingress.meta.namespace, backend: path.backend, annotations: ingress.meta.annotations, paired: false });
        }
      }
    }
  }
  for (const [key, spec] of canaries) if (mains.has(key)) canaries.set(key, { ...spec, paired: true });
  return canaries;
}

/** Whether two canary maps pair the same canaries (the incremental compiler recompiles on a change). */
export function sameCanaries(a: ReadonlyMap<string, CanarySpec>, b: ReadonlyMap<string, CanarySpec>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, spec] of a) {
    const other = b.get(key);
    if (!other || other.source !== spec.source || other.backend !== spec.backend || other.annotations !== spec.annotations || other.paired !== spec.paired) return false;
  }
  return true;
}

/** The canary's routing policy, as its annotations say; invalid parts are reported and left out. */
export function readCanaryPolicy(annotations: Annotations, report: Reporter): CanaryPolicy {
  const value = (name: string) => {
    const found = nginxAnnotation(annotations, name);
    return found && found.value.trim() !== '' ? { key: found.key, value: found.value.trim() } : undefined;
  };
  const policy: { -readonly [K in keyof CanaryPolicy]: CanaryPolicy[K] } = { weight: 0, total: 100 };
  const header = value('canary-by-header');
  if (header) {
    if (headerNameProblem(header.value)) report.error('InvalidAnnotation', header.key, `canary-by-header ${quote(header.value)} is not a header name; ignored`);
    else {
      policy.header = header.value;
      const headerValue = value('canary-by-header-value');
      const pattern = value('canary-by-header-pattern');
      if (headerValue) policy.headerValue = headerValue.value;
      else if (pattern) {
        const translated = translateGoRegex(pattern.value);
        if (translated.ok) policy.headerPattern = translated.value.regex;
        else report.error('InvalidAnnotation', pattern.key, `canary-by-header-pattern ${quote(pattern.value)} ${translated.error}; ignored`);
      }
    }
  }
  const cookie = value('canary-by-cookie');
  if (cookie) {
    if (/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}$/.test(cookie.value)) policy.cookie = cookie.value;
    else report.error('InvalidAnnotation', cookie.key, `canary-by-cookie ${quote(cookie.value)} is not a cookie name; ignored`);
  }
  const total = value('canary-weight-total');
  if (total) {
    if (/^[0-9]{1,9}$/.test(total.value) && Number(total.value) >= 100) policy.total = Number(total.value);
    else if (!/^[0-9]{1,9}$/.test(total.value)) report.error('InvalidAnnotation', total.key, `canary-weight-total ${quote(total.value)} is not a number; using 100`);
  }
  const weight = value('canary-weight');
  if (weight) {
    if (/^[0-9]{1,9}$/.test(weight.value)) policy.weight = Math.min(Number(weight.value), policy.total);
    else report.error('InvalidAnnotation', weight.key, `canary-weight ${quote(weight.value)} is not a number; using 0`);
  }
  return policy;
}
