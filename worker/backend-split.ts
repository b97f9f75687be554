/**
 * A Gateway API split (`CompiledRoute.split`, from an HTTPRoute rule's
 * `backendRefs`): each request draws one member by weight (smooth weighted
 * round robin, per isolate), then runs that member's own middlewares (the
 * backendRef's filters) and is sent to that member alone. A member that
 * stands for an unusable backendRef answers 500 for its share, as the spec
 * requires; only zero weights answer 500 every time. The reason is for logs
 * and explain, never the client.
 */
import type { SplitMember } from '../src/match/compiled-route.ts';
import { SmoothWeightedRoundRobin } from './balancer/swrr.ts';
import { compose, type RouteHandler } from './chain/compose.ts';
import { EdgeError } from './base/errors.ts';
import { forward } from './forward.ts';
import { buildMiddleware } from './middleware/registry.ts';

/** The end of a route's chain for a split: draw a member, run its chain. */
export function splitForward(members: readonly SplitMember[]): RouteHandler {
  const chains = new SmoothWeightedRoundRobin(members.map((member) => ({ item: memberChain(member), weight: member.weight })));
  return function forwardToMember(context) {
    const chain = chains.next();
    if (!chain) return Promise.reject(new EdgeError(500, undefined, { cause: 'every backendRef has weight 0' }));
    return chain(context);
  };
}

function memberChain(member: SplitMember): RouteHandler {
  const service = member.service;
  if (service.kind === 'status') {
    const failure = new EdgeError(service.status, undefined, { cause: `backendRef ${member.id}: ${service.reason}` });
    return () => Promise.reject(failure);
  }
  const chain = compose(member.middlewares.map(buildMiddleware), forward);
  return function forwardToService(context) {
    context.service = service;
    return chain(context);
  };
}
