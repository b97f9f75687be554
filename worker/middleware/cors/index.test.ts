import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() =>
  publishThrough({
    cors: { kind: 'cors', origins: ['https://app.example.com'], methods: 'GET, POST', headers: 'Authorization', credentials: true, maxAge: 600 },
  }),
);

describe('cors', () => {
  it('answers a preflight from an allowed origin at the edge with 204', async () => {
    const response = await send(`http://${THROUGH_HOST}/api`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('access-control-max-age')).toBe('600');
  });

  it("adds the headers to the pod's answer for an allowed origin, none for another", async () => {
    const allowed = await send(`http://${THROUGH_HOST}/api`, { headers: { Origin: 'https://app.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect((await echoOf(allowed)).url).toBe('/api');
    const other = await send(`http://${THROUGH_HOST}/api`, { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect((await echoOf(other)).url).toBe('/api');
  });
});
