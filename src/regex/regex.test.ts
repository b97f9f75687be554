import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearRegex, ProgramTooLarge, REGEX_LIMITS, RegexSyntaxError } from './index.ts';
import { parseRegex, type RegexNode } from './parse.ts';

/** Can `node` match the empty string? */
function nullable(node: RegexNode): boolean {
  switch (node.type) {
    case 'char':
      return false;
    case 'assert':
      return true;
    case 'seq':
      return node.items.every(nullable);
    case 'alt':
      return node.branches.some(nullable);
    case 'group':
      return nullable(node.body);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

/**
 * A repetition whose body can match empty: there JavaScript refuses empty
 * turns and backtracks into the body, while the VM (like Go) takes them.
 */
function repeatsEmpty(node: RegexNode): boolean {
  switch (node.type) {
    case 'seq':
      return node.items.some(repeatsEmpty);
    case 'alt':
      return node.branches.some(repeatsEmpty);
    case 'group':
      return repeatsEmpty(node.body);
    case 'repeat':
      return (node.max > node.min && nullable(node.body)) || repeatsEmpty(node.body);
    default:
      return false;
  }
}

/** What JavaScript's engine finds: [index, end] of the first match at or after `from`. */
function nativeMatch(source: string, flags: string, input: string, from = 0): [number, number] | undefined {
  const regex = new RegExp(source, `${flags}g`);
  regex.lastIndex = from;
  const match = regex.exec(input);
  return match ? [match.index, match.index + match[0].length] : undefined;
}

function linearMatch(source: string, flags: string, input: string, from = 0): [number, number] | undefined {
  const match = LinearRegex.compile({ source, flags }).exec(input, from);
  return match ? [match.index, match.end] : undefined;
}

/** Is a capture group inside a repetition of more than one turn? */
function groupRepeats(node: RegexNode, repeated: boolean): boolean {
  switch (node.type) {
    case 'seq':
      return node.items.some((item) => groupRepeats(item, repeated));
    case 'alt':
      return node.branches.some((branch) => groupRepeats(branch, repeated));
    case 'group':
      return (node.index !== undefined && repeated) || groupRepeats(node.body, repeated);
    case 'repeat':
      return groupRepeats(node.body, repeated || node.max > 1);
    default:
      return false;
  }
}

function nativeGroups(source: string, flags: string, input: string): (string | undefined)[] | undefined {
  const match = new RegExp(source, flags).exec(input);
  return match ? [...match] : undefined;
}

function linearGroups(source: string, flags: string, input: string): (string | undefined)[] | undefined {
  const regex = LinearRegex.compile({ source, flags });
  const match = regex.exec(input);
  return match ? Array.from({ length: regex.groups + 1 }, (_, n) => match.group(n)) : undefined;
}

describe('LinearRegex', () => {
  it.each([
    ['^/api/(.*)', '', '/api/users/7'],
    ['^/api/(.*)', '', '/other'],
    ['(^a)b', '', 'xab'],
    ['(^a)b', '', 'abab'],
    ['^(?:a|b)c', '', 'bc'],
    ['^a', 'm', 'b\na'],
    ['(?<rest>b+)c', '', 'aabbbcd'],
    ['a|ab|abc', '', 'abc'],
    ['(a|ab)(c|bcd)', '', 'abcd'],
    ['a*?b', '', 'aaab'],
    ['a{2,3}', '', 'aaaa'],
    ['a{2,3}?', '', 'aaaa'],
    ['x{2}y{0,}z{1,}', '', 'xxzz'],
    ['^b', 'm', 'a\nb'],
    ['a$', 'm', 'a\nb'],
    ['a.c', '', 'a\nc'],
    ['a.c', 's', 'a\nc'],
    ['ABC', 'i', 'xabcx'],
    ['[a-z]+', 'i', '12ABc3'],
    ['[^a-z]+', 'i', 'AB12'],
    ['\\bfoo\\b', '', 'a foo b'],
    ['\\Bfoo', '', 'afoo'],
    ['[\\d.]+', '', 'v1.2.3'],
    ['[\\w-]+', '', '  a-b_c '],
    ['[a-\\d]+', '', 'x9-a'],
    ['\\x41\\u0042', '', 'AB'],
    ['\\/\\.\\-', '', 'x/.-'],
    ['(?<![\\s\\S])a', '', 'aa'],
    ['a(?![\\s\\S])', '', 'aa'],
    ['[]a]', '', 'b]'],
    ['{', '', 'a{'],
    ['a{,2}', '', 'a{,2}'],
    ['', '', 'abc'],
    ['()', '', 'x'],
    ['(?:)+', '', 'x'],
    ['(a*)*', '', 'b'],
    ['(a|b)*c', '', 'ababc'],
    ['\\s+', '', 'a \u00a0\u3000b'],
  ])('%s (%s) on %j finds what JavaScript finds', (source, flags, input) => {
    expect(linearMatch(source, flags, input)).toEqual(nativeMatch(source, flags, input));
  });

  it('reports groups, undefined when a group did not take part', () => {
    const match = LinearRegex.compile({ source: '^/(a)?(?<b>b)', flags: '' }).exec('/b');
    expect([match?.group(0), match?.group(1), match?.group(2)]).toEqual(['/b', undefined, 'b']);
  });

  it('keeps the last value of a group in a repetition, as Go does', () => {
    expect(LinearRegex.compile({ source: '(?:(a)|b)+', flags: '' }).exec('ab')?.group(1)).toBe('a');
  });

  it('searches from a position, with ^ still meaning the start of the input', () => {
    const regex = LinearRegex.compile({ source: '^a|b', flags: '' });
    expect(regex.exec('aab', 1)?.index).toBe(2);
    expect(LinearRegex.compile({ source: '^a', flags: '' }).exec('aa', 1)).toBeUndefined();
    expect(LinearRegex.compile({ source: '^a', flags: 'm' }).exec('a\na', 1)?.index).toBe(2);
  });

  it('runs regexes that make JavaScript backtrack for ages in linear time', () => {
    for (const [source, input] of [
      ['^(a+)+$', `${'a'.repeat(5_000)}!`],
      ['(a|a)*b', 'a'.repeat(5_000)],
      ['.*.*.*x', 'a'.repeat(5_000)],
      ['(x+x+)+y', 'x'.repeat(5_000)],
    ] as const) {
      const regex = LinearRegex.compile({ source, flags: '' });
      const started = performance.now();
      expect(regex.exec(input)).toBeUndefined();
      // JavaScript needs minutes to years here; the bound is generous for a shared machine.
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });

  it('refuses programs over the size limit and syntax it does not know', () => {
    expect(() => LinearRegex.compile({ source: '(a{1000}){1000}', flags: '' })).toThrow(ProgramTooLarge);
    expect(LinearRegex.compile({ source: '[0-9]{1,999}', flags: '' }).size).toBeLessThanOrEqual(REGEX_LIMITS.programSize);
    for (const source of ['(?=a)', '(?<=a)b', '\\1', '(a', 'a)', '[a', '*', 'a**', '\\p{L}', '(?i)a', 'a{3,2}']) {
      expect(() => LinearRegex.compile({ source, flags: '' }), source).toThrow(RegexSyntaxError);
    }
  });

  it('finds what JavaScript finds, for arbitrary regexes and inputs (repeated empty matches aside)', () => {
    const atom = fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', '\\w', '\\s', '\\b', '^', '$', 'A', '[a-c]', '\\/', 'x');
    const regex: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => a + b),
        fc.tuple(tie('node'), tie('node')).map(([a, b]) => `(?:${a}|${b})`),
        fc.tuple(tie('node'), fc.constantFrom('*', '+', '?', '*?', '+?', '??', '{2}', '{1,3}', '{0,2}?')).map(([a, q]) => `(?:${a})${q}`),
        tie('node').map((a) => `(${a})`),
      ),
    })).node;
    const input = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', '1', ' ', '/', '\n', 'x'), maxLength: 12 });
    fc.assert(
      fc.property(regex, fc.constantFrom('', 'i', 'm', 's', 'ims'), input, (source, flags, text) => {
        const root = parseRegex(source, flags).root;
        fc.pre(!repeatsEmpty(root));
        expect(linearMatch(source, flags, text)).toEqual(nativeMatch(source, flags, text));
        // Groups too, where no group repeats (JavaScript clears a repeated group on every turn, Go does not).
        if (!groupRepeats(root, false)) expect(linearGroups(source, flags, text)).toEqual(nativeGroups(source, flags, text));
      }),
      { numRuns: 3_000, maxSkipsPerRun: 100 },
    );
  }, 60_000);
});
