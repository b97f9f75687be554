import { describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

describe('upstream-host', () => {
  it("sends the configured Host to the pod instead of the client's", async () => {
    await publishThrough({ vhost: { kind: 'upstream-host', host: 'internal.example.com' } });
    // Only the dev-relay transport lets the worker choose the Host the pod sees.
    const echo = await echoOf(await send(`http://${THROUGH_HOST}/`, undefined, { TRANSPORT: 'dev-relay' }));
    expect(echo.headers['host']).toBe('internal.example.com');
  });
});

describe('upstream-timeout', () => {
  it('answers 504 when the pod sends no headers in time', async () => {
    await publishThrough({ timeout: { kind: 'upstream-timeout', ms: 100 } });
    const response = await send(`http://${THROUGH_HOST}/`, { headers: { 'x-echo-delay-ms': '600' } });
    expect(response.status).toBe(504);
    expect(response.headers.get('x-echo-name')).toBeNull();
  });
});
