/**
 * The routing family: `rule-type`, `priority`, `preserve-host` and
 * `protocol` (docs/reference/annotations.md), parsed once per Ingress.
 * Invalid values are reported naming the key that was used.
 *
 * @example
 * ```ts
 * const settings = readRouting({ 'traefik.frontend.rule.type': 'PathPrefixStrip' }, options, report);
 * settings.ruleType; // { type: 'PathPrefixStrip', key: 'traefik.frontend.rule.type' }
 * settings.priority; // 0
 * ```
 */
import type { ProviderOptions } from '../api.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { lookupAnnotation } from './lookup.ts';
import { parseGoBool, parseGoInt } from './values.ts';

export const RULE_TYPES = ['PathPrefix', 'Path', 'PathStrip', 'PathPrefixStrip', 'ReplacePath'] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export const PROTOCOLS = ['http', 'https', 'h2c'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface RoutingSettings {
  /**
   * The rule type and the key it came from (`key` undefined for the default
   * `PathPrefix`); `type` undefined when the value is invalid, so paths that
   * need it are not routed.
   */
  readonly ruleType: { readonly type: RuleType | undefined; readonly key: string | undefined };
  /** > 0 when the `priority` annotation sets one. */
  readonly priority: number;
  readonly passHostHeader: boolean;
  /** `pass-original-url-headers`: the client's X-Original-URL / X-Rewrite-URL reach the pod. */
  readonly passUrlOverrideHeaders: boolean;
  /** The `protocol` annotation; `'invalid'` makes the routes answer 503, as in Traefik. */
  readonly protocol: Protocol | 'invalid' | undefined;
}

/** Parses the routing family of one Ingress's annotations. */
export function readRouting(
  annotations: Readonly<Record<string, string>>,
  options: ProviderOptions,
  report: Reporter,
): RoutingSettings {
  return {
    ruleType: readRuleType(annotations, report),
    priority: readPriority(annotations, report),
    passHostHeader: readPreserveHost(annotations, !options.disablePassHostHeaders, report),
    passUrlOverrideHeaders: readPassUrlOverrideHeaders(annotations, report),
    protocol: readProtocol(annotations, report),
  };
}

function readRuleType(annotations: Readonly<Record<string, string>>, report: Reporter): RoutingSettings['ruleType'] {
  const found = lookupAnnotation(annotations, 'rule-type');
  // Traefik reads it as a string: missing or empty means the default.
  if (!found || found.value === '') return { type: 'PathPrefix', key: undefined };
  const type = RULE_TYPES.find((candidate) => candidate === found.value);
  if (!type) {
    report.error('InvalidAnnotation', found.key, `rule-type ${quote(found.value)} is not one of ${RULE_TYPES.join(', ')}; paths of this Ingress are not routed (rules without a path still are)`);
  } else if (type === 'ReplacePath') {
    report.warn('DeprecatedAnnotation', found.key, 'rule-type "ReplacePath" is deprecated: every request of the rule is sent with the rule path');
  }
  return { type, key: found.key };
}

function readPriority(annotations: Readonly<Record<string, string>>, report: Reporter): number {
  const found = lookupAnnotation(annotations, 'priority');
  if (!found) return 0;
  const priority = parseGoInt(found.value);
  if (priority === undefined || priority < 0 || priority > 2 ** 31 - 1) {
    report.error('InvalidAnnotation', found.key, `priority ${quote(found.value)} is not an integer 0-2147483647; using 0`);
    return 0;
  }
  return priority;
}

function readPreserveHost(annotations: Readonly<Record<string, string>>, fallback: boolean, report: Reporter): boolean {
  const found = lookupAnnotation(annotations, 'preserve-host');
  if (!found) return fallback;
  const value = parseGoBool(found.value);
  if (value === undefined) {
    report.error('InvalidAnnotation', found.key, `preserve-host ${quote(found.value)} is not a boolean; using ${fallback}`);
    return fallback;
  }
  return value;
}

/**
 * `pass-original-url-headers` (edgress's own): X-Original-URL and X-Rewrite-URL
 * let a client pick the path of Symfony, Laravel, Zend and IIS backends, so the
 * edge removes them unless a route needs them. An invalid value is the safe
 * false.
 */
function readPassUrlOverrideHeaders(annotations: Readonly<Record<string, string>>, report: Reporter): boolean {
  const found = lookupAnnotation(annotations, 'pass-original-url-headers');
  if (!found || found.value === '') return false;
  const value = parseGoBool(found.value);
  if (value === undefined) {
    report.error('InvalidAnnotation', found.key, `pass-original-url-headers ${quote(found.value)} is not a boolean; using false (the headers are removed)`);
    return false;
  }
  return value;
}

function readProtocol(annotations: Readonly<Record<string, string>>, report: Reporter): RoutingSettings['protocol'] {
  const found = lookupAnnotation(annotations, 'protocol');
  if (!found || found.value === '') return undefined;
  const protocol = PROTOCOLS.find((candidate) => candidate === found.value);
  if (protocol) return protocol;
  report.error('InvalidAnnotation', found.key, `protocol ${quote(found.value)} is not http, https or h2c; the routes answer 503`);
  return 'invalid';
}
