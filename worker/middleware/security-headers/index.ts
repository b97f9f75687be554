/**
 * `security-headers` (Traefik's `secure` middleware), in its order:
 * 1. allowed hosts: the host (first non-empty `proxy-headers` header, else
 *    the Host header as sent, port included) must be one of them, compared
 *    case-insensitively, else 500 "Bad Host";
 * 2. SSL redirect: a request that is not secure (not https at the edge and
 *    no `ssl-proxy-headers` match) goes to `https://<ssl-host or host>` +
 *    the path (normalised) and query the client requested (docs/design/decisions.md#decision-8-redirects-see-the-client-url;
 *    Traefik lost a stripped prefix, #1957/#4085), 301 or 307;
 * 3. SSL force host: a request for another host than ssl-host goes there;
 * 4. on the pod's response: the security headers (HSTS and HPKP on secure
 *    requests only unless forced), replacing the pod's values, and a pod
 *    Location `http://<ssl-host>…` made https on secure requests.
 * Responses the edge generates (this middleware's own, auth's, errors) get
 * no security headers, as in Traefik.
 */
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import { edgeResponse } from '../../base/errors.ts';
import { isUpstreamResponse } from '../../proxy/index.ts';
import type { RequestContext } from '../../chain/context.ts';
import { redirectResponse, requestTarget } from '../redirect/response.ts';
import type { MiddlewareFactory } from '../types.ts';

/** The body of the allowed-hosts refusal, as Traefik's `secure` wrote it. */
export const BAD_HOST_TEXT = 'Bad Host';

type Config = MiddlewareOf<'security-headers'>;

export const securityHeaders: MiddlewareFactory<'security-headers'> = (config) => {
  const allowed = config.allowedHosts ? new Set(config.allowedHosts) : undefined;
  const sslHost = config.sslHost;
  const forceHost = config.sslForceHost && sslHost !== undefined ? sslHost.toLowerCase() : undefined;
  const insecureLocation = sslHost === undefined ? undefined : `http://${sslHost.toLowerCase()}`;
  return async function secureRequest(context, next) {
    const host = requestHost(context, config.hostHeaders);
    if (allowed && !allowed.has(host.toLowerCase())) return edgeResponse(500, BAD_HOST_TEXT);
    const secure = isSecure(context, config);
    if ((config.sslRedirect && !secure) || (forceHost !== undefined && forceHost !== host.toLowerCase())) {
      return redirectResponse(`https://${sslHost ?? host}${requestTarget(context.url)}`, config.sslRedirectStatus);
    }
    const response = await next();
    if (!isUpstreamResponse(response)) return response;
    for (const [name, value] of config.responseHeaders) response.headers.set(name, value);
    if (secure) {
      for (const [name, value] of config.secureResponseHeaders) response.headers.set(name, value);
      if (insecureLocation) secureLocation(response.headers, insecureLocation);
    }
    return response;
  };
};

function requestHost(context: RequestContext, hostHeaders: readonly string[]): string {
  for (const name of hostHeaders) {
    const value = context.request.headers.get(name);
    if (value) return value;
  }
  return context.hostHeader;
}

function isSecure(context: RequestContext, config: Config): boolean {
  return context.scheme === 'https' || config.sslProxyHeaders.some(([name, value]) => context.request.headers.get(name) === value);
}

/** `http://<ssl-host>/…` → `https://<ssl-host>/…` in a pod's Location. */
function secureLocation(headers: Headers, insecure: string): void {
  const location = headers.get('location');
  if (!location || !location.toLowerCase().startsWith(insecure)) return;
  const next = location.charAt(insecure.length);
  if (next === '' || '/?#:'.includes(next)) headers.set('location', `https${location.slice(4)}`);
}
