/**
 * `upstream-timeout` (ingress-nginx `proxy-read-timeout`): the route's wait
 * for the pod's response headers, instead of `UPSTREAM_TIMEOUT_MS`.
 */
import type { MiddlewareFactory } from '../types.ts';

export const upstreamTimeout: MiddlewareFactory<'upstream-timeout'> = (config) =>
  function setUpstreamTimeout(context, next) {
    context.upstreamTimeoutMs = config.ms;
    return next();
  };
