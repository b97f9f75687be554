/**
 * `direct`: `fetch` to `http(s)://address` from the worker.
 *
 * The Workers runtime takes the Host header from the URL, so the pod always
 * sees the endpoint address as Host here, whatever `passHostHeader` says;
 * `X-Forwarded-Host` carries the client's. `h2c` endpoints are reached over
 * HTTP/1.1: `fetch` cannot speak cleartext HTTP/2.
 */
import { TransportError, type Transport, type UpstreamRequest } from './types.ts';

export const directTransport: Transport = {
  async send(request: UpstreamRequest): Promise<Response> {
    const scheme = request.endpoint.protocol === 'https' ? 'https' : 'http';
    try {
      return await fetch(`${scheme}://${request.endpoint.address}${request.target}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal.aborted) throw error;
      // workerd reports a refused connection and a reset alike ("Network
      // connection lost."), so every failure counts as `connect`; only
      // idempotent body-less requests are ever retried, so a repeat is safe.
      throw new TransportError('connect', request.endpoint, { cause: error });
    }
  },
};
