// The Transport contract (./contracts/transport.ts) against the four
// transports. `vpc` runs against a stand-in for the Workers VPC network
// binding and `tunnel-hostnames` against a stand-in for the tunnel's public
// hostnames (the global fetch), each mapping its addresses to echo server a;
// `dev-relay` goes through the test relay bound as DEV_RELAY.
import { env } from 'cloudflare:workers';
import { afterEach, beforeEach, describe, vi } from 'vitest';
import { devRelayTransport } from '../../worker/transport/dev-relay.ts';
import { directTransport } from '../../worker/transport/direct.ts';
import { tunnelHostnamesTransport } from '../../worker/transport/tunnel-hostnames.ts';
import { vpcTransport } from '../../worker/transport/vpc.ts';
import { parseHostnameTemplate } from '../../src/tunnel/hostname-template.ts';
import { transportContract } from './contracts/transport.ts';
import { upstreams } from './helpers.ts';

const originalFetch = globalThis.fetch;

/** Fetches `url` at echo server a when `toEcho` maps its host, else fails as an unreachable network does. */
function fetchMapped(toEcho: (host: string) => boolean) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!toEcho(url.host)) throw new TypeError(`no route to ${url.host}`);
    url.protocol = 'http:';
    url.host = upstreams.echo.a;
    return originalFetch(url, request);
  };
}

const POD = '10.244.0.5:8080';
const parsed = parseHostnameTemplate('{service}-{namespace}.tunnel.example.com');
if (!parsed.ok) throw new Error(parsed.error);
const TEMPLATE = parsed.template;

transportContract('direct', {
  transport: () => directTransport,
  reachable: { address: upstreams.echo.a, protocol: 'http' },
  unreachable: { address: upstreams.closed, protocol: 'http' },
});

transportContract('dev-relay', {
  transport: () => devRelayTransport(env.DEV_RELAY!),
  reachable: { address: upstreams.echo.a, protocol: 'http' },
  unreachable: { address: upstreams.closed, protocol: 'http' },
});

transportContract('vpc', {
  transport: () => vpcTransport({ fetch: fetchMapped((host) => host === POD) } as unknown as Fetcher),
  reachable: { address: POD, protocol: 'http' },
  unreachable: { address: '10.244.9.9:8080', protocol: 'http' },
});

describe('through a stand-in for the tunnel hostnames', () => {
  beforeEach(() => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(fetchMapped((host) => host === 'web-test.tunnel.example.com'));
  });
  afterEach(() => vi.restoreAllMocks());

  transportContract('tunnel-hostnames', {
    transport: () => tunnelHostnamesTransport({ template: TEMPLATE }),
    reachable: { address: POD, protocol: 'http', target: { namespace: 'test', name: 'web', port: 80 } },
    unreachable: { address: POD, protocol: 'http', target: { namespace: 'test', name: 'gone', port: 80 } },
  });
});
