import { describe, expect, it } from 'vitest';
import { expectRejected } from '../../../test/unit/parsed.ts';
import { BREAKER_FUNCTIONS, parseExpression, RETRY_FUNCTIONS } from './expression.ts';

const metric = (fn: string, ...args: number[]) => ({ type: 'metric', fn, args });
const number = (value: number) => ({ type: 'number', value });

describe('parseExpression', () => {
  it('parses a comparison with a numeric function', () => {
    expect(parseExpression('NetworkErrorRatio() > 0.5', BREAKER_FUNCTIONS)).toEqual({
      ok: true,
      predicate: { type: 'compare', op: '>', left: metric('NetworkErrorRatio'), right: number(0.5) },
    });
  });

  it('binds && tighter than ||, and parentheses group', () => {
    const parsed = parseExpression('LatencyAtQuantileMS(50.0) > 100 || ResponseCodeRatio(500, 600, 0, 600) > 0.5 && NetworkErrorRatio() >= 0.1', BREAKER_FUNCTIONS);
    expect(parsed.ok && parsed.predicate.type).toBe('or');
    expect(parsed.ok && parsed.predicate.type === 'or' && parsed.predicate.right.type).toBe('and');
    const grouped = parseExpression('(LatencyAtQuantileMS(50) > 100 || NetworkErrorRatio() > 0.5) && NetworkErrorRatio() != 0', BREAKER_FUNCTIONS);
    expect(grouped.ok && grouped.predicate.type).toBe('and');
  });

  it('parses every comparison operator and negation', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) {
      const parsed = parseExpression(`Attempts() ${op} 2`, RETRY_FUNCTIONS);
      expect(parsed).toEqual({ ok: true, predicate: { type: 'compare', op, left: metric('Attempts'), right: number(2) } });
    }
    expect(parseExpression('!IsNetworkError()', RETRY_FUNCTIONS)).toEqual({ ok: true, predicate: { type: 'not', operand: { type: 'flag', fn: 'IsNetworkError' } } });
  });

  it('parses the retry expression of the Traefik docs', () => {
    expect(parseExpression('IsNetworkError() && Attempts() <= 2', RETRY_FUNCTIONS)).toEqual({
      ok: true,
      predicate: { type: 'and', left: { type: 'flag', fn: 'IsNetworkError' }, right: { type: 'compare', op: '<=', left: metric('Attempts'), right: number(2) } },
    });
    expect(parseExpression('ResponseCode() == 503 && Attempts() < -1', RETRY_FUNCTIONS).ok).toBe(true);
  });

  it.each([
    ['', 'unexpected end of expression'],
    ['NetworkErrorRatio() >', 'unexpected end of expression'],
    ['NetworkErrorRatio()', 'must be compared'],
    ['0.5', 'must be compared'],
    ['NetworkErrorRatio() > 0.5 &&', 'unexpected end'],
    ['Foo() > 1', 'unknown function "Foo"'],
    ['IsNetworkError()', 'unknown function "IsNetworkError"'],
    ['ResponseCodeRatio(500, 600) > 0.5', 'takes 4 argument(s), not 2'],
    ['ResponseCodeRatio(500.5, 600, 0, 600) > 0.5', 'takes integers'],
    ['LatencyAtQuantileMS(x) > 1', 'takes numbers'],
    ['NetworkErrorRatio() > 0.5 0.6', 'unexpected "0.6"'],
    ['(NetworkErrorRatio() > 0.5', 'expected ")"'],
    ['NetworkErrorRatio() = 0.5', 'unexpected character'],
    ['NetworkErrorRatio() > 0.5 & true', 'unexpected character'],
  ])('rejects %j', (source, error) => {
    expectRejected(parseExpression(source, BREAKER_FUNCTIONS), error);
  });
});
