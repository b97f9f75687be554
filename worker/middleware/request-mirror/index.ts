/**
 * `request-mirror` (Gateway API RequestMirror): a copy of the request, as it
 * would go upstream at this point of the chain, is sent to an endpoint of
 * the mirror's service through the same transport, inside `waitUntil`. The
 * client's response never waits for it and never sees its answer, which is
 * discarded; a mirror that fails is logged and forgotten.
 *
 * A request body is teed only when there is one (and never for GET or HEAD,
 * whose body workerd forwards from the client's request itself): the route's
 * upstream reads one branch, the mirror the other.
 */
import { pickerFor } from '../../balancer/index.ts';
import type { RequestContext } from '../../chain/context.ts';
import { describeError, log } from '../../base/log.ts';
import { setForwardingHeaders } from '../../proxy/index.ts';
import type { MiddlewareFactory } from '../types.ts';

export const requestMirror: MiddlewareFactory<'request-mirror'> = (config) => {
  const percent = config.percent ?? 100;
  return function mirrorRequest(context, next) {
    if (context.waitUntil && percent > 0 && (percent >= 100 || Math.random() * 100 < percent)) {
      context.waitUntil(sendMirror(context, config.service, teeBody(context)));
    }
    return next();
  };
};

/** The mirror's copy of the body; the context keeps the other branch. */
function teeBody(context: RequestContext): ReadableStream | Uint8Array | null {
  const body = context.body;
  if (body === null || body instanceof Uint8Array) return body;
  const method = context.request.method;
  if (method === 'GET' || method === 'HEAD') return null;
  const [upstream, mirror] = body.tee();
  context.body = upstream;
  return mirror;
}

async function sendMirror(context: RequestContext, serviceId: string, body: ReadableStream | Uint8Array | null): Promise<void> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), context.settings.upstreamTimeoutMs);
  try {
    const service = context.route.services[serviceId];
    if (!service) throw new Error(`mirror service ${serviceId} is not in the table`);
    const endpoint = pickerFor(service, context.route.services).pick(new Set());
    if (!endpoint) throw new Error(`mirror service ${serviceId} has no endpoint`);
    const headers = new Headers(context.headers);
    setForwardingHeaders(headers, context);
    const response = await context.runtime.transport().send({
      endpoint,
      method: context.request.method,
      target: context.path + context.url.search,
      host: context.upstreamHost ?? (context.route.router.passHostHeader ? context.hostHeader : endpoint.address),
      headers,
      body: body instanceof Uint8Array ? new Response(body).body : body,
      signal: timeout.signal,
    });
    await response.body?.cancel();
  } catch (error) {
    if (body instanceof ReadableStream) await body.cancel().catch(() => {});
    log({ level: 'warn', event: 'mirror-failed', route: context.route.router.id, mirror: serviceId, cause: describeError(error) });
  } finally {
    clearTimeout(timer);
  }
}
