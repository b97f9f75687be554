/**
 * The whitelist family (docs/reference/annotations.md): `whitelist-source-range`
 * (IPv4/IPv6 CIDRs and single addresses, comma-separated) and
 * `whitelist-x-forwarded-for`. An entry that does not parse makes the routes
 * fail closed with 403 (Traefik failed the frontend, 404; never open); so
 * does a value that lists no entry at all (`""`, `" , "`: SECURITY.md findings), which
 * Traefik read as no allow-list and served to everyone.
 *
 * @example
 * ```ts
 * readAllowList({ 'ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/8, 2001:db8::1' }, report);
 * // { kind: 'ip-allow-list', ranges: ['10.0.0.0/8', '2001:db8::1/128'], useXForwardedFor: false }
 * ```
 */
import { normalizeRange } from '../../net/ip-range.ts';
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { lookupAnnotation } from './lookup.ts';
import { parseGoBool, parseList } from './values.ts';

export type AllowListMiddleware = MiddlewareOf<'ip-allow-list'> | MiddlewareOf<'deny'>;

/** The allow-list of an Ingress, a 403 `deny` when it does not parse, or undefined when none is set. */
export function readAllowList(annotations: Readonly<Record<string, string>>, report: Reporter): AllowListMiddleware | undefined {
  const source = lookupAnnotation(annotations, 'whitelist-source-range');
  const entries = source ? parseList(source.value) : [];
  const useXForwardedFor = readUseXForwardedFor(annotations, source !== undefined, report);
  if (!source) return undefined;
  if (entries.length === 0) {
    report.error('InvalidAllowList', source.key, `${quote(source.value)} lists no IP address or CIDR; the routes of this Ingress answer 403 to everyone`);
    return { kind: 'deny', status: 403, reason: 'whitelist-source-range lists nothing' };
  }
  const { ranges, invalid } = parseRanges(entries);
  if (invalid.length > 0) {
    report.error('InvalidAllowList', source.key, `not an IP address or CIDR: ${describeInvalid(invalid)}; the routes of this Ingress answer 403 to everyone`);
    return { kind: 'deny', status: 403, reason: 'whitelist-source-range does not parse' };
  }
  return { kind: 'ip-allow-list', ranges, useXForwardedFor };
}

/** Entries as canonical CIDRs (each once), and those that are not addresses or CIDRs. */
export function parseRanges(entries: readonly string[]): { ranges: string[]; invalid: string[] } {
  const ranges: string[] = [];
  const invalid: string[] = [];
  for (const entry of entries) {
    const range = normalizeRange(entry);
    if (range === undefined) invalid.push(entry);
    else if (!ranges.includes(range)) ranges.push(range);
  }
  return { ranges, invalid };
}

/** The first few invalid entries, quoted, for a diagnostic. */
export function describeInvalid(invalid: readonly string[]): string {
  return invalid.slice(0, 3).map(quote).join(', ') + (invalid.length > 3 ? ` and ${invalid.length - 3} more` : '');
}

function readUseXForwardedFor(annotations: Readonly<Record<string, string>>, hasRanges: boolean, report: Reporter): boolean {
  const found = lookupAnnotation(annotations, 'whitelist-x-forwarded-for');
  if (!found) return false;
  const value = parseGoBool(found.value);
  if (value === undefined) {
    // false is the stricter reading: only CF-Connecting-IP decides.
    report.warn('InvalidAnnotation', found.key, `whitelist-x-forwarded-for ${quote(found.value)} is not a boolean; using false`);
    return false;
  }
  if (value && !hasRanges) report.warn('IgnoredAnnotation', found.key, 'whitelist-x-forwarded-for has no effect without whitelist-source-range');
  return value;
}
