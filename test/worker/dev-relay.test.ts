// The worker's side of the `edgress dev` relay contract, against a fake relay
// server (test/upstreams/fake-relay.ts) that reaches the echo servers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { EdgeEnv } from '../../worker/base/env.ts';
import { echoOf, echoPool, expectEdgeText, failoverServices, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const viaRelay: Partial<EdgeEnv> = { TRANSPORT: 'dev-relay' };

beforeAll(async () => {
  await publish(
    table({
      routers: [
        router('keep.example.com', '/', 'web-a'),
        router('endpoint.example.com', '/', 'web-a', { passHostHeader: false }),
        router('retry.example.com', '/', 'closed-first'),
        router('reset.example.com', '/', 'a-then-b'),
      ],
      services: { ...failoverServices(), 'web-a': echoPool('a') },
    }),
  );
});

describe('dev-relay transport', () => {
  it("sends the client's Host (port included) with passHostHeader, and the path and query", async () => {
    const echo = await echoOf(await send('http://keep.example.com/p%2Fq?x=1', { headers: { Host: 'Keep.example.com:8080' } }, viaRelay));
    expect(echo).toMatchObject({ name: 'a', url: '/p%2Fq?x=1' });
    // The Host travels to the relay in a URL, which lower-cases it.
    expect(echo.headers).toMatchObject({ host: 'keep.example.com:8080', 'x-test-relayed': '1', 'x-forwarded-host': 'Keep.example.com:8080' });
    expect(echo.headers).not.toHaveProperty('x-edgress-endpoint');
  });

  it('sends the endpoint address as Host without passHostHeader', async () => {
    const echo = await echoOf(await send('http://endpoint.example.com/', undefined, viaRelay));
    expect(echo.headers.host).toBe(upstreams.echo.a);
  });

  it('cannot be pointed elsewhere by a client-sent x-edgress-endpoint', async () => {
    const init = { headers: { 'X-Edgress-Endpoint': `http://${upstreams.echo.d}` } };
    expect((await echoOf(await send('http://keep.example.com/', init, viaRelay))).name).toBe('a');
  });

  it('retries a relay connect failure on another endpoint for GET, not for POST', async () => {
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await echoOf(await send('http://retry.example.com/', undefined, viaRelay))).name);
    expect(names).toEqual(['a', 'a', 'a', 'a']);
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await send('http://retry.example.com/', { method: 'POST', body: 'x' }, viaRelay)).status);
    expect(statuses.sort()).toEqual([200, 502]);
  });

  it('does not retry a failure after the relay connected, and answers 502', async () => {
    const init = { headers: { 'x-echo-reset': 'a' } };
    await expectEdgeText(await send('http://reset.example.com/', init, viaRelay), 502, 'Bad Gateway');
    // The rotation moved on: the next request goes to b, which answers.
    expect((await echoOf(await send('http://reset.example.com/', init, viaRelay))).name).toBe('b');
  });
});
