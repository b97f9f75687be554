// The statistics data point each request writes to the STATS binding: its
// index, blobs and doubles as the agent's SQL reads them (sync/stats/), and
// that a broken or absent dataset never changes a response.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../worker/index.ts';
import { MAX_INDEX_BYTES, STATS_BLOBS, STATS_DOUBLES, type StatsDataPoint } from '../../src/stats/layout.ts';
import { statsIndex } from '../../worker/base/stats.ts';
import { echoPool, publish, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const LONG_INGRESS = `shop/${'x'.repeat(120)}`;

beforeAll(async () => {
  await publish(
    table({
      routers: [
        { ...router('stats.example.com', '/api', 'shop/api:80'), id: 'shop/api#0.0', source: 'shop/api' },
        { ...router('stats.example.com', { type: 'exact', path: '/down' }, 'shop/down:80'), id: 'shop/down#0.0', source: 'shop/down' },
        { ...router('stats.example.com', { type: 'exact', path: '/empty' }, 'shop/empty:80'), id: 'shop/empty#0.0', source: 'shop/empty' },
        { ...router('long.example.com', '/', 'shop/api:80'), id: `${LONG_INGRESS}#0.0`, source: LONG_INGRESS },
      ],
      services: {
        'shop/api:80': { ...echoPool('a'), target: { namespace: 'shop', name: 'api', port: 80 } },
        'shop/down:80': { ...echoPool({ address: upstreams.closed, weight: 1 }), target: { namespace: 'shop', name: 'down', port: 80 } },
        'shop/empty:80': { kind: 'servers', protocol: 'http', servers: [], unavailable: 'no ready endpoints' },
      },
    }),
  );
});

/** Sends one request with a recording STATS binding; returns the response and what was written. */
async function sendRecorded(url: string, init?: RequestInit, cf?: Record<string, unknown>): Promise<{ response: Response; points: StatsDataPoint[] }> {
  const points: StatsDataPoint[] = [];
  const STATS = { writeDataPoint: (point: StatsDataPoint) => void points.push(structuredClone(point)) };
  const context = createExecutionContext();
  const request = new Request(url, { ...init, ...(cf ? { cf } : {}) } as RequestInit);
  const response = await worker.fetch(request, { ...env, STATS }, context);
  await waitOnExecutionContext(context);
  await response.arrayBuffer();
  return { response, points };
}

/** A data point as named columns, to assert on. */
function named(point: StatsDataPoint): Record<string, string | number> {
  const out: Record<string, string | number> = { index: point.indexes[0] };
  STATS_BLOBS.forEach((name, i) => (out[name] = point.blobs[i] as string));
  STATS_DOUBLES.forEach((name, i) => (out[name] = point.doubles[i] as number));
  return out;
}

describe('the statistics data point', () => {
  it('has the route id as its index, 8 blobs and 6 doubles in the documented order', async () => {
    const body = 'hello=world';
    const { response, points } = await sendRecorded('http://stats.example.com/api/orders?x=1', { method: 'POST', body, headers: { 'content-length': String(body.length) } }, { colo: 'AMS' });
    expect(response.status).toBe(200);
    expect(points).toHaveLength(1);
    const point = points[0]!;
    expect(point.blobs).toHaveLength(8);
    expect(point.doubles).toHaveLength(6);
    expect(named(point)).toMatchObject({
      index: 'shop/api#0.0',
      host: 'stats.example.com',
      ingress: 'shop/api',
      rule: 'Prefix /api',
      service: 'shop/api:80',
      method: 'POST',
      statusClass: '2xx',
      colo: 'AMS',
      error: '',
      status: 200,
      requestBytes: body.length,
      retries: 0,
    });
    const columns = named(point);
    expect(columns['totalMs']).toBeGreaterThanOrEqual(columns['upstreamMs'] as number);
    expect(columns['responseBytes']).toBe(Number(response.headers.get('content-length') ?? 0));
  });

  it('names why the edge answered: a refused connection, an empty pool, no route', async () => {
    const down = named((await sendRecorded('http://stats.example.com/down')).points[0]!);
    expect(down).toMatchObject({ index: 'shop/down#0.0', rule: 'Exact /down', status: 502, statusClass: '5xx', error: 'connect' });
    const empty = named((await sendRecorded('http://stats.example.com/empty')).points[0]!);
    expect(empty).toMatchObject({ index: 'shop/empty#0.0', status: 503, error: 'no-endpoint', upstreamMs: 0 });
    const none = named((await sendRecorded('http://stats.example.com/nothing-here', { method: 'DELETE' })).points[0]!);
    expect(none).toMatchObject({ index: '(unmatched)', host: 'stats.example.com', ingress: '', status: 404, statusClass: '4xx', error: 'no-route', method: 'DELETE' });
  });

  it('keeps a long route id within the 96-byte index limit, distinct per id', async () => {
    const { points } = await sendRecorded('http://long.example.com/');
    const index = points[0]!.indexes[0];
    expect(new TextEncoder().encode(index).length).toBeLessThanOrEqual(MAX_INDEX_BYTES);
    expect(index.startsWith(LONG_INGRESS.slice(0, 40))).toBe(true);
    expect(statsIndex(`${LONG_INGRESS}#0.1`)).not.toBe(index);
  });

  it('never changes the response: a throwing or rejecting dataset, or none at all', async () => {
    const context = createExecutionContext();
    const throwing = { writeDataPoint: () => { throw new Error('dataset full'); } };
    const rejecting = { writeDataPoint: () => Promise.reject(new Error('recorder down')) };
    for (const STATS of [throwing, rejecting, undefined]) {
      const response = await worker.fetch(new Request('http://stats.example.com/api'), { ...env, STATS }, context);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-echo-name')).toBe('a');
    }
    await waitOnExecutionContext(context);
  });

  it('hands a write that returns a promise to waitUntil (edgress dev records through one)', async () => {
    let settled = false;
    const STATS = { writeDataPoint: () => new Promise<void>((resolve) => setTimeout(() => { settled = true; resolve(); }, 20)) };
    const context = createExecutionContext();
    const response = await worker.fetch(new Request('http://stats.example.com/api'), { ...env, STATS }, context);
    expect(response.status).toBe(200);
    expect(settled).toBe(false);
    await waitOnExecutionContext(context);
    expect(settled).toBe(true);
  });

  it('also waits for a callable thenable, the shape of an RPC binding\'s result (JsRpcPromise)', async () => {
    let settled = false;
    const later = new Promise<void>((resolve) => setTimeout(() => { settled = true; resolve(); }, 20));
    // biome-ignore lint/suspicious/noThenProperty: an RPC result is a callable thenable, which is what this test stands in for.
    const callable = Object.assign(() => {}, { then: later.then.bind(later) });
    const context = createExecutionContext();
    await worker.fetch(new Request('http://stats.example.com/api'), { ...env, STATS: { writeDataPoint: () => callable } }, context);
    expect(settled).toBe(false);
    await waitOnExecutionContext(context);
    expect(settled).toBe(true);
  });
});
