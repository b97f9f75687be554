import { beforeAll, describe, expect, it } from 'vitest';
import { echoOf, echoPool, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

beforeAll(() =>
  publishThrough({ canary: { kind: 'canary', service: 'canary', header: 'X-Canary', cookie: 'canary', weight: 0, total: 100 } }, { canary: echoPool('b') }),
);

const answerer = async (headers: Record<string, string> = {}) => (await echoOf(await send(`http://${THROUGH_HOST}/`, { headers }))).name;

describe('canary', () => {
  it('sends a request to the canary when its header says always, never otherwise at weight 0', async () => {
    expect(await answerer({ 'X-Canary': 'always' })).toBe('b');
    expect(await answerer({ 'X-Canary': 'never' })).toBe('a');
    expect(await answerer()).toBe('a');
  });

  it('lets the header win over the cookie, as ingress-nginx does', async () => {
    expect(await answerer({ Cookie: 'canary=always' })).toBe('b');
    expect(await answerer({ Cookie: 'canary=always', 'X-Canary': 'never' })).toBe('a');
  });
});
