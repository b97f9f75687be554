// The `regex` path match (ingress-nginx's `location ~* "^<path>"`) in the
// matcher, for a host scanned (a few routes) and a host indexed (many): the
// longest source first, then the greater string, case-insensitive, anchored
// at the start only (docs/user-guide/ingress-path-matching.md).
import { describe, expect, it } from 'vitest';
import { compileTable, hostView } from '../../src/match/compiled-table.ts';
import { selectRoute } from '../../src/match/select.ts';
import type { PathMatch, Router, Table } from '../../src/table/schema.ts';

function tableOf(host: string, matches: readonly PathMatch[]): Table {
  const routers: Router[] = matches.map((match, index) => ({
    id: `ns/ing#0.${index}`, source: 'ns/ing', host, match, priority: 0, middlewares: [], service: 'pool', passHostHeader: true,
  }));
  return { schema: 1, routers, middlewares: {}, services: { pool: { kind: 'servers', protocol: 'http', servers: [{ address: '10.0.0.1:80', weight: 1 }] } } };
}

const REGEXES: PathMatch[] = [
  { type: 'regex', path: '/foo/bar/[A-Z0-9]{3}' },
  { type: 'regex', path: '/foo/bar/bar' },
  { type: 'regex', path: '/foo' },
  { type: 'regex', path: '/api/v[0-9]+/' },
  { type: 'regex', path: '/' },
];

/** Plain routes that match nothing below, to push the host over the scan limit. */
const FILLER: PathMatch[] = Array.from({ length: 14 }, (_, i) => ({ type: 'exact', path: `/filler/${i}` }) as const);

const CASES: readonly [string, string | undefined][] = [
  ['/foo/bar/bar', '/foo/bar/[A-Z0-9]{3}'],
  ['/FOO/BAR/Ab1', '/foo/bar/[A-Z0-9]{3}'],
  ['/foo/bar/b', '/foo'],
  ['/foobar', '/foo'],
  ['/api/V2/users', '/api/v[0-9]+/'],
  ['/x/foo', '/'],
];

describe.each([
  ['scanned', REGEXES],
  ['indexed', [...FILLER, ...REGEXES]],
])('regex routes on a %s host', (_, matches) => {
  const view = hostView(compileTable(tableOf('h.example.com', matches)), 'h.example.com');
  it.each(CASES)('%s goes to %s', (path, expected) => {
    const selection = selectRoute(view, path, 'http');
    const match = selection?.route.router.match;
    expect(match?.type === 'regex' ? match.path : undefined).toBe(expected);
  });
});

describe('regex routes beside plain ones', () => {
  it('a plain match of equal or greater length wins; a longer regex beats a shorter plain match', () => {
    for (const extra of [[], FILLER]) {
      const view = hostView(compileTable(tableOf('h.example.com', [...extra, { type: 'exact', path: '/foo/bar/bar' }, { type: 'prefix', path: '/foo' }, ...REGEXES])), 'h.example.com');
      expect(selectRoute(view, '/foo/bar/bar', 'http')?.route.router.match).toEqual({ type: 'regex', path: '/foo/bar/[A-Z0-9]{3}' });
      expect(selectRoute(view, '/foo/x', 'http')?.route.router.match).toEqual({ type: 'prefix', path: '/foo' });
    }
  });

  it('refuses a table whose regex path does not compile', () => {
    expect(() => compileTable(tableOf('h.example.com', [{ type: 'regex', path: '/(?<=x)' }]))).toThrow(/regex path/);
  });
});
