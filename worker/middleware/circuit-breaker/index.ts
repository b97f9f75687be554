/**
 * `circuit-breaker`: Traefik 1.7's breaker around the rest of the route's
 * chain (`../../traffic/breaker.ts`). While tripped the route answers 503
 * `Service Unavailable`. Every outcome is recorded with its latency: a pod's
 * status, or the 502/504 the edge answers when no endpoint could be reached.
 *
 * State is per isolate (each isolate judges the responses it saw, as each
 * Traefik replica did), kept per route id and expression so that it survives
 * table reloads: a breaker tripped during an incident stays tripped while the
 * endpoints churn.
 */
import { EdgeError, edgeResponse } from '../../base/errors.ts';
import { Breaker } from '../../traffic/breaker.ts';
import type { MiddlewareFactory } from '../types.ts';

const breakers = new Map<string, Breaker>();

export const circuitBreaker: MiddlewareFactory<'circuit-breaker'> = (config) => {
  const { predicate, source } = config.condition;
  return async function breakCircuit(context, next) {
    const id = `${context.route.router.id} ${source}`;
    let breaker = breakers.get(id);
    if (!breaker) {
      const settings = context.runtime.traffic();
      breaker = new Breaker(predicate, { fallbackMs: settings.breakerFallbackMs, recoveryMs: settings.breakerRecoveryMs });
      breakers.set(id, breaker);
    }
    if (!breaker.allow(Date.now())) return edgeResponse(503);
    const started = Date.now();
    try {
      const response = await next();
      breaker.record(response.status, Date.now() - started, Date.now());
      return response;
    } catch (error) {
      breaker.record(error instanceof EdgeError ? error.status : 500, Date.now() - started, Date.now());
      throw error;
    }
  };
};
