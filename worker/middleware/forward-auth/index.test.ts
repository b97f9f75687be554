import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST, upstreams } from '../../../test/worker/helpers.ts';

beforeAll(() =>
  publishThrough({ auth: { kind: 'forward-auth', address: `http://${upstreams.echo.b}/verify`, trustForwardHeader: false, responseHeaders: ['X-Auth-User'] } }),
);

describe('forward-auth', () => {
  it("lets a request the auth server accepts through, with the auth server's headers it names", async () => {
    const response = await send(`http://${THROUGH_HOST}/app`, { headers: { 'x-echo-response-headers': JSON.stringify({ 'X-Auth-User': 'alice' }) } });
    const echo = await echoOf(response);
    expect(echo.name).toBe('a');
    expect(echo.url).toBe('/app');
    expect(echo.headers['x-auth-user']).toBe('alice');
  });

  it("answers with the auth server's refusal, and the pod never sees the request", async () => {
    const response = await send(`http://${THROUGH_HOST}/app`, { headers: { 'x-echo-status': '401' } });
    expect(response.status).toBe(401);
    expect((await echoOf(response)).name).toBe('b');
  });
});
