import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wildcardSuffix } from './compiled-table.ts';
import { canonicalRulePath, isRoutableHost, normalizeHost, normalizePath } from './normalize.ts';

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

describe('isRoutableHost (SECURITY.md, findings and fixes)', () => {
  it.each(['shop.example.com', 'Shop.Example.com.', 'a.b:8443', 'a.b:', 'a.b:65535', 'a.b:0', '[::1]', '[::1]:8787', '', 'localhost'])('%s is routable', (host) => {
    expect(isRoutableHost(host)).toBe(true);
  });

  it.each(['.example', '.example:80', 'a..example', 'example..', '..', '.', 'name:70000', 'a.b:65536', 'a.b:99999', 'a.b:123456', 'a.b:8x', '[::1]:70000', '[::1', '[::1]x'])(
    '%s is a 400',
    (host) => expect(isRoutableHost(host)).toBe(false),
  );

  const label = fc.stringMatching(/^[a-z0-9-]{1,12}$/);

  it('accepts every dotted name of non-empty labels with any port up to 65535', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 5 }), fc.option(fc.integer({ min: 0, max: 65535 })), fc.boolean(), (labels, port, dot) => {
        const host = labels.join('.') + (dot ? '.' : '') + (port === null ? '' : `:${port}`);
        expect(isRoutableHost(host)).toBe(true);
      }),
    );
  });

  it('refuses any name with an empty label, and any port above 65535', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.nat({ max: 4 }), (labels, at) => {
        const broken = [...labels];
        broken.splice(Math.min(at, broken.length - 1), 0, '');
        expect(isRoutableHost(broken.join('.'))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.array(label, { minLength: 1, maxLength: 3 }), fc.integer({ min: 65536, max: 99999 }), (labels, port) => {
        expect(isRoutableHost(`${labels.join('.')}:${port}`)).toBe(false);
      }),
    );
  });

  it('a wildcard suffix is only ever found after a non-empty first label', () => {
    fc.assert(
      fc.property(fc.string(), (host) => {
        const suffix = wildcardSuffix(host);
        if (suffix !== undefined) expect(host.length - suffix.length - 1).toBeGreaterThan(0);
      }),
    );
    expect(wildcardSuffix('.example')).toBeUndefined();
    expect(wildcardSuffix('a.example')).toBe('example');
  });
});

describe('the normalised path is a fixed point (SECURITY.md findings: what forward auth and redirects judge is what the pod gets)', () => {
  const element = fc.oneof(
    fc.constantFrom('', '.', '..', '%2e', '%2E%2e', 'admin', 'a;b', '%61', '%2F', '%5c', '%25', '%7E', 'caf%C3%A9', '~', '%3B', ';x', 'A'),
    fc.stringMatching(/^[a-zA-Z0-9._~!$&'()*+,;=:@%-]{0,6}$/),
  );
  const pathname = fc.array(element, { maxLength: 8 }).map((elements) => new URL(`http://h/${elements.join('/')}`).pathname);

  it('normalising again changes nothing, and a URL given the path keeps it byte for byte', () => {
    fc.assert(
      fc.property(pathname, (raw) => {
        const once = normalizePath(raw);
        if (once === null) return;
        expect(normalizePath(once.upstream)).toEqual(once);
        const url = new URL('http://h/');
        url.pathname = once.upstream;
        expect(url.pathname).toBe(once.upstream);
      }),
      { numRuns: 3_000 },
    );
  });
});
