/**
 * The end of every route's chain: sets the forwarding headers, picks an
 * endpoint, sends through the transport and hands the response back.
 *
 * Failures (behaviour reference §2.12 and §5.1):
 * - an endpoint that cannot be connected to is retried on another endpoint
 *   (each at most once) for idempotent body-less requests; when none answers,
 *   502;
 * - response headers that do not arrive within `UPSTREAM_TIMEOUT_MS`: 504;
 * - any other failure of the exchange: 502.
 */
import { pickerFor, type Endpoint } from './balancer/index.ts';
import type { RequestContext } from './context.ts';
import { EdgeError } from './errors.ts';
import { describeError, log } from './log.ts';
import { clientResponse, setForwardingHeaders } from './proxy/index.ts';
import { TransportError, transportFor, type Transport } from './transport/index.ts';

/** Methods RFC 9110 calls idempotent: safe to send again after a failed connection. */
export const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export async function forward(context: RequestContext): Promise<Response> {
  const picker = pickerFor(context.route.service, context.route.services);
  const transport = transportFor(context.env, context.settings);
  setForwardingHeaders(context.headers, context);
  const retryable = RETRYABLE_METHODS.has(context.request.method) && context.request.body === null;
  const tried = new Set<Endpoint>();
  let lastFailure: TransportError | undefined;
  for (let endpoint = picker.pick(tried); endpoint; endpoint = picker.pick(tried)) {
    tried.add(endpoint);
    try {
      return clientResponse(await sendInTime(transport, context, endpoint));
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const retry = retryable && error.failure === 'connect';
      logFailure(context, error, retry);
      if (!retry) throw new EdgeError(502, undefined, { cause: error });
      lastFailure = error;
    }
  }
  throw new EdgeError(502, undefined, { cause: lastFailure ?? 'no endpoint left to try' });
}

async function sendInTime(transport: Transport, context: RequestContext, endpoint: Endpoint): Promise<Response> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), context.settings.upstreamTimeoutMs);
  try {
    return await transport.send({
      endpoint,
      method: context.request.method,
      target: context.path + context.url.search,
      host: context.route.router.passHostHeader ? context.hostHeader : endpoint.address,
      headers: context.headers,
      body: context.request.body,
      signal: timeout.signal,
    });
  } catch (error) {
    if (timeout.signal.aborted) throw new EdgeError(504, undefined, { cause: error });
    throw error;
  } finally {
    // Cleared once headers are in: the body keeps streaming after this.
    clearTimeout(timer);
  }
}

function logFailure(context: RequestContext, error: TransportError, retrying: boolean): void {
  log({
    level: retrying ? 'warn' : 'error',
    event: 'endpoint-failed',
    route: context.route.router.id,
    endpoint: error.endpoint.address,
    failure: error.failure,
    retrying,
    cause: describeError(error.cause),
  });
}
