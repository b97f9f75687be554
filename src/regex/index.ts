/**
 * Regexes from annotations, run in linear time. JavaScript's own engine
 * backtracks: `(a+)+$`, `(a|a)*b` or `.*.*x` take exponential or polynomial
 * time on some inputs, and one such request would hold an isolate's only
 * thread for every other request. RE2, which Traefik used, never does. So
 * the worker runs annotation regexes on this Pike VM instead: the regex is
 * compiled once into at most {@link REGEX_LIMITS}`.programSize` instructions
 * (the compiler refuses larger ones when it builds the table), and a match
 * costs at most (input length + 1) × program size steps.
 *
 * @example
 * ```ts
 * const regex = LinearRegex.compile({ source: '^/api/(?<rest>.*)', flags: '' });
 * regex.exec('/api/users', 0)?.group(1); // 'users'
 * ```
 */
import { parseRegex } from './parse.ts';
import { compileProgram, type Program } from './program.ts';
import { runProgram } from './vm.ts';

export { RegexSyntaxError } from './parse.ts';
export { ProgramTooLarge } from './program.ts';

/** The bound every annotation regex is held to, decided when the table is compiled. */
export const REGEX_LIMITS = {
  /**
   * Instructions of the compiled program (roughly one per character, class
   * or group of the regex, counted repetition unrolled): `x{1,1000}` costs
   * 2,000. The cost of a match is at most (input length + 1) times this.
   */
  programSize: 2_000,
  /** Programs above this size compile with a warning: each request pays up to this many steps per character. */
  warnProgramSize: 500,
} as const;

/** One match: where it is and what each group captured. */
export interface RegexMatch {
  readonly index: number;
  readonly end: number;
  /** Group `n` (0: the whole match), undefined when it did not take part. */
  group(n: number): string | undefined;
}

export class LinearRegex {
  readonly #program: Program;
  /** Capture groups, not counting the whole match. */
  readonly groups: number;

  private constructor(program: Program, groups: number) {
    this.#program = program;
    this.groups = groups;
  }

  /** Compiles a regex in the table's JavaScript syntax; throws on unsupported syntax or a program over the limit. */
  static compile(spec: { readonly source: string; readonly flags: string }, maxSize: number = REGEX_LIMITS.programSize): LinearRegex {
    const parsed = parseRegex(spec.source, spec.flags);
    return new LinearRegex(compileProgram(parsed, maxSize), parsed.groups);
  }

  /** Instructions in the compiled program. */
  get size(): number {
    return this.#program.instructions.length;
  }

  /** The first match starting at or after `from`, or undefined. */
  exec(input: string, from = 0): RegexMatch | undefined {
    const slots = runProgram(this.#program, input, from);
    if (!slots) return undefined;
    return {
      index: slots[0] as number,
      end: slots[1] as number,
      group: (n) => {
        const start = slots[2 * n] ?? -1;
        const end = slots[2 * n + 1] ?? -1;
        return start === -1 || end === -1 ? undefined : input.slice(start, end);
      },
    };
  }

  test(input: string): boolean {
    return runProgram(this.#program, input, 0) !== undefined;
  }
}
