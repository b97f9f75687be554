/**
 * `custom-headers` (`custom-request-headers`, `custom-response-headers`):
 * request headers are set or removed before the security checks and auth
 * see the request; response headers are set or removed on pod responses
 * only, after the security headers (this middleware is the outer one), so
 * a custom value wins, as in Traefik.
 */
import type { HeaderEdits } from '../../../src/table/http-middleware.ts';
import { isUpstreamResponse } from '../../proxy/index.ts';
import type { MiddlewareFactory } from '../types.ts';

export const customHeaders: MiddlewareFactory<'custom-headers'> = (config) => {
  const { request, response } = config;
  const editsResponse = response.set.length > 0 || response.remove.length > 0;
  return async function setCustomHeaders(context, next) {
    applyEdits(context.headers, request);
    if (!editsResponse) return next();
    const answer = await next();
    if (isUpstreamResponse(answer)) applyEdits(answer.headers, response);
    return answer;
  };
};

/** Sets (replacing) and removes headers in place. */
export function applyEdits(headers: Headers, edits: HeaderEdits): void {
  for (const [name, value] of edits.set) headers.set(name, value);
  for (const name of edits.remove) headers.delete(name);
}
