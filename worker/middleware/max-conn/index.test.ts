import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() => publishThrough({ conn: { kind: 'max-conn', amount: 1, extractor: { type: 'client.ip' } } }));

const from = (client: string, delayMs = 0) =>
  send(`http://${THROUGH_HOST}/`, { headers: { 'CF-Connecting-IP': client, ...(delayMs ? { 'x-echo-delay-ms': String(delayMs) } : {}) } });

describe('max-conn', () => {
  it('answers 429 to a client with a request already in flight, not to another client, and frees the slot', async () => {
    const slow = from('10.0.0.1', 300);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await from('10.0.0.1');
    expect(second.status).toBe(429);
    expect(await second.text()).toContain('max connections reached: 1');
    expect((await echoOf(await from('10.0.0.2'))).name).toBe('a');
    expect((await echoOf(await slow)).name).toBe('a');
    expect((await echoOf(await from('10.0.0.1'))).name).toBe('a');
  });
});
