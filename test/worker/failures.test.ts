import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerers, echoOf, failoverServices, expectEdgeText, pool, publish, router, send, table, upstreams } from './helpers.ts';

beforeAll(async () => {
  const refused = { address: upstreams.closed, weight: 1 };
  await publish(
    table({
      routers: [
        router('retry.example.com', '/', 'closed-first'),
        router('dead.example.com', '/', 'all-closed'),
        router('reset.example.com', '/', 'a-then-b'),
      ],
      services: { ...failoverServices(), 'all-closed': pool(refused, { ...refused, address: refused.address.replace(/:\d+$/, ':1') }) },
    }),
  );
});

afterEach(() => vi.restoreAllMocks());

describe('a connection failure', () => {
  it('is retried on another endpoint for idempotent body-less requests', async () => {
    // Round robin offers the closed endpoint first every other request.
    expect(await answerers('http://retry.example.com/', 4)).toEqual(['a', 'a', 'a', 'a']);
    for (const method of ['HEAD', 'OPTIONS', 'DELETE', 'TRACE']) {
      const responses = [await send('http://retry.example.com/', { method }), await send('http://retry.example.com/', { method })];
      expect(responses.map((response) => response.headers.get('x-echo-name'))).toEqual(['a', 'a']);
    }
  });

  it('is not retried for POST, nor for a request with a body', async () => {
    const outcomes: number[] = [];
    for (const init of [{ method: 'POST' }, { method: 'POST' }, { method: 'PUT', body: 'x' }, { method: 'PUT', body: 'x' }]) {
      outcomes.push((await send('http://retry.example.com/', init)).status);
    }
    // One of each pair went to the closed endpoint and was not retried.
    expect(outcomes.sort()).toEqual([200, 200, 502, 502]);
  });

  it('answers 502 Bad Gateway when no endpoint answers, and logs why', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    await expectEdgeText(await send('http://dead.example.com/'), 502, 'Bad Gateway');
    const events = lines.map((line) => JSON.parse(line) as { event: string; status?: number; retrying?: boolean });
    expect(events.filter((event) => event.event === 'endpoint-failed').map((event) => event.retrying)).toEqual([true, true]);
    expect(events.find((event) => event.event === 'edge-error')).toMatchObject({ status: 502, route: expect.any(String) });
  });

  it('after the request reached the pod counts as one too under the direct transport (workerd cannot tell them apart)', async () => {
    const echo = await echoOf(await send('http://reset.example.com/', { headers: { 'x-echo-reset': 'a' } }));
    expect(echo.name).toBe('b');
    await expectEdgeText(await send('http://reset.example.com/', { headers: { 'x-echo-reset': 'a,b' } }), 502, 'Bad Gateway');
  });
});

describe('a slow upstream', () => {
  it('answers 504 Gateway Timeout when response headers take longer than UPSTREAM_TIMEOUT_MS', async () => {
    const response = await send('http://reset.example.com/', { headers: { 'x-echo-delay-ms': '1000' } }, { UPSTREAM_TIMEOUT_MS: '200' });
    await expectEdgeText(response, 504, 'Gateway Timeout');
  });

  it('is served when it answers in time', async () => {
    const response = await send('http://reset.example.com/', { headers: { 'x-echo-delay-ms': '50' } }, { UPSTREAM_TIMEOUT_MS: '2000' });
    expect(response.status).toBe(200);
  });
});
