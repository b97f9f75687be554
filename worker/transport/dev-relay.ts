/**
 * `dev-relay` (`edgress dev` only). The Workers runtime never lets a worker
 * choose the upstream Host header, so requests go through a local relay bound
 * as `DEV_RELAY`: the worker asks for `http://<host to send><path><query>` and
 * names the real endpoint in `x-edgress-endpoint: <http|https|h2c>://<address>`;
 * the relay connects there and sends the request with the incoming Host
 * (lower-cased: it travels in a URL).
 *
 * The relay's own failures are 502s marked `x-edgress-relay-error`:
 * `connect` (could not connect) or `upstream` (failed after connecting).
 */
import { EdgeError } from '../base/errors.ts';
import { editedHeaders } from '../proxy/index.ts';
import { fetchUpstream } from './fetch-upstream.ts';
import { TransportError, type Transport, type TransportFailure, type UpstreamRequest } from './types.ts';

export const RELAY_HEADERS = { endpoint: 'x-edgress-endpoint', error: 'x-edgress-relay-error' } as const;

const RELAY_FAILURES: Readonly<Record<string, TransportFailure>> = { connect: 'connect', upstream: 'exchange' };

export function devRelayTransport(relay: Fetcher): Transport {
  return {
    async send(request: UpstreamRequest): Promise<Response> {
      const headers = editedHeaders(request.headers, { [RELAY_HEADERS.endpoint]: `${request.endpoint.protocol}://${request.endpoint.address}` });
      const response = await fetchUpstream((url, init) => relay.fetch(url, init), relayUrl(request), request, headers);
      const failure = response.status === 502 ? RELAY_FAILURES[response.headers.get(RELAY_HEADERS.error) ?? ''] : undefined;
      if (failure) {
        await response.body?.cancel();
        throw new TransportError(failure, request.endpoint, { cause: `relay reported ${failure}` });
      }
      return response;
    },
  };
}

function relayUrl(request: UpstreamRequest): string {
  // With passHostHeader the host is the client's Host header, which only
  // `edgress dev` lets through unchecked.
  if (!URL.canParse(`http://${request.host}/`)) throw new EdgeError(400);
  return `http://${request.host}${request.target}`;
}
