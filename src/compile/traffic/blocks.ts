/**
 * The YAML-valued traffic annotations and the extractor function they share:
 * `rate-limit` (Ingress) and `buffering` (Service), with yaml.v2's lower-case
 * field names (as yaml.v2 read them: `extractorfunc`, `rateset`, `maxrequestbodybytes`, …;
 * camelCase keys are ignored as Traefik ignored them). Each parser returns
 * the table middleware or an error message naming what is wrong.
 *
 * @example
 * ```ts
 * parseExtractor('request.header.X-Api-Key'); // { type: 'request.header', name: 'X-Api-Key' }
 * parseRateLimit('extractorfunc: client.ip\nrateset:\n  r1: {period: 10s, average: 5, burst: 10}');
 * // { ok: true, value: { kind: 'rate-limit', extractor: { type: 'client.ip' }, rates: [{ periodMs: 10000, average: 5, burst: 10 }] } }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import type { Extractor, Rate } from '../../table/traffic.ts';
import { parseYamlBlock } from '../annotations/values.ts';
import { parseGoDuration } from '../duration.ts';
import { parseExpression, RETRY_FUNCTIONS } from './expression.ts';

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const HEADER_PREFIX = 'request.header.';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** oxy's `NewExtractor`: `client.ip`, `request.host` or `request.header.<Name>`. */
export function parseExtractor(text: string): Extractor | undefined {
  if (text === 'client.ip' || text === 'request.host') return { type: text };
  if (text.startsWith(HEADER_PREFIX) && TOKEN.test(text.slice(HEADER_PREFIX.length))) {
    return { type: 'request.header', name: text.slice(HEADER_PREFIX.length) };
  }
  return undefined;
}

/**
 * `rate-limit`. Undefined (`ok` with no value) when `rateset` is empty, as
 * Traefik then leaves the limit off. Rates with the same period: the last wins.
 */
export function parseRateLimit(text: string): Parsed<MiddlewareOf<'rate-limit'> | undefined> {
  const block = yamlMap(text);
  if (!block.ok) return block;
  const extractorText = scalar(block.value['extractorfunc']);
  const rateset = block.value['rateset'];
  if (rateset === undefined || rateset === null || (isMap(rateset) && Object.keys(rateset).length === 0)) return { ok: true, value: undefined };
  if (!isMap(rateset)) return { ok: false, error: 'rateset must be a map of named rates' };
  const extractor = parseExtractor(extractorText);
  if (!extractor) return { ok: false, error: `extractorfunc ${JSON.stringify(extractorText)} is not client.ip, request.host or request.header.<name>` };
  const byPeriod = new Map<number, Rate>();
  for (const [name, raw] of Object.entries(rateset)) {
    const rate = parseRate(name, raw);
    if (!rate.ok) return rate;
    byPeriod.set(rate.value.periodMs, rate.value);
  }
  return { ok: true, value: { kind: 'rate-limit', extractor, rates: [...byPeriod.values()] } };
}

function parseRate(name: string, raw: unknown): Parsed<Rate> {
  if (!isMap(raw)) return { ok: false, error: `rate ${JSON.stringify(name)} must be a map with period, average and burst` };
  const periodText = scalar(raw['period']);
  // A bare integer is seconds (Traefik reads the period through flaeg's Duration).
  const periodMs = /^[0-9]+$/.test(periodText) ? Number(periodText) * 1000 : parseGoDuration(periodText);
  const average = positiveInt(raw['average']);
  const burst = positiveInt(raw['burst']);
  if (periodMs === undefined || !(periodMs >= 1) || !Number.isSafeInteger(Math.round(periodMs))) {
    return { ok: false, error: `rate ${JSON.stringify(name)}: period ${JSON.stringify(periodText)} is not a duration of at least 1ms` };
  }
  if (average === undefined || burst === undefined) {
    return { ok: false, error: `rate ${JSON.stringify(name)}: average and burst must be integers > 0` };
  }
  return { ok: true, value: { periodMs: Math.round(periodMs), average, burst } };
}

/** `buffering`. Missing numbers are 0 (unlimited for the max… limits). */
export function parseBuffering(text: string): Parsed<MiddlewareOf<'buffering'>> {
  const block = yamlMap(text);
  if (!block.ok) return block;
  const sizes = ['maxrequestbodybytes', 'memrequestbodybytes', 'maxresponsebodybytes', 'memresponsebodybytes'] as const;
  const values: number[] = [];
  for (const key of sizes) {
    const raw = block.value[key];
    const value = raw === undefined || raw === null ? 0 : typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : undefined;
    if (value === undefined) return { ok: false, error: `${key} must be an integer number of bytes` };
    // Traefik: a limit ≤ 0 means none.
    values.push(Math.max(0, value));
  }
  const [maxRequestBodyBytes = 0, memRequestBodyBytes = 0, maxResponseBodyBytes = 0, memResponseBodyBytes = 0] = values;
  const middleware: MiddlewareOf<'buffering'> = { kind: 'buffering', maxRequestBodyBytes, memRequestBodyBytes, maxResponseBodyBytes, memResponseBodyBytes };
  const retryText = scalar(block.value['retryexpression']);
  if (retryText === '') return { ok: true, value: middleware };
  const retry = parseExpression(retryText, RETRY_FUNCTIONS);
  if (!retry.ok) return { ok: false, error: `retryexpression ${JSON.stringify(retryText)}: ${retry.error}` };
  return { ok: true, value: { ...middleware, retry: { source: retryText, predicate: retry.predicate } } };
}

function yamlMap(text: string): Parsed<Readonly<Record<string, unknown>>> {
  const yaml = parseYamlBlock(text);
  if (!yaml.ok) return { ok: false, error: `invalid YAML: ${yaml.error}` };
  if (yaml.value === undefined || yaml.value === null) return { ok: true, value: {} };
  if (!isMap(yaml.value)) return { ok: false, error: 'must be a YAML map' };
  return { ok: true, value: yaml.value };
}

function isMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalar(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function positiveInt(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}
