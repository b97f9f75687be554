/**
 * `limit-rps`, `limit-rpm`, `limit-burst-multiplier` and `limit-whitelist`
 * (annotations.md "Rate Limiting"; test/e2e/annotations/limitrps.go): per
 * client IP, edge-wide like the Traefik dialect's `rate-limit` (the
 * `RateLimiter` Durable Object), a bucket of rate × multiplier (default 5)
 * per second or minute; over it, 503 as ingress-nginx's default
 * `limit-req-status-code`. `limit-whitelist` exempts CIDRs.
 *
 * @example
 * ```ts
 * readNginxRateLimit({ 'nginx.ingress.kubernetes.io/limit-rps': '5' }, report);
 * // { kind: 'rate-limit', extractor: { type: 'client.ip' }, rates: [{ periodMs: 1000, average: 5, burst: 25 }], status: 503 }
 * ```
 */
import { describeInvalid, parseRanges } from '../annotations/allow-list.ts';
import type { MiddlewareOf } from '../../table/middleware.ts';
import { parseList } from '../annotations/values.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { nginxAnnotation } from './catalog.ts';

type Annotations = Readonly<Record<string, string>>;

export function readNginxRateLimit(annotations: Annotations, report: Reporter): MiddlewareOf<'rate-limit'> | undefined {
  const count = (name: string): number | undefined => {
    const found = nginxAnnotation(annotations, name);
    if (!found || found.value.trim() === '') return undefined;
    if (/^[0-9]{1,9}$/.test(found.value.trim()) && Number(found.value.trim()) > 0) return Number(found.value.trim());
    report.error('InvalidAnnotation', found.key, `${name} ${quote(found.value)} is not a positive number; no limit from it`);
    return undefined;
  };
  const rps = count('limit-rps');
  const rpm = count('limit-rpm');
  if (rps === undefined && rpm === undefined) return undefined;
  const multiplier = count('limit-burst-multiplier') ?? 5;
  const rates = [
    ...(rps !== undefined ? [{ periodMs: 1000, average: rps, burst: rps * multiplier }] : []),
    ...(rpm !== undefined ? [{ periodMs: 60_000, average: rpm, burst: rpm * multiplier }] : []),
  ];
  const whitelist = nginxAnnotation(annotations, 'limit-whitelist');
  const { ranges: exempt, invalid } = parseRanges(whitelist ? parseList(whitelist.value) : []);
  if (invalid.length > 0) report.error('InvalidAnnotation', whitelist?.key, `limit-whitelist: not an IP address or CIDR: ${describeInvalid(invalid)}; not exempt`);
  return { kind: 'rate-limit', extractor: { type: 'client.ip' }, rates, status: 503, ...(exempt.length > 0 ? { exempt } : {}) };
}
