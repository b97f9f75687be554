/**
 * `cors` (ingress-nginx `enable-cors`, test/e2e/annotations/cors.go): an
 * allowed `Origin` (any, with `*`) gets the `Access-Control-*` headers on the
 * response; an `OPTIONS` request from it is answered here with 204 and
 * `Content-Length: 0`, before access control, as nginx answers it in its
 * rewrite phase. A request from another origin passes untouched.
 */
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import type { MiddlewareFactory } from '../types.ts';

type Cors = MiddlewareOf<'cors'>;

export const cors: MiddlewareFactory<'cors'> = (config) => {
  const any = config.origins.includes('*');
  const allowed = originTest(config.origins);
  return async function applyCors(context, next) {
    const origin = context.request.headers.get('origin');
    const allowOrigin = any ? '*' : origin !== null && allowed(origin.toLowerCase()) ? origin : undefined;
    if (allowOrigin === undefined) return next();
    if (context.request.method === 'OPTIONS') {
      const headers = corsHeaders(config, allowOrigin);
      headers.set('content-type', 'text/plain charset=UTF-8');
      headers.set('content-length', '0');
      return new Response(null, { status: 204, headers });
    }
    const response = await next();
    const withHeaders = new Response(response.body, response);
    for (const [name, value] of corsHeaders(config, allowOrigin)) withHeaders.headers.set(name, value);
    return withHeaders;
  };
};

function corsHeaders(config: Cors, origin: string): Headers {
  const headers = new Headers({
    'access-control-allow-origin': origin,
    'access-control-allow-methods': config.methods,
    'access-control-allow-headers': config.headers,
    'access-control-max-age': String(config.maxAge),
  });
  if (config.credentials) headers.set('access-control-allow-credentials', 'true');
  if (config.exposeHeaders) headers.set('access-control-expose-headers', config.exposeHeaders);
  return headers;
}

/** Exact origins, and `scheme://*.domain[:port]` for one more label. */
function originTest(origins: readonly string[]): (origin: string) => boolean {
  const exact = new Set(origins.filter((origin) => !origin.includes('*')));
  const wildcards = origins
    .filter((origin) => origin.includes('://*.'))
    .map((origin) => {
      const [scheme, rest = ''] = origin.split('://*.');
      return { head: `${scheme}://`, tail: `.${rest}` };
    });
  return (origin) =>
    exact.has(origin) ||
    wildcards.some(({ head, tail }) => {
      if (!origin.startsWith(head) || !origin.endsWith(tail)) return false;
      const label = origin.slice(head.length, origin.length - tail.length);
      return /^[a-z0-9-]+$/.test(label);
    });
}
