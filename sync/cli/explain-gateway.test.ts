import { describe, expect, it } from 'vitest';
import { compileTable, hostView } from '../../src/match/compiled-table.ts';
import { selectRoute } from '../../src/match/select.ts';
import type { Table } from '../../src/table/schema.ts';
import { describeNoMatch, describeSelection, explanationText } from './explain-text.ts';

const pool = (name: string, address: string) => ({ kind: 'servers' as const, protocol: 'http' as const, target: { namespace: 'shop', name, port: 80 }, servers: [{ address, weight: 1 }] });

const TABLE: Table = {
  schema: 1,
  routers: [
    {
      id: 'shop/web#0.0', source: 'shop/web', origin: 'httproute', host: 'shop.example.com', match: { type: 'prefix', path: '/api' },
      conditions: { method: 'GET', headers: [{ name: 'version', type: 'exact', value: 'two' }], query: [{ name: 'page', type: 'regex', value: '[0-9]+' }] },
      priority: 0, middlewares: ['rewrite', 'headers'], service: 'split', passHostHeader: true,
    },
    { id: 'shop/web#1.0', source: 'shop/web', origin: 'httproute', host: 'shop.example.com', match: { type: 'exact', path: '/old' }, priority: 0, middlewares: ['moved'], service: 'blue', passHostHeader: true },
    { id: 'shop/web#2.0', source: 'shop/web', origin: 'httproute', host: 'shop.example.com', match: { type: 'full-regex', path: '/gone/.*' }, priority: 0, middlewares: [], service: 'broken', passHostHeader: true },
  ],
  middlewares: {
    rewrite: { kind: 'replace-prefix', prefix: '/api', value: '/v2' },
    headers: { kind: 'header-modifier', phase: 'request', set: [['Authorization', 'Bearer secret-token']], add: [['X-Tag', 'a']], remove: ['x-debug'] },
    moved: { kind: 'gateway-redirect', scheme: 'https', path: { type: 'prefix', prefix: '/old', value: '/new' }, status: 301 },
  },
  services: {
    split: { kind: 'weighted', services: [{ service: 'blue', weight: 3 }, { service: 'broken', weight: 1 }] },
    blue: pool('blue', '10.0.0.1:8080'),
    broken: { kind: 'status', status: 500, reason: 'backendRef shop/missing: Service not found' },
  },
};

function explain(url: string, method = 'GET', headers: Record<string, string> = {}) {
  const parsed = new URL(url);
  const view = hostView(compileTable(TABLE), parsed.hostname);
  const scheme = parsed.protocol === 'https:' ? ('https' as const) : ('http' as const);
  const request = { host: parsed.hostname, hostHeader: parsed.host, scheme, path: parsed.pathname, matchPath: parsed.pathname, rawPath: parsed.pathname, search: parsed.search, clientIp: '127.0.0.1', method, view };
  const selection = selectRoute(view, parsed.pathname, scheme, { method, url, headers: new Headers(headers) });
  const explanation = selection ? describeSelection({ ...request, selection }) : describeNoMatch({ ...request, validPath: true });
  return { explanation, text: explanationText(explanation).join('\n') };
}

describe('explain for Gateway API routes', () => {
  it('names the HTTPRoute, its conditions, the rewritten path and the share that answers 500', () => {
    const { explanation, text } = explain('https://shop.example.com/api/users?page=2', 'GET', { version: 'two' });
    expect(text).toContain('route:       shop/web#0.0 (HTTPRoute shop/web)');
    expect(text).toContain('conditions:  method GET, header version = "two", query page ~ /[0-9]+/ (whole value)');
    expect(explanation.middlewares?.[0]?.detail).toBe('upstream path /api/users → /v2/users (prefix /api → /v2)');
    expect(explanation.outcome.summary).toBe('→ 10.0.0.1:8080, path /v2/users; 25% of requests answer 500 (backendRef shop/missing: Service not found)');
    // Credentials a header modifier sets are not shown.
    expect(text).not.toContain('secret-token');
  });

  it('says a 404 may come from conditions that do not hold, listing them', () => {
    const { explanation, text } = explain('https://shop.example.com/api/users', 'POST');
    expect(explanation.outcome.summary).toContain('(or their method, header, query or port conditions do not hold)');
    expect(text).toContain('shop/web#0.0: Prefix /api (whole path segments), when method GET');
  });

  it('shows the Location of a Gateway redirect and the 500 of an unusable backendRef', () => {
    expect(explain('http://shop.example.com/old').explanation.outcome).toMatchObject({ status: 301, location: 'https://shop.example.com/new' });
    expect(explain('http://shop.example.com/gone/x').explanation.outcome).toMatchObject({ status: 500, summary: '500: backendRef shop/missing: Service not found' });
  });
});
