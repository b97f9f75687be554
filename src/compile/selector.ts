/**
 * Kubernetes label selectors in their string form, as `kubectl -l` and
 * Traefik's `labelselector` take them: `a=b`, `a==b`, `a!=b`, `a`, `!a`,
 * `a in (x,y)`, `a notin (x)`, `a>1`, `a<1`, joined by commas (all must hold).
 *
 * @example
 * ```ts
 * const parsed = parseLabelSelector('tier in (web,api),!canary');
 * if (parsed.ok) parsed.selector({ tier: 'web' }); // true
 * else console.error(parsed.error);
 * ```
 */
import { MAX_HOST_LENGTH } from '../table/constants.ts';
import { quote } from './diagnostics.ts';

/** Tests a label set. */
export type LabelSelector = (labels: Readonly<Record<string, string>>) => boolean;

export type SelectorParse = { readonly ok: true; readonly selector: LabelSelector } | { readonly ok: false; readonly error: string };

const NAME = '[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?';
const KEY = new RegExp(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?${NAME}$`);
const VALUE = new RegExp(`^(${NAME})?$`);

const EXISTS = /^(!?)\s*([^\s!=<>(),]+)$/;
const EQUALITY = /^([^\s!=<>(),]+)\s*(==|=|!=)\s*([^\s!=<>(),]*)$/;
const SET = /^([^\s!=<>(),]+)\s+(in|notin)\s*\(([^()]*)\)$/;
const COMPARE = /^([^\s!=<>(),]+)\s*(>|<)\s*(-?[0-9]+)$/;

/** Parses a selector; `''` selects everything. */
export function parseLabelSelector(text: string): SelectorParse {
  const requirements: LabelSelector[] = [];
  for (const part of splitTopLevel(text)) {
    const requirement = parseRequirement(part.trim());
    if (typeof requirement === 'string') return { ok: false, error: requirement };
    requirements.push(requirement);
  }
  return { ok: true, selector: (labels) => requirements.every((requirement) => requirement(labels)) };
}

/** Splits on the commas that are not inside `( … )`. */
function splitTopLevel(text: string): string[] {
  if (text.trim() === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseRequirement(part: string): LabelSelector | string {
  const has = (labels: Readonly<Record<string, string>>, key: string) => Object.hasOwn(labels, key);
  let m: RegExpExecArray | null;
  if ((m = EQUALITY.exec(part))) {
    const [, key = '', op, value = ''] = m;
    const bad = checkKey(key) ?? checkValue(value);
    if (bad) return bad;
    return op === '!=' ? (labels) => labels[key] !== value || !has(labels, key) : (labels) => has(labels, key) && labels[key] === value;
  }
  if ((m = SET.exec(part))) {
    const [, key = '', op, list = ''] = m;
    const values = list.split(',').map((value) => value.trim());
    const bad = checkKey(key) ?? values.map(checkValue).find((error) => error !== undefined);
    if (bad) return bad;
    const set = new Set(values);
    return op === 'in'
      ? (labels) => has(labels, key) && set.has(labels[key] ?? '')
      : (labels) => !has(labels, key) || !set.has(labels[key] ?? '');
  }
  if ((m = COMPARE.exec(part))) {
    const [, key = '', op, bound = ''] = m;
    const bad = checkKey(key);
    if (bad) return bad;
    const limit = Number(bound);
    return (labels) => {
      const value = has(labels, key) && /^-?[0-9]+$/.test(labels[key] ?? '') ? Number(labels[key]) : undefined;
      return value !== undefined && (op === '>' ? value > limit : value < limit);
    };
  }
  if ((m = EXISTS.exec(part))) {
    const [, not, key = ''] = m;
    const bad = checkKey(key);
    if (bad) return bad;
    return not ? (labels) => !has(labels, key) : (labels) => has(labels, key);
  }
  return `cannot parse requirement ${quote(part)}`;
}

function checkKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  if (!KEY.test(key) || (slash !== -1 && slash > MAX_HOST_LENGTH)) return `invalid label key ${quote(key)}`;
  return undefined;
}

function checkValue(value: string): string | undefined {
  return VALUE.test(value) ? undefined : `invalid label value ${quote(value)}`;
}
