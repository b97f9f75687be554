import { describe, expect, it } from 'vitest';
import { encodedPath } from './path.ts';
import { buildMiddleware } from './registry.ts';

describe('path middleware factories', () => {
  it('percent-encode the configured path as the upstream path is encoded', () => {
    expect(encodedPath('/café/a%20b', 'prefix')).toBe('/caf%C3%A9/a%20b');
    expect(() => buildMiddleware({ kind: 'strip-prefix', prefix: '/café' })).not.toThrow();
  });

  it.each(['/a?b=1', '/a#x', '/a b', '/a/../admin', '/a/%2e%2E/admin', '/a\\b', '/a\r\nX-Evil: 1'])(
    'refuse %j when the route is built, not per request',
    (path) => {
      expect(() => buildMiddleware({ kind: 'replace-path', path })).toThrow();
      expect(() => buildMiddleware({ kind: 'strip-prefix', prefix: path })).toThrow();
    },
  );
});
