import { describe, expect, it } from 'vitest';
import { echoOf, expectEdgeText, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

const rates = [{ periodMs: 60_000, average: 1, burst: 2 }];
const get = (key: string) => send(`http://${THROUGH_HOST}/`, { headers: { 'X-Key': key } });

describe('rate-limit', () => {
  it('answers 429 beyond the burst, per extracted key', async () => {
    await publishThrough({ limit: { kind: 'rate-limit', extractor: { type: 'request.header', name: 'X-Key' }, rates } });
    for (let i = 0; i < 2; i++) expect((await echoOf(await get('alice'))).name).toBe('a');
    const limited = await get('alice');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-echo-name')).toBeNull();
    expect((await echoOf(await get('bob'))).name).toBe('a');
  });

  it("answers 503 in ingress-nginx's dialect", async () => {
    await publishThrough({ nginx: { kind: 'rate-limit', extractor: { type: 'request.header', name: 'X-Key' }, rates, status: 503 } });
    for (let i = 0; i < 2; i++) expect((await get('carol')).status).toBe(200);
    await expectEdgeText(await get('carol'), 503, 'Service Unavailable');
  });
});
