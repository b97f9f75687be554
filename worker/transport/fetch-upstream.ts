/** The `fetch` call both transports make, with the same failure mapping. */
import { EdgeError } from '../base/errors.ts';
import type { UpstreamHeaders } from '../proxy/index.ts';
import { TransportError, type UpstreamRequest } from './types.ts';

type FetchFunction = (url: string, init: RequestInit | Request) => Promise<Response>;

/** Methods whose requests the Fetch API builds without a body. */
const BODYLESS_METHODS = new Set(['GET', 'HEAD']);

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
  headers: UpstreamHeaders = request.headers,
): Promise<Response> {
  try {
    return await fetcher(url, upstreamInit(url, request, headers));
  } catch (error) {
    if (request.signal.aborted || error instanceof EdgeError) throw error;
    throw new TransportError('connect', request.endpoint, { cause: error });
  }
}

/**
 * The options of the upstream fetch. A GET or HEAD with a body (SECURITY.md findings: a
 * 502 before) goes as a `Request` made from the client's own, the one form
 * in which workerd sends such a body on; its body, once read (by
 * `buffering`), can no longer go that way, which is a 400.
 */
function upstreamInit(url: string, request: UpstreamRequest, headers: UpstreamHeaders): RequestInit | Request {
  const init = { method: request.method, headers, redirect: 'manual', signal: request.signal } as const;
  if (request.body === null || !BODYLESS_METHODS.has(request.method)) return { ...init, body: request.body };
  if (request.bodyOf === undefined || request.bodyOf.body !== request.body) throw new EdgeError(400);
  // The method comes from the client's request; naming it again would have the runtime check the body anew.
  return new Request(new Request(url, request.bodyOf), { headers, redirect: 'manual', signal: request.signal });
}
