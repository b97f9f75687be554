/**
 * The JavaScript regex syntax the compiler emits (`src/compile/annotations/go-regex.ts`),
 * parsed into a tree for the linear-time matcher: literals, `.`, classes
 * with ranges and `\d \D \s \S \w \W`, `^ $ \b \B`, the `\A`/`\z` spellings
 * `(?<![\s\S])`/`(?![\s\S])`, capturing, named and non-capturing groups,
 * alternation and greedy or lazy quantifiers, with flags `i`, `m`, `s`.
 * Strings are UTF-16 code units, as JavaScript regexes without `u` see them.
 * Anything else (backreferences, other lookaround) is a syntax error here.
 *
 * @example
 * ```ts
 * const { root, groups } = parseRegex('^/api/(?<rest>.*)', '');
 * // groups === 1; root is a seq of assert(bol), chars and a group
 * ```
 */

/** Zero-width assertions: line or text start and end, word boundary or not. */
export type Assertion = 'bol' | 'eol' | 'bot' | 'eot' | 'word' | 'notword';

export type CharTest = (code: number) => boolean;

export type RegexNode =
  | { readonly type: 'char'; readonly test: CharTest }
  | { readonly type: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly type: 'alt'; readonly branches: readonly RegexNode[] }
  | { readonly type: 'group'; readonly index: number | undefined; readonly body: RegexNode }
  | { readonly type: 'repeat'; readonly body: RegexNode; readonly min: number; readonly max: number; readonly greedy: boolean }
  | { readonly type: 'assert'; readonly kind: Assertion };

export interface ParsedRegex {
  readonly root: RegexNode;
  /** Capture groups, not counting the whole match. */
  readonly groups: number;
  readonly names: ReadonlyMap<string, number>;
  readonly flags: { readonly ignoreCase: boolean; readonly multiline: boolean; readonly dotAll: boolean };
}

export class RegexSyntaxError extends Error {
  override readonly name = 'RegexSyntaxError';
}

type Range = readonly [low: number, high: number];

const DIGIT: readonly Range[] = [[0x30, 0x39]];
const WORD: readonly Range[] = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]];
/** JavaScript's WhiteSpace and LineTerminator code points below U+10000. */
const SPACE: readonly Range[] = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f],
  [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];
const LINE_TERMINATORS: readonly Range[] = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];
const CLASS_ESCAPES: Readonly<Record<string, { ranges: readonly Range[]; negated: boolean }>> = {
  d: { ranges: DIGIT, negated: false }, D: { ranges: DIGIT, negated: true },
  w: { ranges: WORD, negated: false }, W: { ranges: WORD, negated: true },
  s: { ranges: SPACE, negated: false }, S: { ranges: SPACE, negated: true },
};
const CONTROL_ESCAPES: Readonly<Record<string, number>> = { t: 0x09, n: 0x0a, v: 0x0b, f: 0x0c, r: 0x0d };
const BOT = '(?<![\\s\\S])';
const EOT = '(?![\\s\\S])';

/** Parses `source` with `flags` (a subset of `ims`); throws {@link RegexSyntaxError}. */
export function parseRegex(source: string, flags: string): ParsedRegex {
  if (!/^i?m?s?$/.test(flags)) throw new RegexSyntaxError(`unsupported flags ${JSON.stringify(flags)}`);
  const parser = new Parser(source, { ignoreCase: flags.includes('i'), multiline: flags.includes('m'), dotAll: flags.includes('s') });
  return parser.parse();
}

/** True when `code` is a line terminator (for `.`, `^` and `$`). */
export function isLineTerminator(code: number): boolean {
  return inRanges(LINE_TERMINATORS, code);
}

/** True when `code` is a `\w` character. */
export function isWordChar(code: number): boolean {
  return inRanges(WORD, code);
}

class Parser {
  readonly #source: string;
  readonly #flags: ParsedRegex['flags'];
  #at = 0;
  #groups = 0;
  readonly #names = new Map<string, number>();

  constructor(source: string, flags: ParsedRegex['flags']) {
    this.#source = source;
    this.#flags = flags;
  }

  parse(): ParsedRegex {
    const root = this.#disjunction();
    if (this.#at < this.#source.length) throw this.#error(`unexpected ${JSON.stringify(this.#source[this.#at])}`);
    return { root, groups: this.#groups, names: this.#names, flags: this.#flags };
  }

  #disjunction(): RegexNode {
    const branches = [this.#alternative()];
    while (this.#source[this.#at] === '|') {
      this.#at += 1;
      branches.push(this.#alternative());
    }
    return branches.length === 1 ? (branches[0] as RegexNode) : { type: 'alt', branches };
  }

  #alternative(): RegexNode {
    const items: RegexNode[] = [];
    for (let char = this.#source[this.#at]; char !== undefined && char !== '|' && char !== ')'; char = this.#source[this.#at]) {
      items.push(this.#term());
    }
    return items.length === 1 ? (items[0] as RegexNode) : { type: 'seq', items };
  }

  #term(): RegexNode {
    const assertion = this.#assertion();
    // JavaScript lets a lookahead (our \z) be quantified; it means what it means once, or nothing.
    if (assertion) return this.#quantified({ type: 'assert', kind: assertion });
    const atom = this.#atom();
    return this.#quantified(atom);
  }

  #assertion(): Assertion | undefined {
    const rest = this.#source.slice(this.#at, this.#at + BOT.length);
    const char = this.#source[this.#at];
    const take = (length: number, kind: Assertion) => ((this.#at += length), kind);
    if (char === '^') return take(1, this.#flags.multiline ? 'bol' : 'bot');
    if (char === '$') return take(1, this.#flags.multiline ? 'eol' : 'eot');
    if (rest === BOT) return take(BOT.length, 'bot');
    if (rest.startsWith(EOT)) return take(EOT.length, 'eot');
    if (rest.startsWith('\\b')) return take(2, 'word');
    if (rest.startsWith('\\B')) return take(2, 'notword');
    return undefined;
  }

  #quantifierAhead(): boolean {
    const char = this.#source[this.#at];
    return char === '*' || char === '+' || char === '?' || (char === '{' && this.#braces() !== undefined);
  }

  #quantified(body: RegexNode): RegexNode {
    const char = this.#source[this.#at];
    let min: number;
    let max: number;
    if (char === '*' || char === '+' || char === '?') {
      this.#at += 1;
      [min, max] = char === '*' ? [0, Infinity] : char === '+' ? [1, Infinity] : [0, 1];
    } else {
      const braces = char === '{' ? this.#braces() : undefined;
      if (!braces) return body;
      this.#at += braces.length;
      [min, max] = [braces.min, braces.max];
      if (min > max) throw this.#error('numbers out of order in {} quantifier');
    }
    const greedy = this.#source[this.#at] !== '?';
    if (!greedy) this.#at += 1;
    if (this.#quantifierAhead()) throw this.#error('nothing to repeat');
    return { type: 'repeat', body, min, max, greedy };
  }

  /** `{n}`, `{n,}` or `{n,m}` at the cursor, or undefined when `{` is a literal there. */
  #braces(): { min: number; max: number; length: number } | undefined {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(this.#source.slice(this.#at, this.#at + 24));
    if (!match) return undefined;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    return { min, max, length: match[0].length };
  }

  #atom(): RegexNode {
    const char = this.#source[this.#at] ?? '';
    if (char === '(') return this.#group();
    if (char === '[') return this.#class();
    if (char === '*' || char === '+' || char === '?' || (char === '{' && this.#braces() !== undefined)) throw this.#error('nothing to repeat');
    this.#at += 1;
    if (char === '.') return this.#set(this.#flags.dotAll ? [[0, 0xffff]] : LINE_TERMINATORS, !this.#flags.dotAll);
    if (char !== '\\') return this.#literal(char.charCodeAt(0));
    const escape = CLASS_ESCAPES[this.#source[this.#at] ?? ''];
    if (escape) {
      this.#at += 1;
      return this.#set(escape.ranges, escape.negated);
    }
    return this.#literal(this.#escapedCode());
  }

  #group(): RegexNode {
    const rest = this.#source.slice(this.#at, this.#at + 300);
    let index: number | undefined;
    if (rest.startsWith('(?:')) this.#at += 3;
    else if (rest.startsWith('(?<') && !rest.startsWith('(?<=') && !rest.startsWith('(?<!')) {
      const named = /^\(\?<([A-Za-z_$][A-Za-z0-9_$]*)>/.exec(rest);
      if (!named || this.#names.has(named[1] ?? '')) throw this.#error('invalid or duplicate group name');
      index = ++this.#groups;
      this.#names.set(named[1] ?? '', index);
      this.#at += named[0].length;
    } else if (rest.startsWith('(?')) throw this.#error('unsupported group');
    else {
      index = ++this.#groups;
      this.#at += 1;
    }
    const body = this.#disjunction();
    if (this.#source[this.#at] !== ')') throw this.#error('unterminated group');
    this.#at += 1;
    return { type: 'group', index, body };
  }

  #class(): RegexNode {
    this.#at += 1;
    const negated = this.#source[this.#at] === '^';
    if (negated) this.#at += 1;
    const ranges: Range[] = [];
    while (this.#source[this.#at] !== ']') {
      if (this.#at >= this.#source.length) throw this.#error('unterminated character class');
      const low = this.#classAtom();
      const dash = this.#source[this.#at] === '-' && this.#source[this.#at + 1] !== ']' && this.#source[this.#at + 1] !== undefined;
      if (typeof low === 'number' && dash) {
        this.#at += 1;
        const high = this.#classAtom();
        if (typeof high !== 'number') {
          // Annex B: a class escape after `-` makes the dash a literal.
          ranges.push([low, low], [0x2d, 0x2d], ...high);
          continue;
        }
        if (high < low) throw this.#error('range out of order in character class');
        ranges.push([low, high]);
      } else if (typeof low === 'number') ranges.push([low, low]);
      else ranges.push(...low);
    }
    this.#at += 1;
    return this.#set(ranges, negated);
  }

  /** One class member: a code unit, or the ranges of a class escape. */
  #classAtom(): number | readonly Range[] {
    const char = this.#source[this.#at] ?? '';
    this.#at += 1;
    if (char !== '\\') return char.charCodeAt(0);
    const letter = this.#source[this.#at] ?? '';
    const escape = CLASS_ESCAPES[letter];
    if (escape) {
      this.#at += 1;
      return escape.negated ? complement(escape.ranges) : escape.ranges;
    }
    if (letter === 'b') {
      this.#at += 1;
      return 0x08;
    }
    return this.#escapedCode();
  }

  /** The code unit of an escape whose backslash is behind the cursor. */
  #escapedCode(): number {
    const letter = this.#source[this.#at];
    if (letter === undefined) throw this.#error('\\ at end of pattern');
    this.#at += 1;
    const control = CONTROL_ESCAPES[letter];
    if (control !== undefined) return control;
    const hex = letter === 'x' ? 2 : letter === 'u' ? 4 : 0;
    if (hex > 0) {
      const digits = this.#source.slice(this.#at, this.#at + hex);
      if (!new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) throw this.#error(`invalid \\${letter} escape`);
      this.#at += hex;
      return Number.parseInt(digits, 16);
    }
    if (/[A-Za-z0-9]/.test(letter)) throw this.#error(`unsupported escape \\${letter}`);
    return letter.charCodeAt(0);
  }

  #literal(code: number): RegexNode {
    if (!this.#flags.ignoreCase) return { type: 'char', test: (c) => c === code };
    const folded = canonicalize(code);
    return { type: 'char', test: (c) => c === code || canonicalize(c) === folded };
  }

  #set(ranges: readonly Range[], negated: boolean): RegexNode {
    const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
    const contains = this.#flags.ignoreCase ? (c: number) => caseVariants(c).some((v) => inRanges(sorted, v)) : (c: number) => inRanges(sorted, c);
    return { type: 'char', test: negated ? (c) => !contains(c) : contains };
  }

  #error(message: string): RegexSyntaxError {
    return new RegexSyntaxError(`${message} at ${this.#at}`);
  }
}

function inRanges(ranges: readonly Range[], code: number): boolean {
  for (const [low, high] of ranges) {
    if (code < low) return false;
    if (code <= high) return true;
  }
  return false;
}

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [low, high] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (low > next) out.push([next, low - 1]);
    next = Math.max(next, high + 1);
  }
  if (next <= 0xffff) out.push([next, 0xffff]);
  return out;
}

/** ECMAScript's Canonicalize for non-Unicode, case-insensitive regexes. */
function canonicalize(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const folded = upper.charCodeAt(0);
  return code >= 128 && folded < 128 ? code : folded;
}

/** `code` and the code units that canonicalize to the same one (for class membership under `i`). */
function caseVariants(code: number): number[] {
  const folded = canonicalize(code);
  const lower = String.fromCharCode(folded).toLowerCase();
  const candidates = [code, folded, lower.length === 1 ? lower.charCodeAt(0) : code];
  return candidates.filter((candidate) => canonicalize(candidate) === folded);
}
