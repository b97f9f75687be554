import { beforeAll, describe, expect, it } from 'vitest';
import { expectEdgeText, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() =>
  publishThrough({
    breaker: {
      kind: 'circuit-breaker',
      condition: {
        source: 'ResponseCodeRatio(500, 600, 0, 600) > 0.5',
        predicate: { type: 'compare', op: '>', left: { type: 'metric', fn: 'ResponseCodeRatio', args: [500, 600, 0, 600] }, right: { type: 'number', value: 0.5 } },
      },
    },
  }),
);

describe('circuit-breaker', () => {
  it('passes answers through until the expression holds, then answers 503 at the edge', async () => {
    const timing = { CIRCUIT_BREAKER_FALLBACK_MS: '60000', CIRCUIT_BREAKER_RECOVERY_MS: '60000' };
    const failing = await send(`http://${THROUGH_HOST}/`, { headers: { 'x-echo-status': '500' } }, timing);
    expect(failing.status).toBe(500);
    expect(failing.headers.get('x-echo-name')).toBe('a');
    const tripped = await send(`http://${THROUGH_HOST}/`, undefined, timing);
    expect(tripped.headers.get('x-echo-name')).toBeNull();
    await expectEdgeText(tripped, 503, 'Service Unavailable');
  });
});
