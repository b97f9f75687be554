import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() =>
  publishThrough({
    custom: {
      kind: 'custom-headers',
      request: { set: [['X-Env', 'prod']], remove: ['X-Drop'] },
      response: { set: [['X-Served-By', 'edge']], remove: ['X-Upstream'] },
    },
  }),
);

describe('custom-headers', () => {
  it('sets and removes request headers the pod sees, and response headers the client sees', async () => {
    const response = await send(`http://${THROUGH_HOST}/`, {
      headers: { 'X-Env': 'dev', 'X-Drop': 'secret', 'x-echo-response-headers': JSON.stringify({ 'X-Upstream': 'pod-7' }) },
    });
    expect(response.headers.get('x-served-by')).toBe('edge');
    expect(response.headers.get('x-upstream')).toBeNull();
    const echo = await echoOf(response);
    expect(echo.headers['x-env']).toBe('prod');
    expect(echo.headers).not.toHaveProperty('x-drop');
  });
});
