// The worker's half of the relay contract, against a fake Fetcher; the other
// half (a relay server reaching echo servers) is in test/worker/dev-relay.test.ts.
import { describe, expect, it } from 'vitest';
import { devRelayTransport } from './dev-relay.ts';
import { TransportError, type UpstreamRequest } from './types.ts';

function recordingRelay(answer: () => Response) {
  const requests: Request[] = [];
  const relay = {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push(new Request(input, init));
      return answer();
    },
  } as Fetcher;
  return { relay, requests };
}

const request = (overrides: Partial<UpstreamRequest> = {}): UpstreamRequest => ({
  endpoint: { address: '10.0.0.7:8080', protocol: 'h2c' },
  method: 'GET',
  target: '/a%2Fb?x=1',
  host: 'Shop.example.com:8443',
  headers: new Headers({ 'x-request-id': 'r1' }),
  body: null,
  signal: new AbortController().signal,
  ...overrides,
});

describe('dev-relay transport', () => {
  it('asks the relay for http://<host><target> and names the endpoint', async () => {
    const { relay, requests } = recordingRelay(() => new Response('ok'));
    const response = await devRelayTransport(relay).send(request());
    expect(await response.text()).toBe('ok');
    expect(requests[0]?.url).toBe('http://shop.example.com:8443/a%2Fb?x=1');
    expect(requests[0]?.headers.get('x-edgress-endpoint')).toBe('h2c://10.0.0.7:8080');
    expect(requests[0]?.headers.get('x-request-id')).toBe('r1');
  });

  it.each([
    ['connect', 'connect'],
    ['upstream', 'exchange'],
  ] as const)('turns a relay 502 marked %s into a %s TransportError', async (marker, failure) => {
    const { relay } = recordingRelay(() => new Response('x', { status: 502, headers: { 'x-edgress-relay-error': marker } }));
    const error = await devRelayTransport(relay).send(request()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).failure).toBe(failure);
  });

  it("passes a pod's own 502 through", async () => {
    const { relay } = recordingRelay(() => new Response('pod says no', { status: 502 }));
    const response = await devRelayTransport(relay).send(request());
    expect([response.status, await response.text()]).toEqual([502, 'pod says no']);
  });

  it('answers 400 for a client Host that cannot be a URL host', async () => {
    const { relay, requests } = recordingRelay(() => new Response('ok'));
    await expect(devRelayTransport(relay).send(request({ host: 'bad host/x' }))).rejects.toMatchObject({ status: 400 });
    expect(requests).toHaveLength(0);
  });
});
