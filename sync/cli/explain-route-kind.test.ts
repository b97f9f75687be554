/**
 * `edgress explain` names the object a request was routed by: an HTTPRoute's
 * router is reported as that HTTPRoute (text and JSON), an Ingress's as
 * the Ingress, through the same matcher and explanation code the command runs.
 */
import { describe, expect, it } from 'vitest';
import { compileTable, hostView } from '../../src/match/compiled-table.ts';
import { selectRoute } from '../../src/match/select.ts';
import type { Table } from '../../src/table/schema.ts';
import { describeSelection, explanationText } from './explain-text.ts';

const base = { match: { type: 'prefix' as const, path: '/' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true };
const table: Table = {
  schema: 1,
  routers: [{ ...base, id: 'shop/api#0.0.0', source: 'shop/api', origin: 'httproute', host: 'api.example.com' }, { ...base, id: 'shop/web#0.0', source: 'shop/web', host: 'shop.example.com' }],
  middlewares: {},
  services: { a: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'a', port: 80 }, servers: [{ address: '10.0.0.1:80', weight: 1 }] } },
};

function explain(host: string) {
  const view = hostView(compileTable(table), host);
  const selection = selectRoute(view, '/', 'http');
  if (!selection) throw new Error(`no route for ${host}`);
  return describeSelection({ host, hostHeader: host, scheme: 'http', path: '/', matchPath: '/', rawPath: '/', search: '', clientIp: '127.0.0.1', method: 'GET', view, selection });
}

describe('explain names the route’s object', () => {
  it('an HTTPRoute-served request names the HTTPRoute', () => {
    const explanation = explain('api.example.com');
    expect(explanation.route).toMatchObject({ kind: 'HTTPRoute', ingress: 'shop/api', id: 'shop/api#0.0.0' });
    expect(explanationText(explanation)).toContain('route:       shop/api#0.0.0 (HTTPRoute shop/api)');
  });

  it('an Ingress-served request still names the Ingress, with no kind field added', () => {
    const explanation = explain('shop.example.com');
    expect(explanation.route?.kind).toBeUndefined();
    expect(explanationText(explanation)).toContain('route:       shop/web#0.0 (Ingress shop/web)');
  });
});
