/**
 * `direct`: `fetch` to `http(s)://address` from the worker.
 *
 * The Workers runtime takes the Host header from the URL, so the pod always
 * sees the endpoint address as Host here, whatever `passHostHeader` says;
 * `X-Forwarded-Host` carries the client's. `h2c` endpoints are reached over
 * HTTP/1.1: `fetch` cannot speak cleartext HTTP/2.
 */
import { fetchUpstream } from './fetch-upstream.ts';
import type { Transport, UpstreamRequest } from './types.ts';

export const directTransport: Transport = {
  send(request: UpstreamRequest): Promise<Response> {
    return fetchUpstream((url, init) => fetch(url, init), endpointUrl(request), request);
  },
};

/** `http(s)://<endpoint address><path and query>`: what `direct` and `vpc` fetch. */
export function endpointUrl(request: UpstreamRequest): string {
  const scheme = request.endpoint.protocol === 'https' ? 'https' : 'http';
  return `${scheme}://${request.endpoint.address}${request.target}`;
}
