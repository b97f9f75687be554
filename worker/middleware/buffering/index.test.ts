import { describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

describe('buffering', () => {
  it('answers 413 to a request body over the maximum, and passes one within it', async () => {
    await publishThrough({ buffer: { kind: 'buffering', maxRequestBodyBytes: 10, memRequestBodyBytes: 0, maxResponseBodyBytes: 0, memResponseBodyBytes: 0 } });
    const large = await send(`http://${THROUGH_HOST}/`, { method: 'POST', body: '12345678901' });
    expect(large.status).toBe(413);
    expect(large.headers.get('x-echo-name')).toBeNull();
    expect((await echoOf(await send(`http://${THROUGH_HOST}/`, { method: 'POST', body: '1234567890' }))).body).toBe('1234567890');
  });
});
