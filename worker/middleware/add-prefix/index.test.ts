import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() => publishThrough({ public: { kind: 'add-prefix', prefix: '/public' } }));

describe('add-prefix', () => {
  it.each([
    ['/x?q=1', '/public/x?q=1'],
    ['/', '/public/'],
  ])('sends %s to the pod as %s', async (path, seen) => {
    expect((await echoOf(await send(`http://${THROUGH_HOST}${path}`))).url).toBe(seen);
  });
});
