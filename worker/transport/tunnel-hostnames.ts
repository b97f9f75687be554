/**
 * `tunnel-hostnames`, for accounts without Workers VPC: every Service port
 * has a public hostname made from `TUNNEL_HOSTNAME_TEMPLATE`
 * (`src/tunnel/hostname-template.ts`), routed by a cloudflared ingress rule
 * to the Service (`edgress tunnel-config` writes the rules). The worker
 * fetches `https://<hostname><path and query>`.
 *
 * Limits of the mode: the worker chooses the Service, kube-proxy the pod.
 * Weights between Services (`service-weights`) hold; weights between pods,
 * `drr`, sticky sessions and retries on another pod do not (a retry goes to
 * the Service again). The pod sees the tunnel hostname as Host; the client's
 * Host travels in `X-Forwarded-Host`, which the edge always sets itself.
 *
 * Trust: the hostnames are public. With an Access service token
 * (`TUNNEL_ACCESS_CLIENT_ID` and `TUNNEL_ACCESS_CLIENT_SECRET`), the worker
 * presents it on every request; an Access application on the hostnames lets
 * only that token through, and cloudflared (`originRequest.access`, written by
 * `edgress tunnel-config --access-team-name … --access-aud …`) checks the
 * Access JWT again, so a request that did not come from the worker never
 * reaches a pod and the pod can trust `X-Forwarded-*`.
 */
import type { ServiceTarget } from '../../src/table/schema.ts';
import type { HostnameTemplate } from '../../src/tunnel/hostname-template.ts';
import { tunnelHostname } from '../../src/tunnel/hostname-template.ts';
import { EdgeError } from '../base/errors.ts';
import { editedHeaders } from '../proxy/index.ts';
import { fetchUpstream } from './fetch-upstream.ts';
import type { Transport, UpstreamRequest } from './types.ts';

export interface TunnelHostnamesOptions {
  readonly template: HostnameTemplate;
  /** The Access service token the worker presents (both or neither). */
  readonly accessToken?: { readonly clientId: string; readonly clientSecret: string };
}

/** Headers Cloudflare Access reads a service token from. */
export const ACCESS_TOKEN_HEADERS = { clientId: 'cf-access-client-id', clientSecret: 'cf-access-client-secret' } as const;

export function tunnelHostnamesTransport(options: TunnelHostnamesOptions): Transport {
  // Targets are objects of the loaded table: each fills the template once, not once per request.
  const hostnames = new WeakMap<ServiceTarget, string>();
  const hostnameOf = (target: ServiceTarget): string => {
    let hostname = hostnames.get(target);
    if (hostname === undefined) hostnames.set(target, (hostname = tunnelHostname(options.template, target)));
    return hostname;
  };
  const accessHeaders: Record<string, string> = options.accessToken
    ? { [ACCESS_TOKEN_HEADERS.clientId]: options.accessToken.clientId, [ACCESS_TOKEN_HEADERS.clientSecret]: options.accessToken.clientSecret }
    : {};
  return {
    send(request: UpstreamRequest): Promise<Response> {
      const target = request.endpoint.target;
      if (!target) throw new EdgeError(500, undefined, { cause: `endpoint ${request.endpoint.address} has no Service to name a tunnel hostname after` });
      // Set over whatever the client sent: only the worker's token may reach Access.
      const headers = editedHeaders(request.headers, accessHeaders, [ACCESS_TOKEN_HEADERS.clientId, ACCESS_TOKEN_HEADERS.clientSecret]);
      const url = `https://${hostnameOf(target)}${request.target}`;
      return fetchUpstream((input, init) => fetch(input, init), url, request, headers);
    },
  };
}
