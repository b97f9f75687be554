import { describe, expect, it } from 'vitest';
import { TRAEFIK_DIALECT } from './dialect.ts';
import { suggestKey } from './check.ts';
import { editDistance, nearest } from './spelling.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours', () => {
    expect(editDistance('rule-type', 'rule-type', 2)).toBe(0);
    expect(editDistance('rule-typ', 'rule-type', 2)).toBe(1);
    expect(editDistance('rule-tpye', 'rule-type', 2)).toBe(1);
    expect(editDistance('rule.type', 'rule-type', 2)).toBe(1);
    expect(editDistance('', 'ab', 2)).toBe(2);
  });
  it('stops at limit + 1', () => {
    expect(editDistance('priority', 'rate-limit', 2)).toBe(3);
    expect(editDistance('a', 'abcdef', 2)).toBe(3);
  });
});

describe('nearest', () => {
  it('takes the closest candidate within the limit, else none', () => {
    expect(nearest('preserve-hots', ['priority', 'preserve-host'])).toBe('preserve-host');
    expect(nearest('frontend-priority', ['priority', 'preserve-host'])).toBeUndefined();
  });
});

describe('suggestKey (Traefik dialect)', () => {
  it.each([
    ['traefik.frontend.rule.typ', 'traefik.frontend.rule.type'],
    ['traefik.ingress.kubernetes.io.rule-type', 'traefik.ingress.kubernetes.io/rule-type'],
    ['Ingress.kubernetes.io/auth-type', 'ingress.kubernetes.io/auth-type'],
    ['INGRESS.KUBERNETES.IO/WHITELIST-SOURCE-RANGE', 'ingress.kubernetes.io/whitelist-source-range'],
    ['kubernetes.io/ingress.clas', 'kubernetes.io/ingress.class'],
  ])('%s → %s', (key, meant) => {
    expect(suggestKey(key, TRAEFIK_DIALECT)).toBe(meant);
  });
  it('suggests nothing for a key it reads or one far from all', () => {
    expect(suggestKey('ingress.kubernetes.io/auth-type', TRAEFIK_DIALECT)).toBeUndefined();
    expect(suggestKey('example.com/owner', TRAEFIK_DIALECT)).toBeUndefined();
  });
});
