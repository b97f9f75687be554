import { describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

describe('redirect', () => {
  it('sends the root to the app root (302) and lets other paths through', async () => {
    await publishThrough({ root: { kind: 'redirect', permanent: false, to: { type: 'app-root', path: '/index.html' } } });
    const response = await send(`http://${THROUGH_HOST}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`http://${THROUGH_HOST}/index.html`);
    expect((await echoOf(await send(`http://${THROUGH_HOST}/page`))).url).toBe('/page');
  });

  it('redirects http to https permanently: 301 for GET, 308 for other methods', async () => {
    await publishThrough({ https: { kind: 'redirect', permanent: true, to: { type: 'scheme', scheme: 'https', port: 443 } } });
    const get = await send(`http://${THROUGH_HOST}/a?b=1`, { redirect: 'manual' });
    expect(get.status).toBe(301);
    // Traefik 1.7's scheme redirect names the port, 443 included.
    expect(get.headers.get('location')).toBe(`https://${THROUGH_HOST}:443/a?b=1`);
    expect((await send(`http://${THROUGH_HOST}/a`, { method: 'POST', redirect: 'manual' })).status).toBe(308);
  });
});
