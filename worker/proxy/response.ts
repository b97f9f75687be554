/** The upstream's response as the client gets it. */
import { hopByHopPresent, removeHopByHop } from './headers.ts';

/** Statuses whose responses never have a body (Fetch spec "null body status"). */
export const NULL_BODY_STATUS = new Set([101, 103, 204, 205, 304]);

/** Responses that came from a pod (response-phase middlewares change them in place, keeping them here). */
const fromUpstream = new WeakSet<Response>();

/**
 * Whether a response came from a pod. Custom and security response headers
 * apply to these only: the edge's own answers (redirects, 401, 403, 429,
 * 5xx) never get them, as Traefik's did not.
 */
export function isUpstreamResponse(response: Response): boolean {
  return fromUpstream.has(response);
}

/**
 * A client response from an upstream one: hop-by-hop headers removed, every
 * `Set-Cookie` kept as its own header, the body streamed through untouched.
 * A WebSocket upgrade is returned as is: its socket is the response.
 */
export function clientResponse(upstream: Response): Response {
  if (upstream.webSocket) return upstream;
  // Constructing from the upstream copies its headers natively into a mutable
  // set (each Set-Cookie stays its own header); only hop-by-hop ones go.
  const response = new Response(NULL_BODY_STATUS.has(upstream.status) ? null : upstream.body, upstream);
  removeHopByHop(response.headers);
  fromUpstream.add(response);
  return response;
}

/**
 * Hop-by-hop headers the runtime itself never sends to a client: workerd
 * writes its own framing and connection handling for every response, so it
 * drops these from whatever a worker returns (checked by
 * `test/e2e/hop-by-hop.test.ts` through `edgress dev`). A fetched
 * response nearly always has some of them (`Transfer-Encoding`,
 * `Connection`, `Keep-Alive`), so they alone do not make it worth copying.
 */
const DROPPED_BY_RUNTIME: ReadonlySet<string> = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * `clientResponse` for a response nothing will change: on a route without
 * middlewares and without a sticky cookie, a pod's response that may have a
 * body and carries no hop-by-hop header the runtime would let through is
 * already what the client gets, so it is returned as is instead of copied
 * (its headers stay immutable).
 */
export function passThroughResponse(upstream: Response): Response {
  if (upstream.webSocket || NULL_BODY_STATUS.has(upstream.status) || hopByHopPresent(upstream.headers, DROPPED_BY_RUNTIME).length > 0) {
    return clientResponse(upstream);
  }
  fromUpstream.add(upstream);
  return upstream;
}
