/**
 * Hop-by-hop headers of a pod's response never reach the client, through
 * `edgress dev`, on a route without middlewares (whose responses the worker
 * hands over without copying them when the runtime drops the hop-by-hop
 * headers itself) and on one with a response middleware (copied, cleaned).
 * What is asserted is what the client reads on the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toYaml } from './harness/manifests.ts';
import { ingress, startCluster, stopCluster, type Cluster } from './harness/cluster.ts';
import { rawRequest } from './harness/raw-http.ts';

let c: Cluster;

beforeAll(async () => {
  c = await startCluster({
    ingresses: toYaml([
      ingress('plain', {}, 'plain.example.com'),
      ingress('shaped', { 'ingress.kubernetes.io/custom-response-headers': 'X-Served-By: edge' }, 'shaped.example.com'),
    ]),
    services: { web: 1 },
  });
});
afterAll(() => stopCluster(c));

/** Header lines of the reply, lower-cased names. */
async function replyHeaders(host: string, podHeaders: Record<string, string>): Promise<{ status: number; names: string[]; head: string }> {
  const reply = await rawRequest(c.dev.url, [`GET / HTTP/1.1`, `Host: ${host}`, `x-echo-response-headers: ${JSON.stringify(podHeaders)}`]);
  const names = reply.head.split('\r\n').slice(1).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
  return { status: reply.status, names, head: reply.head };
}

describe.each(['plain.example.com', 'shaped.example.com'])('a pod response with hop-by-hop headers, %s', (host) => {
  it('reaches the client without them, its own headers kept', async () => {
    const reply = await replyHeaders(host, {
      'Keep-Alive': 'timeout=1, max=7',
      Upgrade: 'foo',
      TE: 'trailers',
      'Proxy-Authenticate': 'Basic realm="pod"',
      'Proxy-Connection': 'keep-alive',
      'X-App': 'shop',
    });
    expect(reply.status).toBe(200);
    expect(reply.names).toContain('x-app');
    // (Node's HTTP server, the pod here, refuses a Trailer header on a response of known length.)
    for (const name of ['upgrade', 'te', 'proxy-authenticate', 'proxy-connection']) expect(reply.names).not.toContain(name);
    expect(reply.head).not.toContain('max=7');
  });

  it('reaches the client without the headers its Connection header names', async () => {
    const reply = await replyHeaders(host, { Connection: 'keep-alive, X-Hop', 'X-Hop': 'internal', 'X-App': 'shop' });
    expect(reply.status).toBe(200);
    expect(reply.names).toContain('x-app');
    expect(reply.names).not.toContain('x-hop');
  });
});
