import { describe, expect, it } from 'vitest';
import { canonicalRulePath, normalizeHost, normalizePath } from './normalize.ts';

describe('normalizeHost', () => {
  it.each([
    ['Foo.Example.COM', 'foo.example.com'],
    ['foo.example.com:8443', 'foo.example.com'],
    ['foo.example.com.', 'foo.example.com'],
    ['FOO.example.com.:80', 'foo.example.com'],
    ['[::1]:8787', '[::1]'],
    ['  spaced.example  ', 'spaced.example'],
  ])('%s → %s', (input, expected) => expect(normalizeHost(input)).toBe(expected));
});

describe('normalizePath', () => {
  it.each([
    ['/plain/path', '/plain/path', '/plain/path'],
    ['//admin', '/admin', '/admin'],
    ['/a///b/', '/a/b/', '/a/b/'],
    ['/%61dmin', '/admin', '/admin'],
    ['/%2e%2e/admin', '/admin', '/admin'],
    ['/public/%2E%2E/admin', '/admin', '/admin'],
    ['/a/%2e/b', '/a/b', '/a/b'],
    ['/admin%2Fsecret', '/admin%2Fsecret', '/admin/secret'],
    ['/admin%2f', '/admin%2f', '/admin/'],
    ['/x%5Cy', '/x%5Cy', '/x/y'],
    ['/caf%C3%A9', '/caf%C3%A9', '/caf%C3%A9'],
    ['/100%25', '/100%25', '/100%25'],
    ['/admin;jsessionid=1', '/admin;jsessionid=1', '/admin'],
    ['/a;v=1/b;x', '/a;v=1/b;x', '/a/b'],
    ['/;x/admin', '/;x/admin', '/admin'],
    ['/a%3Bb', '/a%3Bb', '/a%3Bb'],
  ])('%s → upstream %s, match %s', (input, upstream, match) => {
    expect(normalizePath(input)).toEqual({ upstream, match });
  });

  it.each(['/public/..%2Fadmin', '/a%2F..%2Fadmin', '/x%2F.%2Fy', '/x/..;/admin', '/x/.;a/y', '/admin%00', '/a%0D%0Ab', '/a%7f'])('rejects %s (dot segment behind an encoded slash or parameters, encoded control character)', (input) => {
    expect(normalizePath(input)).toBeNull();
  });
});

describe('canonicalRulePath', () => {
  it.each([
    ['/café', '/caf%C3%A9'],
    ['/%61pi', '/api'],
    ['/a b', '/a%20b'],
    ['/plain', '/plain'],
    ['/what?', '/what%3F'],
  ])('%s → %s', (input, expected) => expect(canonicalRulePath(input)).toBe(expected));

  it('makes a non-ASCII rule path match the request path a client sends', () => {
    const request = normalizePath(new URL('http://h/café/menu').pathname);
    expect(request?.match.startsWith(canonicalRulePath('/café'))).toBe(true);
  });
});
