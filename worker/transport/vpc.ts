/**
 * `vpc` (the production default): the pod's own address, fetched through a
 * Workers VPC network binding (`vpc_networks` in `wrangler.toml`, bound as
 * `VPC`) to the cluster's Cloudflare Tunnel. "The URL you pass to fetch()
 * determines the destination", so the worker keeps choosing the endpoint:
 * weights, `drr`, stickiness and retries on another pod work as with
 * `direct`.
 *
 * As with `direct`, the URL also makes the Host header: the pod sees its
 * address as Host, and the client's Host in `X-Forwarded-Host`. ExternalName
 * endpoints (`name:port`) are resolved by cloudflared, inside the cluster.
 */
import { endpointUrl } from './direct.ts';
import { fetchUpstream } from './fetch-upstream.ts';
import type { Transport, UpstreamRequest } from './types.ts';

export function vpcTransport(network: Fetcher): Transport {
  return {
    send(request: UpstreamRequest): Promise<Response> {
      return fetchUpstream((url, init) => network.fetch(url, init), endpointUrl(request), request);
    },
  };
}
