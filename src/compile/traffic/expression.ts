/**
 * The predicate language of Traefik 1.7's `circuit-breaker-expression` and
 * `buffering.retryexpression` (vulcand/predicate over Go expression syntax),
 * parsed once, here, into the typed {@link Predicate} of the table:
 * `||` binds loosest, then `&&`, then `!`; comparisons `< <= > >= == !=`
 * between numbers and numeric functions; parentheses group predicates.
 * Each use allows its own functions (see {@link BREAKER_FUNCTIONS},
 * {@link RETRY_FUNCTIONS}).
 *
 * @example
 * ```ts
 * parseExpression('NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(50.0) > 100', BREAKER_FUNCTIONS);
 * // { ok: true, predicate: { type: 'or', left: { type: 'compare', … }, right: { type: 'compare', … } } }
 * parseExpression('Attempts() <', RETRY_FUNCTIONS); // { ok: false, error: 'unexpected end of expression' }
 * ```
 */
import type { COMPARISONS, Predicate, Value, ValueFunction } from '../../table/traffic.ts';

/** A function's arity and whether its arguments must be integers. */
interface Signature {
  readonly arity: number;
  readonly integers: boolean;
}

export type FunctionSet = Readonly<Partial<Record<ValueFunction | 'IsNetworkError', Signature>>>;

export const BREAKER_FUNCTIONS: FunctionSet = {
  NetworkErrorRatio: { arity: 0, integers: false },
  ResponseCodeRatio: { arity: 4, integers: true },
  LatencyAtQuantileMS: { arity: 1, integers: false },
};

export const RETRY_FUNCTIONS: FunctionSet = {
  IsNetworkError: { arity: 0, integers: false },
  Attempts: { arity: 0, integers: false },
  ResponseCode: { arity: 0, integers: false },
};

export type ParsedExpression = { readonly ok: true; readonly predicate: Predicate } | { readonly ok: false; readonly error: string };

type Token = { readonly kind: 'number'; readonly value: number; readonly text: string } | { readonly kind: 'name' | 'op'; readonly text: string };

const TOKEN = /\s*(?:([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?\.?)|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>!(),-]))/y;

/** Parses `source` with the functions of `functions`; never throws. */
export function parseExpression(source: string, functions: FunctionSet): ParsedExpression {
  try {
    const parser = new Parser(tokenize(source), functions);
    const predicate = parser.or();
    parser.end();
    return { ok: true, predicate };
  } catch (error) {
    return { ok: false, error: error instanceof ExpressionError ? error.message : 'invalid expression' };
  }
}

class ExpressionError extends Error {}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (source.slice(TOKEN.lastIndex).trim() !== '') {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(source);
    if (!match) throw new ExpressionError(`unexpected character at offset ${at}`);
    const [, number, name, op] = match;
    if (number !== undefined) tokens.push({ kind: 'number', value: Number(number), text: number });
    else if (name !== undefined) tokens.push({ kind: 'name', text: name });
    else tokens.push({ kind: 'op', text: op ?? '' });
  }
  return tokens;
}

const COMPARISON_OPS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '==', '!=']);

class Parser {
  #index = 0;
  readonly #tokens: readonly Token[];
  readonly #functions: FunctionSet;

  constructor(tokens: readonly Token[], functions: FunctionSet) {
    this.#tokens = tokens;
    this.#functions = functions;
  }

  or(): Predicate {
    let left = this.and();
    while (this.#accept('||')) left = { type: 'or', left, right: this.and() };
    return left;
  }

  end(): void {
    const token = this.#tokens[this.#index];
    if (token) throw new ExpressionError(`unexpected ${JSON.stringify(token.text)}`);
  }

  and(): Predicate {
    let left = this.#unary();
    while (this.#accept('&&')) left = { type: 'and', left, right: this.#unary() };
    return left;
  }

  #unary(): Predicate {
    if (this.#accept('!')) return { type: 'not', operand: this.#unary() };
    if (this.#accept('(')) {
      const inner = this.or();
      this.#expect(')');
      return inner;
    }
    const left = this.#value();
    const op = this.#peek();
    if (op?.kind === 'op' && COMPARISON_OPS.has(op.text)) {
      this.#index++;
      return { type: 'compare', op: op.text as (typeof COMPARISONS)[number], left: left.value, right: this.#value().value };
    }
    if (left.flag) return { type: 'flag', fn: 'IsNetworkError' };
    throw new ExpressionError(`${describe(left.value)} must be compared (e.g. with > or ==)`);
  }

  #value(): { value: Value; flag: boolean } {
    const token = this.#next();
    if (token.kind === 'op' && token.text === '-') {
      const number = this.#next();
      if (number.kind !== 'number') throw new ExpressionError(`expected a number after "-"`);
      return { value: { type: 'number', value: -number.value }, flag: false };
    }
    if (token.kind === 'number') return { value: { type: 'number', value: token.value }, flag: false };
    if (token.kind !== 'name') throw new ExpressionError(`unexpected ${JSON.stringify(token.text)}`);
    const signature = this.#functions[token.text as ValueFunction];
    if (!signature) {
      const known = Object.keys(this.#functions).map((name) => `${name}()`).join(', ');
      throw new ExpressionError(`unknown function ${JSON.stringify(token.text)} (known: ${known})`);
    }
    const args = this.#arguments(token.text, signature);
    if (token.text === 'IsNetworkError') return { value: { type: 'number', value: 0 }, flag: true };
    return { value: { type: 'metric', fn: token.text as ValueFunction, args }, flag: false };
  }

  #arguments(name: string, signature: Signature): number[] {
    this.#expect('(');
    const args: number[] = [];
    while (!this.#accept(')')) {
      if (args.length > 0) this.#expect(',');
      const negative = this.#accept('-');
      const token = this.#next();
      if (token.kind !== 'number') throw new ExpressionError(`${name}() takes numbers, not ${JSON.stringify(token.text)}`);
      if (signature.integers && !/^[0-9]+$/.test(token.text)) throw new ExpressionError(`${name}() takes integers, not ${token.text}`);
      args.push(negative ? -token.value : token.value);
    }
    if (args.length !== signature.arity) throw new ExpressionError(`${name}() takes ${signature.arity} argument(s), not ${args.length}`);
    return args;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#index];
  }

  #next(): Token {
    const token = this.#tokens[this.#index++];
    if (!token) throw new ExpressionError('unexpected end of expression');
    return token;
  }

  #accept(op: string): boolean {
    const token = this.#peek();
    if (token?.kind !== 'op' || token.text !== op) return false;
    this.#index++;
    return true;
  }

  #expect(op: string): void {
    if (!this.#accept(op)) {
      const token = this.#peek();
      throw new ExpressionError(token ? `expected ${JSON.stringify(op)}, not ${JSON.stringify(token.text)}` : `expected ${JSON.stringify(op)} at the end`);
    }
  }
}

function describe(value: Value): string {
  return value.type === 'number' ? `the number ${value.value}` : `${value.fn}()`;
}
