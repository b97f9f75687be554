// The hand-written middleware check answers as the zod union does: on every
// middleware entry the compiler's golden fixtures hold, and on each of them
// broken one field at a time.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { middlewareProblem } from './middleware-check.ts';
import { MiddlewareSchema } from './middleware.ts';

const FIXTURES = new URL('../../test/compile/fixtures/', import.meta.url);

/** Kinds the Ingress fixtures cannot produce (Gateway API filters), written here in the compiler's form. */
const GATEWAY_ENTRIES: readonly unknown[] = [
  { kind: 'header-modifier', phase: 'request', set: [['X-Env', 'prod']], add: [['X-Tag', 'a']], remove: ['x-debug'] },
  { kind: 'header-modifier', phase: 'response', set: [], add: [], remove: [] },
  { kind: 'gateway-redirect', scheme: 'https', hostname: 'shop.example.com', port: 8443, path: { type: 'full', value: '/new' }, status: 301 },
  { kind: 'gateway-redirect', path: { type: 'prefix', prefix: '/old', value: '' }, status: 302 },
  { kind: 'replace-prefix', prefix: '/api', value: '/v2' },
  { kind: 'request-mirror', service: 'ns/mirror:80', percent: 12.5 },
];

function fixtureEntries(): unknown[] {
  const entries: unknown[] = [...GATEWAY_ENTRIES];
  for (const name of readdirSync(FIXTURES)) {
    if (!name.endsWith('.expected.json')) continue;
    const table = (JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as { table?: { middlewares?: Record<string, unknown> } }).table;
    entries.push(...Object.values(table?.middlewares ?? {}));
  }
  return entries;
}

const REPLACEMENTS: readonly unknown[] = [undefined, null, 0, -1, 1.5, 70_000, 'x', '', '/x', 'a\r\nb', 'A'.repeat(1100), true, [], [1], ['x'], {}, { type: 'metric' }];

/** Copies of `value` with one field (at any depth) replaced by each of {@link REPLACEMENTS}. */
function* broken(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      for (const variant of [...REPLACEMENTS, ...broken(value[index])]) yield value.map((item, at) => (at === index ? variant : item));
    }
    yield [];
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      for (const variant of [...REPLACEMENTS, ...broken((value as Record<string, unknown>)[key])]) yield { ...value, [key]: variant };
    }
  }
}

const accepts = (entry: unknown) => ({ zod: MiddlewareSchema.safeParse(entry).success, check: middlewareProblem(entry) === undefined });

describe('middlewareProblem', () => {
  const entries = fixtureEntries();

  it('is given entries of every kind by the fixtures', () => {
    const kinds = new Set(entries.map((entry) => (entry as { kind: string }).kind));
    expect(MiddlewareSchema.options.map((option) => option.shape.kind.value).filter((kind) => !kinds.has(kind))).toEqual([]);
  });

  it('accepts every entry the compiler writes', () => {
    for (const entry of entries) expect({ entry, problem: middlewareProblem(entry) }).toEqual({ entry, problem: undefined });
  });

  it('answers as the zod union on every entry broken one field at a time', () => {
    let compared = 0;
    for (const entry of entries) {
      for (const variant of broken(entry)) {
        const answer = accepts(variant);
        if (answer.zod !== answer.check) expect({ variant, ...answer }).toEqual({ variant, zod: answer.zod, check: answer.zod });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('refuses what is not a middleware entry', () => {
    for (const value of [null, 1, 'deny', [], {}, { kind: 'nope' }, { kind: '__proto__' }, { kind: 'constructor' }, { kind: 'toString' }]) {
      expect(middlewareProblem(value)).toBeTypeOf('string');
      expect(MiddlewareSchema.safeParse(value).success).toBe(false);
    }
  });
});
