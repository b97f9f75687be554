import { describe, expect, it } from 'vitest';
import { compose, type EdgeMiddleware } from './compose.ts';
import type { RequestContext } from './context.ts';

const context = { path: '/start' } as RequestContext;

describe('compose', () => {
  it('runs middlewares in array order, then the terminal handler', async () => {
    const seen: string[] = [];
    const step = (name: string): EdgeMiddleware => (c, next) => {
      seen.push(name);
      c.path += `/${name}`;
      return next();
    };
    const handler = compose([step('one'), step('two')], async (c) => new Response(c.path));
    expect(await (await handler({ ...context })).text()).toBe('/start/one/two');
    expect(seen).toEqual(['one', 'two']);
  });

  it('lets a request-phase middleware answer without running the rest', async () => {
    let reached = false;
    const handler = compose(
      [() => new Response('denied', { status: 403 }), (_c, next) => ((reached = true), next())],
      async () => new Response('upstream'),
    );
    const response = await handler({ ...context });
    expect([response.status, await response.text(), reached]).toEqual([403, 'denied', false]);
  });

  it('lets a response-phase middleware change what next() returned', async () => {
    const tag: EdgeMiddleware = async (_c, next) => {
      const response = await next();
      const headers = new Headers(response.headers);
      headers.set('x-tag', 'on');
      return new Response(response.body, { status: response.status, headers });
    };
    const response = await compose([tag], async () => new Response('upstream'))({ ...context });
    expect(response.headers.get('x-tag')).toBe('on');
    expect(await response.text()).toBe('upstream');
  });

  it('refuses a middleware that calls next() twice', async () => {
    const twice: EdgeMiddleware = async (_c, next) => {
      await next();
      return next();
    };
    await expect(compose([twice], async () => new Response('x'))({ ...context })).rejects.toThrow(/more than once/);
  });
});
