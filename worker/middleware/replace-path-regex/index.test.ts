import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() => publishThrough({ v2: { kind: 'replace-path-regex', regex: { source: '^/api(.*)', flags: '' }, replacement: ['/v2', 1] } }));

describe('replace-path-regex', () => {
  it('rewrites a matching path with the replacement and its groups', async () => {
    const echo = await echoOf(await send(`http://${THROUGH_HOST}/api/users?q=1`));
    expect(echo.url).toBe('/v2/users?q=1');
    expect(echo.headers['x-replaced-path']).toBe('/api/users');
  });

  it('leaves a path the regex does not match as it is', async () => {
    expect((await echoOf(await send(`http://${THROUGH_HOST}/other`))).url).toBe('/other');
  });
});
