import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, echoPool, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() =>
  publishThrough(
    { pages: { kind: 'error-pages', pages: [{ name: 'server', statuses: [[500, 599]], service: 'errors', path: '/{status}.html' }] } },
    { errors: echoPool('b') },
  ),
);

describe('error-pages', () => {
  it("answers a status in range with the page service's body, keeping the status", async () => {
    const response = await send(`http://${THROUGH_HOST}/app`, { headers: { 'x-echo-status': '503' } });
    expect(response.status).toBe(503);
    const page = await echoOf(response);
    expect(page.name).toBe('b');
    expect(page.url).toBe('/503.html');
  });

  it('passes other statuses through from the pod', async () => {
    const response = await send(`http://${THROUGH_HOST}/app`, { headers: { 'x-echo-status': '404' } });
    expect(response.status).toBe(404);
    expect((await echoOf(response)).name).toBe('a');
  });
});
