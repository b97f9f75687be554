import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerers, echoOf, echoPool, expectEdgeText, failoverServices, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

beforeAll(async () => {
  const refused = { address: upstreams.closed, weight: 1 };
  await publish(
    table({
      routers: [
        router('retry.example.com', '/', 'closed-first'),
        router('dead.example.com', '/', 'all-closed'),
        router('reset.example.com', '/', 'a-then-b'),
      ],
      services: { ...failoverServices(), 'all-closed': echoPool(refused, { ...refused, address: refused.address.replace(/:\d+$/, ':1') }) },
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

describe('an upstream that breaks the exchange', () => {
  const broken = (name: keyof typeof upstreams.misbehaving) => echoPool({ address: upstreams.misbehaving[name], weight: 1 }, 'a');

  beforeAll(async () => {
    await publish(
      table({
        routers: [
          router('garbage.example.com', '/', 'garbage-then-a'),
          router('silent.example.com', '/', 'silent-then-a'),
          router('midreset.example.com', '/', 'midreset'),
        ],
        services: {
          'garbage-then-a': broken('garbage'),
          'silent-then-a': broken('silent'),
          midreset: echoPool({ address: upstreams.misbehaving.midReset, weight: 1 }),
        },
      }),
    );
  });

  /** Statuses of two requests: round robin sends one to the broken endpoint, one to echo server a. */
  async function pair(host: string, init?: RequestInit, overrides?: Parameters<typeof send>[2]): Promise<number[]> {
    const statuses = [(await send(`http://${host}/`, init, overrides)).status, (await send(`http://${host}/`, init, overrides)).status];
    return statuses.sort();
  }

  it('answering bytes that are not HTTP: 502; a GET goes to another endpoint (safe to repeat), a POST does not', async () => {
    // Under the direct transport workerd reports this as a lost connection, like a refused one.
    expect(await pair('garbage.example.com')).toEqual([200, 200]);
    expect(await pair('garbage.example.com', { method: 'POST', body: 'x' })).toEqual([200, 502]);
  });

  it('never answering: 504 after UPSTREAM_TIMEOUT_MS, and not retried, with or without a body', async () => {
    expect(await pair('silent.example.com', undefined, { UPSTREAM_TIMEOUT_MS: '200' })).toEqual([200, 504]);
    expect(await pair('silent.example.com', { method: 'POST', body: 'x' }, { UPSTREAM_TIMEOUT_MS: '200' })).toEqual([200, 504]);
  });

  it('resetting mid-body: the client gets the head, then a body that fails, never a complete-looking response', async () => {
    const response = await send('http://midreset.example.com/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('1000');
    await expect(response.text()).rejects.toThrow();
  });
});
