import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeRegex, translateGoRegex, type GoRegex } from './go-regex.ts';
import { parseGoReplacement } from './go-replacement.ts';

function translated(pattern: string): GoRegex {
  const result = translateGoRegex(pattern);
  if (!result.ok) throw new Error(`${pattern}: ${result.error}`);
  return result.value;
}

function refusal(pattern: string): string {
  const result = translateGoRegex(pattern);
  if (result.ok) throw new Error(`${pattern} was accepted as ${result.value.regex.source}`);
  return result.error;
}

describe('translateGoRegex', () => {
  it.each([
    ['^/api/(.*)$', '^/api/(.*)$', ''],
    ['^http://(?P<host>[^/]+)/(.*)', '^http://(?<host>[^/]+)/(.*)', ''],
    ['(?i)^/Docs', '^/Docs', 'i'],
    ['(?sm)^a.b$', '^a.b$', 'ms'],
    ['\\A/x\\z', '(?<![\\s\\S])/x(?![\\s\\S])', ''],
    ['^/\\Q1.0+(x)\\E/', '^/1\\.0\\+\\(x\\)/', ''],
    ['[[:alpha:][:digit:]_]+', '[A-Za-z0-9_]+', ''],
    ['[]a]', '[\\]a]', ''],
    ['[^]a]', '[^\\]a]', ''],
    ['\\x{263a}\\x41', '\\u263a\\u0041', ''],
    ['a{2,5}b{3}c{1,}', 'a{2,5}b{3}c{1,}', ''],
    ['a{,3}', 'a\\{,3}', ''],
    ['\\.\\/\\-', '\\.\\/\\-', ''],
    ['\\a\\t', '\\x07\\t', ''],
  ])('translates %s', (pattern, source, flags) => {
    expect(translated(pattern).regex).toEqual({ source, flags });
  });

  it('counts groups and numbers named ones as Go does', () => {
    const regex = translated('^/(a)(?:b)(?P<c>c)(?<d>d)');
    expect(regex.groups).toBe(3);
    expect([...regex.names]).toEqual([['c', 2], ['d', 3]]);
  });

  it('matches what Go would match', () => {
    const { regex } = translated('(?i)^http://(?P<host>[[:alnum:].]+)/\\Qa.b\\E$');
    const re = new RegExp(regex.source, regex.flags);
    expect(re.exec('HTTP://Example.com/a.b')?.groups?.['host']).toBe('Example.com');
    expect(re.test('http://example.com/aXb')).toBe(false);
  });

  it.each([
    ['(?U)a+', /flag group/],
    ['a(?i)b', /flag group after the start/],
    ['(?i:a)', /flag group after the start/],
    ['\\pL+', /Unicode class/],
    ['\\p{Greek}', /Unicode class/],
    ['(a)\\1', /backreference/],
    ['(?=a)', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['(?<=a)>b', /lookaround/],
    ['\\C', /unknown escape/],
    ['\\y', /unknown escape/],
    ['(a', /unclosed \(/],
    ['a)', /unmatched \)/],
    ['[a', /unclosed \[/],
    ['a{1001}', /more than 1000/],
    ['a**', /does not compile/],
    ['*a', /does not compile/],
    ['(?P<1x>a)', /group name/],
    ['(?P<a>x)(?P<a>y)', /two groups/],
    ['[[:foo:]]', /unknown class/],
    ['[[:^alpha:]]', /negated class/],
    ['\\x{1F600}', /beyond U\+FFFF/],
    ['', /empty/],
  ])('refuses %s', (pattern, reason) => {
    expect(refusal(pattern)).toMatch(reason);
  });

  it('bounds the source length', () => {
    expect(refusal('a'.repeat(1001))).toMatch(/longer than 1000 characters/);
    expect(translated('a'.repeat(1000)).regex.source).toHaveLength(1000);
  });

  it('bounds the cost of a match: the program the edge runs has at most 2000 instructions', () => {
    // Nested repetition is no risk on the edge's linear-time engine.
    expect(translated('^(a+)+$').cost).toBeLessThan(20);
    expect(translated('[0-9]{1,999}').cost).toBeLessThanOrEqual(2_000);
    expect(refusal('(.{1,1000}){2}')).toMatch(/too complex for the edge: it needs more than 2000 steps per input character/);
    expect(refusal('(a{1,1000}){1000}')).toMatch(/too complex/);
  });
});

describe('translateGoRegex and the edge engine', () => {
  it('never refuses a translation JavaScript accepts for want of engine support', () => {
    const unit = fc.constantFrom(...'ab.^$|()[]{}*+?\\-,0123:dwsDWSbBAzQEPx<>!=i'.split(''), '(?:', '(?P<n>', '[[:alpha:]]', '\\x{41}', '{2}', '{1,3}');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 14 }).map((units) => units.join('')), (pattern) => {
        const result = translateGoRegex(pattern);
        if (!result.ok) expect(result.error).not.toMatch(/cannot be run at the edge/);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('parseGoReplacement', () => {
  const regex = translated('^/(?P<first>[^/]*)/(.*)$');

  it.each([
    ['/v2/$2', ['/v2/', 2]],
    ['/${first}-${2}', ['/', 1, '-', 2]],
    ['$first$2', [1, 2]],
    ['$0', [0]],
    ['cost: $$5', ['cost: $5']],
    ['a$', ['a$']],
    ['a$-b', ['a$-b']],
    ['${1', ['${1']],
    ['no groups', ['no groups']],
  ])('%s', (template, parts) => {
    expect(parseGoReplacement(template, regex).parts).toEqual(parts);
  });

  it('drops references to missing groups, as Go does, and says why', () => {
    const parsed = parseGoReplacement('/$3/$1x/$nope', regex);
    expect(parsed.parts).toEqual(['///']);
    expect(parsed.problems).toEqual([
      '$3 names no group of the regex, so it is replaced by nothing',
      '$1x names no group of the regex, so it is replaced by nothing (write ${1} to follow a group with text)',
      '$nope names no group of the regex, so it is replaced by nothing',
    ]);
  });

  it('treats $01 as a name, not a number', () => {
    expect(parseGoReplacement('$01', regex).parts).toEqual([]);
  });
});

describe('escapeRegex', () => {
  it('escapes every metacharacter', () => {
    const text = '/c++/v1.0/(x)[y]{z}|a^b$c\\d?*';
    expect(new RegExp(`^${escapeRegex(text)}$`).test(text)).toBe(true);
  });
});
