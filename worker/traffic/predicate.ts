/**
 * Evaluates a compiled predicate (`src/table/traffic.ts`) against the facts
 * of one use: a breaker's window metrics or a retry's attempt. Functions a
 * use does not provide evaluate to 0 (the compiler only lets through the
 * functions of each use).
 *
 * @example
 * ```ts
 * evaluate(condition.predicate, { NetworkErrorRatio: () => 0.6 }); // true for `NetworkErrorRatio() > 0.5`
 * ```
 */
import type { Predicate, Value, ValueFunction } from '../../src/table/traffic.ts';

export type Facts = Partial<Record<ValueFunction, (args: readonly number[]) => number>> & { readonly IsNetworkError?: () => boolean };

export function evaluate(predicate: Predicate, facts: Facts): boolean {
  switch (predicate.type) {
    case 'and':
      return evaluate(predicate.left, facts) && evaluate(predicate.right, facts);
    case 'or':
      return evaluate(predicate.left, facts) || evaluate(predicate.right, facts);
    case 'not':
      return !evaluate(predicate.operand, facts);
    case 'flag':
      return facts.IsNetworkError?.() ?? false;
    case 'compare':
      return compare(predicate.op, valueOf(predicate.left, facts), valueOf(predicate.right, facts));
  }
}

function valueOf(value: Value, facts: Facts): number {
  return value.type === 'number' ? value.value : (facts[value.fn]?.(value.args) ?? 0);
}

function compare(op: Extract<Predicate, { type: 'compare' }>['op'], left: number, right: number): boolean {
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
      return left === right;
    case '!=':
      return left !== right;
  }
}
