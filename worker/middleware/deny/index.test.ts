import { describe, expect, it } from 'vitest';
import { expectEdgeText, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

describe('deny', () => {
  it.each([
    [403, 'Forbidden'],
    [404, '404 page not found'],
    [503, 'Service Unavailable'],
  ] as const)('answers %i at the edge, naming no reason', async (status, text) => {
    await publishThrough({ closed: { kind: 'deny', status, reason: 'invalid auth configuration' } });
    const response = await send(`http://${THROUGH_HOST}/x`);
    expect(response.headers.get('x-echo-name')).toBeNull();
    await expectEdgeText(response, status, text);
  });
});
