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
 * RE2 runs in linear time; JavaScript backtracks. A quantified group that
 * itself contains an unbounded quantifier (`(a+)+`) is flagged so the caller
 * can warn about it.
 *
 * Replacement templates are `./go-replacement.ts`.
 *
 * @example
 * ```ts
 * const result = translateGoRegex('(?i)^/(?P<rest>.*)$');
 * // { ok: true, value: { regex: { source: '^/(?<rest>.*)$', flags: 'i' }, groups: 1, names: Map { 'rest' => 1 }, backtracking: false } }
 * ```
 */
import { HTTP_MIDDLEWARE_LIMITS, type RegexSpec } from '../../table/http-middleware.ts';

export interface GoRegex {
  readonly regex: RegexSpec;
  /** Number of capture groups. */
  readonly groups: number;
  /** Named groups and their numbers. */
  readonly names: ReadonlyMap<string, number>;
  /** A quantified group contains an unbounded quantifier: may backtrack badly in JavaScript. */
  readonly backtracking: boolean;
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

interface Frame {
  unbounded: boolean;
}

/** Translates a Go RE2 pattern into a JavaScript regex, or says why it cannot. */
export function translateGoRegex(pattern: string): GoRegexResult {
  const limit = HTTP_MIDDLEWARE_LIMITS.regexSource;
  if (pattern.length > limit) return { ok: false, error: `is longer than ${limit} characters` };
  if (pattern === '') return { ok: false, error: 'is empty' };
  try {
    const translator = new Translator(pattern);
    const value = translator.run();
    // The JavaScript engine has the last word on syntax RE2 and JavaScript share.
    new RegExp(value.regex.source, value.regex.flags);
    if (value.regex.source.length > limit) return { ok: false, error: `is longer than ${limit} characters once translated` };
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof Refusal ? error.message : `does not compile (${(error as Error).message})` };
  }
}

class Translator {
  readonly #pattern: string;
  #at = 0;
  #out = '';
  #groups = 0;
  readonly #names = new Map<string, number>();
  readonly #frames: Frame[] = [{ unbounded: false }];
  /** The frame of the group that just closed, while it is the last atom. */
  #closed: Frame | undefined;
  #backtracking = false;
  #flags = '';

  constructor(pattern: string) {
    this.#pattern = pattern;
  }

  run(): GoRegex {
    const lead = /^\(\?([a-zA-Z]+)\)/.exec(this.#pattern);
    if (lead) {
      const letters = lead[1] ?? '';
      if (/[^ims]/.test(letters)) throw new Refusal(`uses the flag group ${lead[0]}; only i, m and s have a JavaScript equivalent`);
      this.#flags = ['i', 'm', 's'].filter((flag) => letters.includes(flag)).join('');
      this.#at = lead[0].length;
    }
    while (this.#at < this.#pattern.length) this.#step();
    if (this.#frames.length > 1) throw new Refusal('has an unclosed (');
    return {
      regex: { source: this.#out, flags: this.#flags },
      groups: this.#groups,
      names: this.#names,
      backtracking: this.#backtracking,
    };
  }

  #step(): void {
    const char = this.#pattern[this.#at] ?? '';
    const closed = this.#closed;
    this.#closed = undefined;
    if (char === '\\') return this.#atom(this.#escape());
    if (char === '[') return this.#atom(this.#charClass());
    if (char === '(') return this.#open();
    if (char === ')') return this.#close();
    if (char === '*' || char === '+' || char === '?' || (char === '{' && this.#repeat() !== undefined)) return this.#quantifier(closed);
    if (char === '{') return this.#atom('\\{', 1);
    this.#atom(char, 1);
  }

  #atom(text: string, length = 0): void {
    this.#out += text;
    this.#at += length;
  }

  #quantifier(closed: Frame | undefined): void {
    const repeat = this.#pattern[this.#at] === '{' ? this.#repeat() : undefined;
    const text = repeat ? repeat.text : (this.#pattern[this.#at] ?? '');
    const unbounded = repeat ? repeat.unbounded : text !== '?';
    this.#out += text;
    this.#at += text.length;
    if (this.#pattern[this.#at] === '?') this.#atom('?', 1);
    if (unbounded) {
      if (closed?.unbounded) this.#backtracking = true;
      for (const frame of this.#frames) frame.unbounded = true;
    }
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor, or undefined when `{` is a literal there. */
  #repeat(): { text: string; unbounded: boolean } | undefined {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#pattern.slice(this.#at));
    if (!match) return undefined;
    const counts = [match[1], match[3]].filter((count) => count !== undefined && count !== '').map(Number);
    if (counts.some((count) => count > MAX_REPEAT)) throw new Refusal(`repeats more than ${MAX_REPEAT} times`);
    return { text: match[0], unbounded: match[2] !== undefined && (match[3] ?? '') === '' };
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
    this.#frames.push({ unbounded: false });
  }

  #close(): void {
    if (this.#frames.length === 1) throw new Refusal('has an unmatched )');
    this.#closed = this.#frames.pop();
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
