import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, expectEdgeText, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() => publishThrough({ api: { kind: 'strip-prefix', prefix: '/api' } }));

describe('strip-prefix', () => {
  it.each([
    ['/api/users?q=1', '/users?q=1'],
    ['/api', '/'],
  ])('sends %s to the pod as %s, naming the prefix in X-Forwarded-Prefix', async (path, seen) => {
    const echo = await echoOf(await send(`http://${THROUGH_HOST}${path}`));
    expect(echo.url).toBe(seen);
    expect(echo.headers['x-forwarded-prefix']).toBe('/api');
  });

  it('answers 404 to a path without the prefix, as Traefik did', async () => {
    await expectEdgeText(await send(`http://${THROUGH_HOST}/other`), 404, '404 page not found');
  });
});
