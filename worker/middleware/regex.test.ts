import { describe, expect, it } from 'vitest';
import { compileRegex, replaceAllMatches } from './regex.ts';

describe('replaceAllMatches (Go ReplaceAllString)', () => {
  it('replaces every match with literal text and groups', () => {
    const regex = compileRegex({ source: '^/api/(?<rest>.*)', flags: '' });
    expect(replaceAllMatches(regex, '/api/users/7', ['/v2/', 1])).toBe('/v2/users/7');
    expect(replaceAllMatches(regex, '/other', ['/v2/', 1])).toBeUndefined();
  });

  it('leaves a group that did not take part empty', () => {
    const regex = compileRegex({ source: '^/(a)?(b)', flags: '' });
    expect(replaceAllMatches(regex, '/b', ['[', 1, '|', 2, ']'])).toBe('[|b]');
  });

  it('skips an empty match right after a match, as Go does', () => {
    expect(replaceAllMatches(compileRegex({ source: 'b*', flags: '' }), 'abc', ['X'])).toBe('XaXcX');
    expect(replaceAllMatches(compileRegex({ source: '-', flags: '' }), 'a-b-c', ['/'])).toBe('a/b/c');
  });

  it('can be run again and again on one compiled regex', () => {
    const regex = compileRegex({ source: 'o', flags: 'i' });
    expect(replaceAllMatches(regex, 'fOo', ['0'])).toBe('f00');
    expect(replaceAllMatches(regex, 'xoxo', ['0'])).toBe('x0x0');
  });
});

describe('regexes that make a backtracking engine hang', () => {
  it('run in linear time at the edge', () => {
    const regex = compileRegex({ source: '^/((a|aa)+)+$', flags: '' });
    const started = Date.now();
    expect(replaceAllMatches(regex, `/${'a'.repeat(8_000)}!`, ['/x'])).toBeUndefined();
    expect(replaceAllMatches(regex, `/${'a'.repeat(8_000)}`, ['/x'])).toBe('/x');
    // A backtracking engine needs longer than the universe's age; generous for a shared machine.
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
