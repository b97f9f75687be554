/**
 * `upstream-host` (ingress-nginx `upstream-vhost`,
 * test/e2e/annotations/upstreamvhost.go): the pod gets this Host header
 * instead of the client's (or the endpoint's address).
 */
import type { MiddlewareFactory } from '../types.ts';

export const upstreamHost: MiddlewareFactory<'upstream-host'> = (config) =>
  function setUpstreamHost(context, next) {
    context.upstreamHost = config.host;
    return next();
  };
