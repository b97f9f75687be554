/**
 * Each route's chain, composed once per `CompiledRoute` (one per table
 * version) on its first request: the factories run there, never per request.
 * A middleware entry its factory refuses makes the route answer 500: it fails
 * closed instead of running without that middleware.
 */
import type { CompiledRoute } from '../src/match/compiled-route.ts';
import { splitForward } from './backend-split.ts';
import { compose, type RouteHandler } from './chain/compose.ts';
import { EdgeError, failureResponse } from './base/errors.ts';
import { forward } from './forward.ts';
import { describeError, log } from './base/log.ts';
import { buildMiddleware } from './middleware/registry.ts';
import type { ErrorKind } from './base/stats.ts';

const chains = new WeakMap<CompiledRoute, RouteHandler>();

/** The route's whole chain, failures answered: it never throws. */
export function routeChain(route: CompiledRoute): RouteHandler {
  let chain = chains.get(route);
  if (!chain) {
    chain = buildChain(route);
    chains.set(route, chain);
  }
  return chain;
}

function buildChain(route: CompiledRoute): RouteHandler {
  const id = route.router.id;
  let chain: RouteHandler;
  let refused = false;
  try {
    chain = compose(route.middlewares.map(buildMiddleware), route.split ? splitForward(route.split) : forward);
  } catch (error) {
    log({ level: 'error', event: 'middleware-rejected', route: id, cause: describeError(error) });
    refused = true;
    const failure = new EdgeError(500, undefined, { cause: error });
    chain = async () => {
      throw failure;
    };
  }
  return async function handleRoute(context) {
    try {
      return await chain(context);
    } catch (error) {
      if (context.outcome.error === '') context.outcome.error = refused ? 'refused' : errorKind(error);
      return failureResponse(error, id);
    }
  };
}

/** The statistics' error kind of a failure the forwarder did not classify itself. */
function errorKind(error: unknown): ErrorKind {
  if (!(error instanceof EdgeError)) return 'internal';
  if (error.status === 503) return 'no-endpoint';
  return error.status >= 500 ? 'internal' : '';
}
