/**
 * The rewrite family (docs/reference/annotations.md): `request-modifier`
 * (`AddPrefix`, `ReplacePath`, `ReplacePathRegex`) and `rewrite-target`,
 * compiled into path-modifier middlewares. They run after the rule-type
 * strip, in Traefik's order: strip → add-prefix → replace-path-regex →
 * replace-path (`src/table/pipeline.ts`).
 *
 * `rewrite-target: /v2` on rule path `/api` is Traefik's
 * `ReplacePathRegex: ^/api(.*) /v2$1`, except that edgress escapes the rule
 * path (Traefik inserted it as a regex). A path modifier that cannot be
 * compiled fails closed: serving the unmodified path could expose paths of
 * the backend the modifier was meant to hide.
 *
 * @example
 * ```ts
 * const rewrite = readRewrite(scope, 'PathPrefix');   // rewrite-target: /v2
 * rewrite.forPath({ type: 'string-prefix', path: '/api' });
 * // [{ kind: 'replace-path-regex', regex: { source: '^/api(.*)', flags: '' }, replacement: ['/v2', 1] }]
 * ```
 */
import type { Middleware, MiddlewareOf } from '../../table/middleware.ts';
import type { PathMatch } from '../../table/schema.ts';
import { prefixKey } from '../../match/route-group.ts';
import { quote } from '../diagnostics.ts';
import { LinearRegex, REGEX_LIMITS } from '../../regex/index.ts';
import { HTTP_MIDDLEWARE_LIMITS } from '../../table/http-middleware.ts';
import { FAIL_CLOSED_STATUS, type FeatureScope } from './feature-scope.ts';
import { escapeRegex, translateGoRegex } from './go-regex.ts';
import { parseGoReplacement } from './go-replacement.ts';
import type { AnnotationValue } from './lookup.ts';
import { encodePathText } from './path-values.ts';
import type { RuleType } from './routing.ts';

export const MODIFIERS = ['AddPrefix', 'ReplacePath', 'ReplacePathRegex'] as const;
type Modifier = (typeof MODIFIERS)[number];

export interface Rewrite {
  /** The path modifiers of a route with this match, besides its rule-type strip or replace. */
  forPath(match: PathMatch): Middleware[];
}

const NONE: Rewrite = { forPath: () => [] };

/** Reads `request-modifier` and `rewrite-target`; `ruleType` undefined when the rule-type was invalid. */
export function readRewrite(scope: FeatureScope, ruleType: RuleType | undefined): Rewrite {
  const modifier = readModifier(scope, ruleType);
  if (modifier === 'failed') return NONE;
  const target = readTarget(scope, ruleType, modifier);
  if (target === 'failed') return NONE;
  const fixed: Middleware[] = modifier ? [modifier] : [];
  if (target === undefined) return { forPath: () => fixed };
  const key = scope.string('rewrite-target')?.key ?? 'rewrite-target';
  return { forPath: (match) => [...fixed, rewriteTarget(match, target, scope, key)] };
}

type ModifierResult = MiddlewareOf<'add-prefix' | 'replace-path' | 'replace-path-regex'> | undefined | 'failed';

/** Traefik's `parseRequestModifier`: trailing spaces and colons trimmed, name and value around the first `:`. */
function readModifier(scope: FeatureScope, ruleType: RuleType | undefined): ModifierResult {
  const found = scope.string('request-modifier');
  if (!found) return undefined;
  const fail = (message: string): 'failed' => (scope.failClosed(found.key, `request-modifier ${quote(found.value)} ${message}`), 'failed');
  const parts = found.value.replace(/[ :]+$/, '').split(':');
  if (parts.length < 2) return fail('is not "<Modifier>: <value>"');
  const name = (parts[0] ?? '').trim();
  const value = (parts[1] ?? '').trim();
  const modifier = MODIFIERS.find((candidate) => candidate === name);
  if (!modifier) return fail(`does not name one of ${MODIFIERS.join(', ')}`);
  if (ruleType === 'ReplacePath') return fail('cannot be combined with rule-type "ReplacePath" (Traefik 1.7 refuses it too)');
  if (value === '') return fail('has no value');
  if (parts.length > 2) {
    scope.report.warn('IgnoredAnnotation', found.key, `only ${quote(value)} is used: Traefik 1.7 dropped everything after a second ":", and so does edgress`);
  }
  return compileModifier(modifier, value, fail, scope, found);
}

function compileModifier(
  modifier: Modifier,
  value: string,
  fail: (message: string) => 'failed',
  scope: FeatureScope,
  found: AnnotationValue,
): ModifierResult {
  if (modifier !== 'ReplacePathRegex') {
    if (!value.startsWith('/')) return fail(`${modifier} value must start with /`);
    const path = encodePathText(value);
    if (!path.ok) return fail(`${modifier} value ${path.error}`);
    return modifier === 'AddPrefix' ? { kind: 'add-prefix', prefix: path.text } : { kind: 'replace-path', path: path.text };
  }
  const halves = value.split(' ');
  if (halves.length !== 2 || halves.some((half) => half === '')) return fail('ReplacePathRegex value must be "<regex> <replacement>" (one space)');
  const [pattern = '', template = ''] = halves;
  const regex = translateGoRegex(pattern);
  if (!regex.ok) return fail(`regex ${regex.error}`);
  warnIfCostly(scope, found.key, regex.value.cost);
  const replacement = parseGoReplacement(template, regex.value);
  for (const problem of replacement.problems) scope.report.warn('IgnoredAnnotation', found.key, `replacement ${problem}`);
  const parts: (string | number)[] = [];
  for (const part of replacement.parts) {
    if (typeof part === 'number') {
      parts.push(part);
      continue;
    }
    const text = encodePathText(part);
    if (!text.ok) return fail(`replacement ${text.error}`);
    parts.push(text.text);
  }
  return { kind: 'replace-path-regex', regex: regex.value.regex, replacement: parts };
}

/** The rewrite target with trailing slashes trimmed, or undefined when unset. */
function readTarget(scope: FeatureScope, ruleType: RuleType | undefined, modifier: Exclude<ModifierResult, 'failed'>): string | undefined | 'failed' {
  const found = scope.string('rewrite-target');
  if (!found) return undefined;
  if (ruleType === 'ReplacePath') {
    scope.failClosed(found.key, 'rewrite-target cannot be combined with rule-type "ReplacePath" (Traefik 1.7 refuses it too)');
    return 'failed';
  }
  if (modifier?.kind === 'replace-path-regex') {
    scope.report.warn('IgnoredAnnotation', found.key, 'request-modifier ReplacePathRegex replaces rewrite-target, as in Traefik 1.7');
    return undefined;
  }
  const target = encodePathText(found.value);
  if (!target.ok) {
    scope.failClosed(found.key, `rewrite-target ${quote(found.value)} ${target.error}`);
    return 'failed';
  }
  if (ruleType === 'PathStrip' || ruleType === 'PathPrefixStrip' || modifier?.kind === 'add-prefix') {
    const first = ruleType === 'PathStrip' || ruleType === 'PathPrefixStrip' ? `rule-type ${ruleType}` : 'request-modifier AddPrefix';
    scope.report.warn(
      'IgnoredAnnotation',
      found.key,
      `${first} changes the path before rewrite-target looks at it (Traefik 1.7's order): a path is rewritten only if it still starts with the rule path afterwards (always for rule path /)`,
    );
  }
  return target.text.replace(/\/+$/, '');
}

/**
 * Traefik's `ReplacePathRegex: ^<rule path>(.*) <target>$1`; rule path `/` (or
 * none) is `^(.*)`. A rule path too long for the regex limits makes that path
 * fail closed: serving it without the rewrite would send the pod another path.
 */
function rewriteTarget(match: PathMatch, target: string, scope: FeatureScope, key: string): MiddlewareOf<'replace-path-regex' | 'deny'> {
  const base = match.type === 'any' || match.path === '/' ? '' : match.type === 'prefix' ? prefixKey(match.path) : match.path;
  const regex = { source: `^${escapeRegex(base)}(.*)`, flags: '' };
  if (regex.source.length > HTTP_MIDDLEWARE_LIMITS.regexSource || !fitsRegexLimits(regex)) {
    scope.report.error('InvalidAnnotation', key, `rewrite-target cannot rewrite the rule path ${quote(base)}: it is too long for a regex at the edge; that path fails closed (answers ${FAIL_CLOSED_STATUS})`);
    return { kind: 'deny', status: FAIL_CLOSED_STATUS, reason: 'rewrite-target: rule path too long' };
  }
  return { kind: 'replace-path-regex', regex, replacement: target === '' ? [1] : [target, 1] };
}

function fitsRegexLimits(regex: { source: string; flags: string }): boolean {
  try {
    LinearRegex.compile(regex);
    return true;
  } catch {
    return false;
  }
}

/** A regex under the limit whose program is still large: say what it costs per request. */
export function warnIfCostly(scope: FeatureScope, key: string, cost: number): void {
  if (cost <= REGEX_LIMITS.warnProgramSize) return;
  scope.report.warn(
    'RiskyAnnotation',
    key,
    `the regex compiles to ${cost} instructions (limit ${REGEX_LIMITS.programSize}): every request it runs on costs up to ${cost} steps per character of the path or URL; a shorter regex or smaller counted repetitions cost less`,
  );
}
