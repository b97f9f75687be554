import { beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/table/schema.ts';
import { answerers, echoPool, expectEdgeText, publish, send, upstreams } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const weighted = (...members: [string, number][]): Service => ({
  kind: 'weighted',
  services: members.map(([service, weight]) => ({ service, weight })),
});

beforeAll(async () => {
  const host = (name: string, service: string) => router(`${name}.example.com`, '/', service);
  await publish(
    table({
      routers: [
        host('two-one', 'two-one'),
        host('five-one-one', 'five-one-one'),
        host('even', 'even'),
        host('group', 'group'),
        host('group-pools', 'group-pools'),
        host('zero', 'zero'),
        host('empty', 'empty'),
        host('empty-group', 'empty-group'),
      ],
      services: {
        'two-one': echoPool({ address: upstreams.echo.a, weight: 2 }, { address: upstreams.echo.b, weight: 1 }),
        'five-one-one': echoPool(
          { address: upstreams.echo.a, weight: 5 },
          { address: upstreams.echo.b, weight: 1 },
          { address: upstreams.echo.c, weight: 1 },
        ),
        even: echoPool('a', 'b', 'c', { address: upstreams.echo.d, weight: 0 }),
        'only-a': echoPool('a'),
        'only-b': echoPool('b'),
        'a-and-b': echoPool('a', 'b'),
        'only-c': echoPool('c'),
        group: weighted(['only-a', 3], ['only-b', 1]),
        'group-pools': weighted(['a-and-b', 1], ['only-c', 1]),
        zero: echoPool({ address: upstreams.echo.a, weight: 0 }, { address: upstreams.echo.b, weight: 0 }),
        empty: { ...echoPool(), unavailable: 'no ready endpoints' },
        nothing: echoPool(),
        'empty-group': weighted(['nothing', 1]),
      },
    }),
  );
});

describe('smooth weighted round robin across endpoints', () => {
  it('sends weights 2:1 as a b a, cycle after cycle', async () => {
    expect(await answerers('http://two-one.example.com/', 6)).toEqual(['a', 'b', 'a', 'a', 'b', 'a']);
  });

  it('spreads weights 5:1:1 as nginx does', async () => {
    expect((await answerers('http://five-one-one.example.com/', 7)).join(' ')).toBe('a a b a c a a');
  });

  it('rotates equal weights and never sends to weight 0', async () => {
    expect(await answerers('http://even.example.com/', 6)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });
});

describe('weighted service groups', () => {
  it('shares requests 3:1 between member services', async () => {
    expect(await answerers('http://group.example.com/', 8)).toEqual(['a', 'a', 'b', 'a', 'a', 'a', 'b', 'a']);
  });

  it('balances inside the chosen member too', async () => {
    expect(await answerers('http://group-pools.example.com/', 4)).toEqual(['a', 'c', 'b', 'c']);
  });
});

describe('services that cannot answer', () => {
  it('answers 500 when every weight is 0', async () => {
    await expectEdgeText(await send('http://zero.example.com/'), 500, 'Internal Server Error');
  });

  it('answers 503 for an empty pool or a group of empty pools', async () => {
    await expectEdgeText(await send('http://empty.example.com/'), 503, 'Service Unavailable');
    await expectEdgeText(await send('http://empty-group.example.com/'), 503, 'Service Unavailable');
  });
});
