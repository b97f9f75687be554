import { describe, expect, it } from 'vitest';
import { COMPILE_LIMITS } from './limits.ts';
import { loadYamlDocuments } from './yaml.ts';

const LIMITS = { maxChars: 10_000, maxExpandedNodes: 1_000 } as const;

/** `levels` anchors, each a list of `width` aliases of the one before. */
function laughs(levels: number, width: number): string {
  const lines = ['a0: &a0 lol'];
  for (let i = 1; i < levels; i++) lines.push(`a${i}: &a${i} [${Array(width).fill(`*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

describe('loadYamlDocuments', () => {
  it('loads documents, aliases included, within the limits', () => {
    expect(loadYamlDocuments('a: &x [1, 2]\nb: *x\n---\nc: 3', LIMITS)).toEqual({ ok: true, documents: [{ a: [1, 2], b: [1, 2] }, { c: 3 }] });
  });

  it('refuses a billion laughs by its expanded size, without expanding it', () => {
    const started = performance.now();
    expect(loadYamlDocuments(laughs(10, 10), LIMITS)).toEqual({ ok: false, error: 'expands to more than 1000 nodes through YAML aliases' });
    // 10^9 nodes if expanded; the walk stops at the budget.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(loadYamlDocuments(laughs(3, 10), LIMITS).ok).toBe(true);
  });

  it('refuses a document that contains itself, and nesting past the depth limit', () => {
    expect(loadYamlDocuments('a: &x [1, *x]', LIMITS)).toEqual({ ok: false, error: 'contains itself through a YAML alias' });
    expect(loadYamlDocuments('&x {a: *x}', LIMITS)).toMatchObject({ ok: false });
    const deep = `${'['.repeat(COMPILE_LIMITS.yamlDepth + 1)}${']'.repeat(COMPILE_LIMITS.yamlDepth + 1)}`;
    expect(loadYamlDocuments(deep, LIMITS)).toMatchObject({ ok: false, error: expect.stringContaining('maxDepth') });
  });

  it('refuses text over the size limit and documents with too many aliases', () => {
    expect(loadYamlDocuments(`a: ${'b'.repeat(LIMITS.maxChars)}`, LIMITS)).toEqual({ ok: false, error: 'is longer than 10000 characters' });
    const aliases = `x: &x 1\ny: [${Array(COMPILE_LIMITS.yamlAliases + 1).fill('*x').join(',')}]`;
    expect(loadYamlDocuments(aliases, { maxChars: 100_000, maxExpandedNodes: 100_000 })).toMatchObject({ ok: false });
  });

  it('reports syntax errors with the parser exception as the cause', () => {
    const loaded = loadYamlDocuments('a: [b', LIMITS);
    expect(loaded.ok).toBe(false);
    expect(!loaded.ok && loaded.cause).toBeInstanceOf(Error);
  });
});
