import { describe, expect, it } from 'vitest';
import { redirectLocation, replacePrefixMatch, type ClientUrl } from './gateway-url.ts';

describe('replacePrefixMatch', () => {
  // The table of HTTPPathModifier.ReplacePrefixMatch in gateway-api apis/v1/httproute_types.go, row by row.
  it.each([
    ['/foo/bar', '/foo', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo', '/xyz/', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz', '/xyz/bar'],
    ['/foo/bar', '/foo/', '/xyz/', '/xyz/bar'],
    ['/foo', '/foo', '/xyz', '/xyz'],
    ['/foo/', '/foo', '/xyz', '/xyz/'],
    ['/foo/bar', '/foo', '', '/bar'],
    ['/foo/', '/foo', '', '/'],
    ['/foo', '/foo', '', '/'],
    ['/foo/', '/foo', '/', '/'],
    ['/foo', '/foo', '/', '/'],
  ])('%s with prefix %s replaced by %j is %s', (path, prefix, value, expected) => {
    expect(replacePrefixMatch(path, prefix, value)).toBe(expected);
  });

  it('matches whole path elements only, and a prefix of / covers every path', () => {
    expect(replacePrefixMatch('/foobar', '/foo', '/xyz')).toBeUndefined();
    expect(replacePrefixMatch('/other', '/foo', '/xyz')).toBeUndefined();
    expect(replacePrefixMatch('/a/b', '/', '/v2')).toBe('/v2/a/b');
  });
});

describe('redirectLocation', () => {
  const request = (over: Partial<ClientUrl> = {}): ClientUrl => ({ scheme: 'http', host: 'a.example', port: undefined, path: '/p', search: '?q=1', ...over });

  it.each<[string, Partial<ClientUrl>, Parameters<typeof redirectLocation>[1], string]>([
    ['a scheme change without a port takes the new scheme\'s well-known port (left out)', { port: 8080 }, { scheme: 'https' }, 'https://a.example/p?q=1'],
    ['without scheme or port the listener port stays', { port: 8080 }, { hostname: 'b.example' }, 'http://b.example:8080/p?q=1'],
    ['a configured port is written unless well-known for the scheme', {}, { port: 8443 }, 'http://a.example:8443/p?q=1'],
    ['port 443 with https is left out', {}, { scheme: 'https', port: 443 }, 'https://a.example/p?q=1'],
    ['port 80 with https is written', {}, { scheme: 'https', port: 80 }, 'https://a.example:80/p?q=1'],
    ['an https request on 443 keeps no port', { scheme: 'https', port: 443 }, {}, 'https://a.example/p?q=1'],
    ['a full path replaces the path, keeping the query', {}, { path: { type: 'full', value: '/new' } }, 'http://a.example/new?q=1'],
    ['a prefix replacement is element-wise', { path: '/old/x' }, { path: { type: 'prefix', prefix: '/old', value: '/new' } }, 'http://a.example/new/x?q=1'],
    ['a prefix that does not match keeps the path', { path: '/older' }, { path: { type: 'prefix', prefix: '/old', value: '/new' } }, 'http://a.example/older?q=1'],
  ])('%s', (_, over, redirect, expected) => {
    expect(redirectLocation(request(over), redirect)).toBe(expected);
  });
});
