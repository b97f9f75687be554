/**
 * `gateway-redirect` (Gateway API RequestRedirect): answers the configured
 * status with a Location built from the URL the client requested, its path
 * normalised as the pod would receive it
 * (docs/design/decisions.md#decision-8-redirects-see-the-client-url); scheme,
 * hostname, port and path each replace the request's when set, with the
 * spec's port rules (`src/net/gateway-url.ts`).
 */
import { redirectLocation } from '../../../src/net/gateway-url.ts';
import { encodedPath } from '../path.ts';
import { hostWithoutPort, redirectResponse } from '../redirect/response.ts';
import type { MiddlewareFactory } from '../types.ts';

export const gatewayRedirect: MiddlewareFactory<'gateway-redirect'> = (config) => {
  const path =
    config.path?.type === 'full'
      ? { type: 'full' as const, value: encodedPath(config.path.value, 'gateway-redirect path') }
      : config.path && {
          type: 'prefix' as const,
          prefix: encodedPath(config.path.prefix, 'gateway-redirect prefix'),
          value: config.path.value === '' ? '' : encodedPath(config.path.value, 'gateway-redirect prefix value'),
        };
  const fields = { scheme: config.scheme, hostname: config.hostname, port: config.port, path };
  return function redirectRequest(context) {
    const host = hostWithoutPort(context.hostHeader);
    const port = /:(\d+)$/.exec(context.hostHeader.slice(host.length))?.[1];
    const location = redirectLocation(
      { scheme: context.scheme, host, port: port === undefined ? undefined : Number(port), path: context.url.pathname, search: context.url.search },
      fields,
    );
    return redirectResponse(location, config.status);
  };
};
