/** The `fetch` call both transports make, with the same failure mapping. */
import { TransportError, type UpstreamRequest } from './types.ts';

type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Fetches `url` with the request's method, headers, streamed body and signal,
 * redirects left to the client. A throw from `fetch` becomes a `connect`
 * `TransportError`: workerd reports a refused connection and a reset alike
 * ("Network connection lost."), and only idempotent body-less requests are
 * ever retried, so a repeat is safe. An abort is the caller's timeout and is
 * rethrown as is.
 */
export async function fetchUpstream(
  fetcher: FetchFunction,
  url: string,
  request: UpstreamRequest,
  headers: Headers = request.headers,
): Promise<Response> {
  try {
    return await fetcher(url, {
      method: request.method,
      headers,
      body: request.body,
      redirect: 'manual',
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal.aborted) throw error;
    throw new TransportError('connect', request.endpoint, { cause: error });
  }
}
