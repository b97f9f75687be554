/**
 * Traefik 1.7's regexes are Go RE2; the worker runs JavaScript regexes. This
 * translates the RE2 syntax annotations use into an equivalent JavaScript
 * source, once, at compile time, and refuses what has no equivalent (so a
 * regex never means something else at the edge than in Traefik):
 *
 * | RE2                                | JavaScript / outcome                      |
 * |------------------------------------|-------------------------------------------|
 * | `(?P<name>…)`, `(?<name>…)`         | `(?<name>…)`                              |
 * | leading `(?i)` `(?m)` `(?s)`        | flags `i`, `m`, `s`                       |
 * | `\A`, `\z`                          | start / end of input                      |
 * | `\Q…\E`                             | the literal text, escaped                 |
 * | `[[:alpha:]]` and other POSIX classes | the ASCII ranges they stand for         |
 * | `[]a]` (leading `]` is literal)     | `[\]a]`                                   |
 * | `\x{263a}`                          | `\u263a`                                  |
 * | `(?U)`, flags after the start, `\p{…}`, `\C`, lookaround, backreferences, octal escapes | refused |
 *
 * RE2 runs in linear time; JavaScript backtracks, so the worker does not use
 * JavaScript's engine for these regexes but the linear-time VM of
 * `src/regex/`. The bound is decided here: the translated regex must compile
 * into at most `REGEX_LIMITS.programSize` instructions (a match then costs at
 * most (input length + 1) × that many steps); `cost` is the program's size,
 * for warnings about expensive regexes.
 *
 * Replacement templates are `./go-replacement.ts`.
 *
 * @example
 * ```ts
 * const result = translateGoRegex('(?i)^/(?P<rest>.*)$');
 * // { ok: true, value: { regex: { source: '^/(?<rest>.*)$', flags: 'i' }, groups: 1, names: Map { 'rest' => 1 }, cost: 9 } }
 * ```
 */
import { LinearRegex, ProgramTooLarge, REGEX_LIMITS, RegexSyntaxError } from '../../regex/index.ts';
import { HTTP_MIDDLEWARE_LIMITS, type RegexSpec } from '../../table/http-middleware.ts';

export interface GoRegex {
  readonly regex: RegexSpec;
  /** Number of capture groups. */
  readonly groups: number;
  /** Named groups and their numbers. */
  readonly names: ReadonlyMap<string, number>;
  /** Instructions of the worker's compiled program: the most steps a match takes per input character. */
  readonly cost: number;
}

export type GoRegexResult = { readonly ok: true; readonly value: GoRegex } | { readonly ok: false; readonly error: string };

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Escapes RE2 and JavaScript share letter for letter. */
const SAME_ESCAPES = new Set(['b', 'B', 'd', 'D', 's', 'S', 'w', 'W', 'f', 't', 'n', 'r', 'v']);
const CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W', 'f', 't', 'n', 'r', 'v']);
const MAX_REPEAT = 1000;

class Refusal extends Error {}

/** Translates a Go RE2 pattern into a JavaScript regex, or says why it cannot. */
export function translateGoRegex(pattern: string): GoRegexResult {
  const limit = HTTP_MIDDLEWARE_LIMITS.regexSource;
  if (pattern.length > limit) return { ok: false, error: `is longer than ${limit} characters` };
  if (pattern === '') return { ok: false, error: 'is empty' };
  try {
    const translator = new Translator(pattern);
    const translated = translator.run();
    // The JavaScript engine has the last word on syntax RE2 and JavaScript share.
    new RegExp(translated.regex.source, translated.regex.flags);
    if (translated.regex.source.length > limit) return { ok: false, error: `is longer than ${limit} characters once translated` };
    const program = LinearRegex.compile(translated.regex);
    return { ok: true, value: { ...translated, cost: program.size } };
  } catch (error) {
    if (error instanceof ProgramTooLarge) {
      return { ok: false, error: `is too complex for the edge: it needs more than ${REGEX_LIMITS.programSize} steps per input character (counted repetitions such as {1,1000} count in full)` };
    }
    if (error instanceof RegexSyntaxError) return { ok: false, error: `cannot be run at the edge (${error.message})` };
    return { ok: false, error: error instanceof Refusal ? error.message : `does not compile (${(error as Error).message})` };
  }
}

class Translator {
  readonly #pattern: string;
  #at = 0;
  #out = '';
  #groups = 0;
  readonly #names = new Map<string, number>();
  /** Groups open at the cursor. */
  #depth = 0;
  #flags = '';

  constructor(pattern: string) {
    this.#pattern = pattern;
  }

  run(): Omit<GoRegex, 'cost'> {
    const lead = /^\(\?([a-zA-Z]+)\)/.exec(this.#pattern);
    if (lead) {
      const letters = lead[1] ?? '';
      if (/[^ims]/.test(letters)) throw new Refusal(`uses the flag group ${lead[0]}; only i, m and s have a JavaScript equivalent`);
      this.#flags = ['i', 'm', 's'].filter((flag) => letters.includes(flag)).join('');
      this.#at = lead[0].length;
    }
    while (this.#at < this.#pattern.length) this.#step();
    if (this.#depth > 0) throw new Refusal('has an unclosed (');
    return {
      regex: { source: this.#out, flags: this.#flags },
      groups: this.#groups,
      names: this.#names,
    };
  }

  #step(): void {
    const char = this.#pattern[this.#at] ?? '';
    if (char === '\\') return this.#atom(this.#escape());
    if (char === '[') return this.#atom(this.#charClass());
    if (char === '(') return this.#open();
    if (char === ')') return this.#close();
    if (char === '*' || char === '+' || char === '?' || (char === '{' && this.#repeat() !== undefined)) return this.#quantifier();
    if (char === '{') return this.#atom('\\{', 1);
    this.#atom(char, 1);
  }

  #atom(text: string, length = 0): void {
    this.#out += text;
    this.#at += length;
  }

  #quantifier(): void {
    const repeat = this.#pattern[this.#at] === '{' ? this.#repeat() : undefined;
    const text = repeat ?? this.#pattern[this.#at] ?? '';
    this.#out += text;
    this.#at += text.length;
    if (this.#pattern[this.#at] === '?') this.#atom('?', 1);
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor, or undefined when `{` is a literal there. */
  #repeat(): string | undefined {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#pattern.slice(this.#at));
    if (!match) return undefined;
    const counts = [match[1], match[3]].filter((count) => count !== undefined && count !== '').map(Number);
    if (counts.some((count) => count > MAX_REPEAT)) throw new Refusal(`repeats more than ${MAX_REPEAT} times`);
    return match[0];
  }

  #open(): void {
    const rest = this.#pattern.slice(this.#at);
    if (/^\(\?(=|!|<=|<!)/.test(rest)) throw new Refusal('uses lookaround, which RE2 does not support');
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    let text = '(';
    if (named) {
      const name = named[1] ?? '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Refusal(`has the group name ${JSON.stringify(name)}; use letters, digits and _`);
      if (this.#names.has(name)) throw new Refusal(`names two groups ${JSON.stringify(name)}`);
      this.#groups += 1;
      this.#names.set(name, this.#groups);
      text = `(?<${name}>`;
      this.#at += named[0].length;
    } else if (rest.startsWith('(?:')) {
      text = '(?:';
      this.#at += 3;
    } else if (rest.startsWith('(?')) {
      throw new Refusal('uses a flag group after the start; put (?i), (?m) or (?s) at the very start');
    } else {
      this.#groups += 1;
      this.#at += 1;
    }
    this.#out += text;
    this.#depth += 1;
  }

  #close(): void {
    if (this.#depth === 0) throw new Refusal('has an unmatched )');
    this.#depth -= 1;
    this.#atom(')', 1);
  }

  /** An escape outside a character class, translated. */
  #escape(): string {
    const next = this.#pattern[this.#at + 1];
    if (next === undefined) throw new Refusal('ends with a lone backslash');
    if (next === 'Q') return this.#quoted();
    this.#at += 2;
    if (next === 'A') return '(?<![\\s\\S])';
    if (next === 'z') return '(?![\\s\\S])';
    if (SAME_ESCAPES.has(next)) return `\\${next}`;
    return this.#commonEscape(next);
  }

  /** Escapes allowed both inside and outside classes, the cursor already past the letter. */
  #commonEscape(letter: string): string {
    if (letter === 'a') return '\\x07';
    if (letter === 'x') return this.#hexEscape();
    if (letter === 'p' || letter === 'P') throw new Refusal('uses a Unicode class (\\p), which edgress does not translate');
    if (/[0-9]/.test(letter)) throw new Refusal('uses a backreference or octal escape, which RE2 does not support');
    if (/[A-Za-z]/.test(letter)) throw new Refusal(`uses the unknown escape \\${letter}`);
    if (letter.charCodeAt(0) > 0x7e) throw new Refusal(`escapes the non-ASCII character ${JSON.stringify(letter)}`);
    return `\\${letter}`;
  }

  #hexEscape(): string {
    const rest = this.#pattern.slice(this.#at);
    const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(rest);
    const plain = /^[0-9A-Fa-f]{2}/.exec(rest);
    const match = braced ?? plain;
    if (!match) throw new Refusal('has a malformed \\x escape');
    const code = Number.parseInt(braced ? (braced[1] ?? '') : match[0], 16);
    if (code > 0xffff) throw new Refusal('escapes a character beyond U+FFFF, which edgress does not translate');
    this.#at += match[0].length;
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }

  /** `\Q…\E`: literal text. */
  #quoted(): string {
    const start = this.#at + 2;
    const end = this.#pattern.indexOf('\\E', start);
    const text = this.#pattern.slice(start, end === -1 ? undefined : end);
    this.#at = end === -1 ? this.#pattern.length : end + 2;
    return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  }

  /** A bracketed class, translated. */
  #charClass(): string {
    let out = '[';
    this.#at += 1;
    if (this.#pattern[this.#at] === '^') {
      out += '^';
      this.#at += 1;
    }
    // RE2, like POSIX, reads a ] right after [ or [^ as a literal.
    if (this.#pattern[this.#at] === ']') {
      out += '\\]';
      this.#at += 1;
    }
    for (;;) {
      const char = this.#pattern[this.#at];
      if (char === undefined) throw new Refusal('has an unclosed [');
      if (char === ']') {
        this.#at += 1;
        return `${out}]`;
      }
      out += this.#classMember(char);
    }
  }

  #classMember(char: string): string {
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.#pattern.slice(this.#at));
    if (posix) {
      const ranges = POSIX_CLASSES[posix[2] ?? ''];
      if (!ranges) throw new Refusal(`uses the unknown class [:${posix[2]}:]`);
      if (posix[1]) throw new Refusal(`uses the negated class [:^${posix[2]}:] inside brackets, which edgress does not translate`);
      this.#at += posix[0].length;
      return ranges;
    }
    if (char === '[') return this.#atomText('\\[');
    if (char !== '\\') return this.#atomText(char);
    const letter = this.#pattern[this.#at + 1];
    if (letter === undefined) throw new Refusal('ends with a lone backslash');
    this.#at += 2;
    if (CLASS_ESCAPES.has(letter)) return `\\${letter}`;
    if (letter === 'Q' || letter === 'A' || letter === 'z' || letter === 'b' || letter === 'B') {
      throw new Refusal(`uses \\${letter} inside brackets`);
    }
    return this.#commonEscape(letter);
  }

  #atomText(text: string): string {
    this.#at += 1;
    return text;
  }
}

/** `text` as a RE2 and JavaScript literal. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}
