import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from './selector.ts';

function matches(selector: string, labels: Record<string, string>): boolean {
  const parsed = parseLabelSelector(selector);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.selector(labels);
}

describe('parseLabelSelector', () => {
  it.each([
    ['', {}, true],
    ['a=b', { a: 'b' }, true],
    ['a=b', { a: 'c' }, false],
    ['a=b', {}, false],
    ['a==b', { a: 'b' }, true],
    ['a!=b', { a: 'c' }, true],
    ['a!=b', {}, true],
    ['a!=b', { a: 'b' }, false],
    ['a', { a: '' }, true],
    ['a', {}, false],
    ['!a', {}, true],
    ['! a', { a: 'x' }, false],
    ['a in (x, y)', { a: 'y' }, true],
    ['a in (x,y)', { a: 'z' }, false],
    ['a in (x)', {}, false],
    ['a notin (x)', {}, true],
    ['a notin (x)', { a: 'x' }, false],
    ['a notin (x)', { a: 'y' }, true],
    ['a=', { a: '' }, true],
    ['a>5', { a: '6' }, true],
    ['a<5', { a: '6' }, false],
    ['a>5', { a: 'x' }, false],
    ['app.kubernetes.io/name=web, tier in (edge,api), !canary', { 'app.kubernetes.io/name': 'web', tier: 'api' }, true],
    ['app.kubernetes.io/name=web, tier in (edge,api), !canary', { 'app.kubernetes.io/name': 'web', tier: 'api', canary: '1' }, false],
  ])('%j on %j → %s', (selector, labels, expected) => expect(matches(selector, labels)).toBe(expected));

  it.each(['%', 'a b', 'a in x', 'a in (x', 'a=b=c', '=b', 'a,,b', 'a in (b c)', '-a=b', 'a=b!', `${'x'.repeat(64)}=1`])(
    '%j does not parse',
    (selector) => expect(parseLabelSelector(selector).ok).toBe(false),
  );
});
