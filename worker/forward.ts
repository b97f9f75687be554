/**
 * The end of every route's chain: sets the forwarding headers, picks an
 * endpoint (the sticky cookie's first, when the service is sticky), sends
 * through the transport and hands the response back.
 *
 * Failures (docs/measurements/reliability.md, "The worker when upstreams fail"):
 * - an attempt is repeated on another endpoint (each at most once) when the
 *   request's retry policy says so (`./traffic/retry.ts`): by default after
 *   a failed connection of an idempotent request whose body can be re-sent;
 *   when no endpoint is left, the last outcome stands;
 * - response headers that do not arrive within `UPSTREAM_TIMEOUT_MS`: 504;
 * - a connection that cannot be made, or any other failure of the exchange: 502.
 * Every attempt's status and latency is reported to the picker (`drr`).
 */
import { pickerFor, type Endpoint, type EndpointPicker } from './balancer/index.ts';
import { stickySession, type StickySession } from './balancer/sticky.ts';
import type { RequestContext } from './chain/context.ts';
import { EdgeError } from './base/errors.ts';
import { describeError, log } from './base/log.ts';
import { clientResponse, passThroughResponse, setForwardingHeaders, type UpstreamHeaders } from './proxy/index.ts';
import { defaultRetry, type RetryPolicy } from './traffic/retry.ts';
import { TransportError, type Transport } from './transport/index.ts';

export { RETRYABLE_METHODS } from './traffic/retry.ts';

/** One attempt's result: the pod's response, or the edge error it ended in. */
type Outcome =
  | { readonly kind: 'answered'; readonly response: Response; readonly status: number }
  | { readonly kind: 'failed'; readonly error: EdgeError; readonly status: number; readonly connect: boolean };

export async function forward(context: RequestContext): Promise<Response> {
  const traffic = context.runtime.traffic();
  const service = context.service ?? context.route.service;
  const picker = pickerFor(service, context.route.services, { drrAdjustMs: traffic.drrAdjustMs });
  const transport = context.runtime.transport();
  const headers = context.upstreamHeaders;
  setForwardingHeaders(headers, context);
  const sticky = service.kind === 'servers' ? service.balancer?.sticky : service.kind === 'weighted' ? service.sticky : undefined;
  const session = sticky && (await stickySession(sticky, picker, context.request.headers, traffic.stickySecret));
  const policy: RetryPolicy = context.retry ?? defaultRetry(context.request.method, context.body);
  const tried = new Set<Endpoint>();
  for (let endpoint = session?.pinned(tried) ?? picker.pick(tried); endpoint; endpoint = picker.pick(tried)) {
    tried.add(endpoint);
    const outcome = await attempt(transport, context, headers, endpoint, picker);
    const retry = policy({ attempts: tried.size, status: outcome.status, connectFailure: outcome.kind === 'failed' && outcome.connect });
    if (outcome.kind === 'failed') logFailure(context, endpoint, outcome.error, retry);
    context.outcome.retries = tried.size - 1;
    if (!retry || !picker.endpoints.some((other) => !tried.has(other))) return finish(outcome, endpoint, session, context.route.middlewares.length === 0);
    if (outcome.kind === 'answered') await outcome.response.body?.cancel();
  }
  throw new EdgeError(502, undefined, { cause: 'no endpoint left to try' });
}

/** `unchanged`: no middleware of the route will see the response, so it need not be a mutable copy. */
function finish(outcome: Outcome, endpoint: Endpoint, session: StickySession | undefined, unchanged: boolean): Response {
  if (outcome.kind === 'failed') throw outcome.error;
  if (!session) return unchanged ? passThroughResponse(outcome.response) : clientResponse(outcome.response);
  return session.finish(clientResponse(outcome.response), endpoint);
}

/** One attempt: sends, and waits at most the upstream timeout for the response headers (then 504). */
async function attempt(transport: Transport, context: RequestContext, headers: UpstreamHeaders, endpoint: Endpoint, picker: EndpointPicker): Promise<Outcome> {
  const started = Date.now();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), context.upstreamTimeoutMs ?? context.settings.upstreamTimeoutMs);
  let outcome: Outcome;
  try {
    const response = await transport.send({
      endpoint,
      method: context.request.method,
      target: context.path + context.url.search,
      host: context.upstreamHost ?? (context.route.router.passHostHeader ? context.hostHeader : endpoint.address),
      headers,
      // Buffered bytes become a fresh stream of known length for every attempt.
      body: context.body instanceof Uint8Array ? new Response(context.body).body : context.body,
      ...(context.body !== null && context.body === context.request.body ? { bodyOf: context.request } : {}),
      signal: timeout.signal,
    });
    outcome = { kind: 'answered', response, status: response.status };
  } catch (error) {
    if (timeout.signal.aborted) outcome = { kind: 'failed', error: new EdgeError(504, undefined, { cause: error }), status: 504, connect: false };
    else if (error instanceof EdgeError) outcome = { kind: 'failed', error, status: error.status, connect: false };
    else if (error instanceof TransportError) {
      outcome = { kind: 'failed', error: new EdgeError(502, undefined, { cause: error }), status: 502, connect: error.failure === 'connect' };
    } else throw error;
  } finally {
    // Cleared once headers are in: the body keeps streaming after this.
    clearTimeout(timer);
  }
  const latencyMs = Date.now() - started;
  picker.observe?.(endpoint, { status: outcome.status, latencyMs });
  context.outcome.upstreamMs += latencyMs;
  context.outcome.error = outcome.kind === 'failed' ? (outcome.status === 504 ? 'timeout' : outcome.connect ? 'connect' : 'exchange') : '';
  return outcome;
}

function logFailure(context: RequestContext, endpoint: Endpoint, error: EdgeError, retrying: boolean): void {
  const cause = error.cause instanceof TransportError ? error.cause : undefined;
  log({
    level: retrying ? 'warn' : 'error',
    event: 'endpoint-failed',
    route: context.route.router.id,
    endpoint: endpoint.address,
    failure: cause?.failure ?? (error.status === 504 ? 'timeout' : 'exchange'),
    retrying,
    cause: describeError(cause?.cause ?? error.cause),
  });
}
