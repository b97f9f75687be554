/**
 * The chain model. A route's chain is its middlewares in table order (the
 * compiler already sorted them into pipeline phases, `src/table/pipeline.ts`)
 * followed by the forwarder:
 * - request-phase middlewares (deny, redirects, allow-lists, auth) answer by
 *   returning a Response without calling `next`;
 * - request modifiers (path, headers) change the context, then `return next()`;
 * - response-phase middlewares (response headers, error pages) await `next()`
 *   and return a changed Response.
 */
import type { RequestContext } from './context.ts';

export type Next = () => Promise<Response>;

/** One step of a route's chain, built by a middleware factory. */
export type EdgeMiddleware = (context: RequestContext, next: Next) => Response | Promise<Response>;

/** A whole chain, or its last step (the forwarder). */
export type RouteHandler = (context: RequestContext) => Promise<Response>;

export function compose(middlewares: readonly EdgeMiddleware[], terminal: RouteHandler): RouteHandler {
  // Nothing to order: the terminal is the chain (no dispatcher frame per request).
  if (middlewares.length === 0) return terminal;
  return function runChain(context) {
    let reached = -1;
    const dispatch = async (index: number): Promise<Response> => {
      if (index <= reached) throw new Error('next() called more than once by one middleware');
      reached = index;
      const middleware = middlewares[index];
      if (!middleware) return terminal(context);
      return middleware(context, () => dispatch(index + 1));
    };
    return dispatch(0);
  };
}
