// Traffic management inside workerd: edge-wide rate limits through the
// RateLimiter Durable Object (and the per-isolate fallback), max-conn,
// sticky sessions, buffering (413, retries re-sending the body), the circuit
// breaker's 503 and recovery, drr, weighted groups.
import { env, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/middleware.ts';
import type { Service } from '../../src/table/schema.ts';
import type { Expression } from '../../src/table/traffic.ts';
import { RateLimiter } from '../../worker/traffic/rate-limiter.ts';
import { echoOf, echoPool, expectEdgeText, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const sticky = { cookie: '_sticky', secure: true, httpOnly: true, sameSite: 'lax' } as const;
const closed = { address: upstreams.closed, weight: 1 };
const retryOnNetworkError: Expression = {
  source: 'IsNetworkError() && Attempts() <= 2',
  predicate: {
    type: 'and',
    left: { type: 'flag', fn: 'IsNetworkError' },
    right: { type: 'compare', op: '<=', left: { type: 'metric', fn: 'Attempts', args: [] }, right: { type: 'number', value: 2 } },
  },
};

const middlewares: Record<string, Middleware> = {
  limit: { kind: 'rate-limit', extractor: { type: 'request.header', name: 'X-Key' }, rates: [{ periodMs: 60_000, average: 1, burst: 2 }] },
  conn: { kind: 'max-conn', amount: 1, extractor: { type: 'client.ip' } },
  buffer: { kind: 'buffering', maxRequestBodyBytes: 10, memRequestBodyBytes: 0, maxResponseBodyBytes: 0, memResponseBodyBytes: 0, retry: retryOnNetworkError },
  'small-responses': { kind: 'buffering', maxRequestBodyBytes: 0, memRequestBodyBytes: 0, maxResponseBodyBytes: 20, memResponseBodyBytes: 0 },
  breaker: {
    kind: 'circuit-breaker',
    condition: { source: 'NetworkErrorRatio() > 0.5', predicate: { type: 'compare', op: '>', left: { type: 'metric', fn: 'NetworkErrorRatio', args: [] }, right: { type: 'number', value: 0.5 } } },
  },
};

const services: Record<string, Service> = {
  ab: echoPool('a', 'b'),
  'closed-a': echoPool(closed, 'a'),
  'sticky-ab': { ...echoPool('a', 'b'), balancer: { method: 'wrr', sticky } },
  'only-c': echoPool('c'),
  'sticky-group': { kind: 'weighted', services: [{ service: 'ab', weight: 1 }, { service: 'only-c', weight: 1 }], sticky: { ...sticky, cookie: '_group' } },
  'drr-ab': { ...echoPool('a', 'b'), balancer: { method: 'drr' } },
};

beforeAll(async () => {
  const host = (name: string, service: string, mw: string[] = []) => router(`${name}.example.com`, '/', service, { middlewares: mw });
  await publish(
    table({
      routers: [
        host('limited', 'ab', ['limit']),
        host('conn', 'ab', ['conn']),
        host('sticky', 'sticky-ab'),
        host('group', 'sticky-group'),
        host('buffered', 'closed-a', ['buffer']),
        host('unbuffered', 'closed-a'),
        host('small', 'ab', ['small-responses']),
        host('breaker', 'ab', ['breaker']),
        host('drr', 'drr-ab'),
      ],
      services,
      middlewares,
    }),
  );
});

describe('rate-limit', () => {
  it('answers 429 with Retry-After and X-Retry-In once the burst is spent, per key', async () => {
    const get = (key: string) => send('http://limited.example.com/', { headers: { 'x-key': key } });
    expect((await get('k1')).status).toBe(200);
    expect((await get('k1')).status).toBe(200);
    const limited = await get('k1');
    expect(limited.status).toBe(429);
    const retryIn = limited.headers.get('x-retry-in') ?? '';
    expect(retryIn).toMatch(/^[0-9.]+(ms|s)$/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect(await limited.text()).toBe(`max rate reached: retry-in ${retryIn}`);
    expect((await get('k2')).status).toBe(200);
  });

  it('keeps its buckets in the Durable Object of the route and key', async () => {
    const id = env.RATE_LIMITER!.idFromName(`${'test/ingress#1'} direct`);
    const stub = env.RATE_LIMITER!.get(id);
    const rates = [{ periodMs: 1000, average: 1, burst: 1 }];
    expect(await stub.take(rates)).toBe(0);
    const wait = await stub.take(rates);
    expect(wait).toBeGreaterThan(900);
    expect(wait).toBeLessThanOrEqual(1000);
    await runInDurableObject(stub, async (instance: RateLimiter, state) => {
      expect(instance).toBeInstanceOf(RateLimiter);
      expect(state.storage.kv.get('buckets')).toMatchObject({ 1000: { tokens: expect.any(Number) } });
      expect(await state.storage.getAlarm()).toBeGreaterThan(Date.now());
      await instance.alarm();
      expect(state.storage.kv.get('buckets')).toBeUndefined();
    });
    expect(await stub.take(rates)).toBe(0);
  });

  it('falls back to a per-isolate bucket when the Durable Object is unreachable', async () => {
    const get = () => send('http://limited.example.com/', { headers: { 'x-key': 'fallback' } }, { RATE_LIMITER: undefined });
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([200, 200, 429]);
  });
});

describe('max-conn', () => {
  it('answers 429 beyond the amount of requests in flight per key, and frees the slot when the body is done', async () => {
    const slow = send('http://conn.example.com/', { headers: { 'x-echo-delay-ms': '400' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const second = await send('http://conn.example.com/');
    expect(second.status).toBe(429);
    expect(await second.text()).toBe('max connections reached: 1');
    const first = await slow;
    expect(first.status).toBe(200);
    await first.text();
    expect((await send('http://conn.example.com/')).status).toBe(200);
  });
});

describe('sticky sessions', () => {
  it('sets an opaque cookie and keeps sending the client to its endpoint', async () => {
    const first = await send('http://sticky.example.com/');
    const setCookie = first.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^_sticky=[A-Za-z0-9_-]{22}; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    expect(setCookie).not.toContain(upstreams.echo.a.split(':')[0]);
    const cookie = setCookie.split(';')[0] ?? '';
    const name = (await echoOf(first)).name;
    for (let i = 0; i < 4; i++) {
      const again = await send('http://sticky.example.com/', { headers: { cookie: `other=1; ${cookie}` } });
      expect(again.headers.get('set-cookie')).toBeNull();
      expect((await echoOf(again)).name).toBe(name);
    }
  });

  it('re-picks and re-sets the cookie for a forged or stale value', async () => {
    const response = await send('http://sticky.example.com/', { headers: { cookie: '_sticky=forged-value-0000000000' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/^_sticky=[A-Za-z0-9_-]{22};/);
  });

  it('is keyed by STICKY_SECRET: a cookie from another secret is stale', async () => {
    const cookie = (await send('http://sticky.example.com/')).headers.get('set-cookie')?.split(';')[0] ?? '';
    const other = await send('http://sticky.example.com/', { headers: { cookie } }, { STICKY_SECRET: 'another secret' });
    expect(other.headers.get('set-cookie')).toMatch(/^_sticky=/);
    expect(other.headers.get('set-cookie')?.split(';')[0]).not.toBe(cookie);
  });

  it('pins an endpoint of any member of a sticky weighted group', async () => {
    const cookie = (await send('http://group.example.com/')).headers.get('set-cookie')?.split(';')[0] ?? '';
    expect(cookie).toMatch(/^_group=/);
    const names = new Set<string>();
    for (let i = 0; i < 4; i++) names.add((await echoOf(await send('http://group.example.com/', { headers: { cookie } }))).name);
    expect(names.size).toBe(1);
  });
});

describe('buffering', () => {
  it('answers 413 for a body over maxrequestbodybytes, declared or streamed', async () => {
    const declared = await send('http://buffered.example.com/', { method: 'POST', body: 'x'.repeat(11) });
    expect(declared.status).toBe(413);
    expect(await declared.text()).toBe('Request Entity Too Large\n');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('12345678'));
        controller.enqueue(new TextEncoder().encode('12345678'));
        controller.close();
      },
    });
    expect((await send('http://buffered.example.com/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit)).status).toBe(413);
  });

  it('re-sends the buffered body to another endpoint while the retry expression holds', async () => {
    // Round robin offers the closed endpoint first every other request: both must reach a, body intact.
    for (let i = 0; i < 2; i++) {
      const echo = await echoOf(await send('http://buffered.example.com/', { method: 'POST', body: 'hello' }));
      expect([echo.name, echo.body]).toEqual(['a', 'hello']);
    }
    const statuses = [];
    for (let i = 0; i < 2; i++) statuses.push((await send('http://unbuffered.example.com/', { method: 'POST', body: 'hello' })).status);
    expect(statuses.sort()).toEqual([200, 502]);
  });

  it('cuts a response body at maxresponsebodybytes', async () => {
    const response = await send('http://small.example.com/');
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBe(20);
  });
});

describe('circuit breaker', () => {
  it('trips to 503 when the expression holds, then recovers', async () => {
    const timing = { CIRCUIT_BREAKER_FALLBACK_MS: '300', CIRCUIT_BREAKER_RECOVERY_MS: '300' };
    const get = (status?: number) => send('http://breaker.example.com/', status ? { headers: { 'x-echo-status': String(status) } } : {}, timing);
    expect((await get(502)).status).toBe(502);
    await expectEdgeText(await get(), 503, 'Service Unavailable');
    // Recovery starts with the first request after the fallback and ramps up over 300 ms.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await get()).status);
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    expect(statuses).toContain(200);
    expect(statuses.slice(-3)).toEqual([200, 200, 200]);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
  });
});

describe('drr', () => {
  it('serves like round robin while every endpoint behaves', async () => {
    const names = [];
    for (let i = 0; i < 4; i++) names.push((await echoOf(await send('http://drr.example.com/'))).name);
    expect(names.sort()).toEqual(['a', 'a', 'b', 'b']);
  });
});
