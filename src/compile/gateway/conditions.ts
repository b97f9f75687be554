/**
 * Building `metav1.Condition`s: `True` with the positive reason, or `False`
 * with why, each stamped with the object's generation.
 *
 * @example
 * ```ts
 * const at = conditionsFor(route.generation);
 * at.condition('Accepted', undefined, 'Accepted', 'accepted by listener http');
 * at.condition('ResolvedRefs', { reason: 'BackendNotFound', message: 'Service shop/x not found' }, 'ResolvedRefs', '');
 * ```
 */
import type { GatewayCondition } from './report.ts';

/** Why a condition is False (or Unknown). */
export interface Failure {
  readonly reason: string;
  readonly message: string;
  readonly status?: 'False' | 'Unknown';
}

export interface ConditionMaker {
  /** `True` with `okReason` and `okMessage` when `failure` is undefined, else `False` (or Unknown) with the failure's. */
  condition(type: string, failure: Failure | undefined, okReason: string, okMessage: string): GatewayCondition;
  /** A condition with the given status, reason and message. */
  raw(type: string, status: GatewayCondition['status'], reason: string, message: string): GatewayCondition;
}

export function conditionsFor(generation: number | undefined): ConditionMaker {
  const stamp = generation === undefined ? {} : { observedGeneration: generation };
  const raw = (type: string, status: GatewayCondition['status'], reason: string, message: string): GatewayCondition => ({ type, status, reason, message, ...stamp });
  return {
    raw,
    condition: (type, failure, okReason, okMessage) =>
      failure ? raw(type, failure.status ?? 'False', failure.reason, failure.message) : raw(type, 'True', okReason, okMessage),
  };
}
