/**
 * How the worker reaches an endpoint: one small interface, one implementation
 * per `TRANSPORT` var value.
 */
import type { Endpoint } from '../balancer/index.ts';
import type { UpstreamHeaders } from '../proxy/index.ts';

/** Everything a transport needs to send one request to one endpoint. */
export interface UpstreamRequest {
  readonly endpoint: Endpoint;
  readonly method: string;
  /** Path and query as sent upstream: `/a%2Fb?x=1`. */
  readonly target: string;
  /** The Host the pod should see (client's Host with passHostHeader, else the endpoint address). */
  readonly host: string;
  readonly headers: UpstreamHeaders;
  /** Streamed, never buffered; null for a body-less request. */
  readonly body: ReadableStream | null;
  /**
   * The client's request when `body` is its unread stream. workerd refuses a
   * body on a GET or HEAD built from options, but passes one on from a
   * `Request` instance, so a GET with a body is forwarded through this one.
   */
  readonly bodyOf?: Request;
  readonly signal: AbortSignal;
}

export interface Transport {
  /**
   * Sends the request and resolves with the upstream's response as soon as its
   * headers arrive. Throws `TransportError` when the endpoint cannot be reached.
   */
  send(request: UpstreamRequest): Promise<Response>;
}

/**
 * - `connect`: no connection to the endpoint (nothing reached the pod, so
 *   another endpoint may be tried);
 * - `exchange`: the connection failed after the request was sent.
 */
export type TransportFailure = 'connect' | 'exchange';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  readonly failure: TransportFailure;
  readonly endpoint: Endpoint;

  constructor(failure: TransportFailure, endpoint: Endpoint, options?: { cause?: unknown }) {
    super(`${failure} failure at ${endpoint.address}`, options);
    this.failure = failure;
    this.endpoint = endpoint;
  }
}
