import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() => publishThrough({ fixed: { kind: 'replace-path', path: '/fixed' } }));

describe('replace-path', () => {
  it('sends every path to the pod as the configured one, the replaced path in X-Replaced-Path', async () => {
    const echo = await echoOf(await send(`http://${THROUGH_HOST}/old/page?q=1`));
    expect(echo.url).toBe('/fixed?q=1');
    expect(echo.headers['x-replaced-path']).toBe('/old/page');
  });
});
