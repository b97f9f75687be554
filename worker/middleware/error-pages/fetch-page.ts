/**
 * One error page: a GET to the page's pool, straight through its balancer
 * (no middlewares, as in Traefik), with a copy of the headers the request
 * had when it went upstream (and the caller's extra ones). Endpoints that refuse the connection are
 * skipped; the whole exchange gets the upstream timeout. Undefined (and a
 * log line) when no endpoint answers.
 */
import { pickerFor, type Endpoint } from '../../balancer/index.ts';
import type { RequestContext } from '../../chain/context.ts';
import { describeError, log } from '../../base/log.ts';
import { clientResponse } from '../../proxy/index.ts';
import { TransportError } from '../../transport/index.ts';

/** Request headers that describe the original body, which the page request does not have. */
const BODY_HEADERS = ['content-length', 'content-type', 'content-encoding', 'expect'];

export async function fetchErrorPage(context: RequestContext, serviceId: string, target: string, extra?: Headers): Promise<Response | undefined> {
  const service = context.route.services[serviceId];
  let picker;
  try {
    if (!service) throw new Error(`unknown service ${serviceId}`);
    picker = pickerFor(service, context.route.services);
  } catch (error) {
    return failed(context, serviceId, error);
  }
  const transport = context.runtime.transport();
  const headers = new Headers(context.headers);
  for (const name of BODY_HEADERS) headers.delete(name);
  if (extra) for (const [name, value] of extra) headers.set(name, value);
  const tried = new Set<Endpoint>();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), context.settings.upstreamTimeoutMs);
  try {
    for (let endpoint = picker.pick(tried); endpoint; endpoint = picker.pick(tried)) {
      tried.add(endpoint);
      try {
        const host = context.route.router.passHostHeader ? context.hostHeader : endpoint.address;
        const request = { endpoint, method: 'GET', target, host, headers, body: null, signal: timeout.signal };
        return clientResponse(await transport.send(request));
      } catch (error) {
        if (!(error instanceof TransportError) || error.failure !== 'connect') return failed(context, serviceId, error);
      }
    }
    return failed(context, serviceId, 'no endpoint answered');
  } finally {
    // Cleared once headers are in: the page's body keeps streaming after this.
    clearTimeout(timer);
  }
}

function failed(context: RequestContext, service: string, cause: unknown): undefined {
  log({ level: 'warn', event: 'error-page-failed', route: context.route.router.id, service, cause: describeError(cause) });
  return undefined;
}
