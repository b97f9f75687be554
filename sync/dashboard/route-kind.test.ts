/**
 * The dashboard names the object behind each route: an HTTPRoute's routers
 * are shown as HTTPRoutes (route list, Traefik-compatible provider JSON, edge
 * hosts), never as Ingresses of the same name.
 */
import { describe, expect, it } from 'vitest';
import type { Router, Table } from '../../src/table/schema.ts';
import { emptySnapshot } from '../stats/snapshot.ts';
import { edgeHostsView, hostsView, kubernetesProvider } from './api.ts';
import { DashboardState } from './state.ts';

const httpRouteRouter: Router = { id: 'shop/api#0.0.0', source: 'shop/api', origin: 'httproute', host: 'api.example.com', match: { type: 'prefix', path: '/v1' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true };
const ingressRouter: Router = { id: 'shop/web#0.0', source: 'shop/web', host: 'shop.example.com', match: { type: 'prefix', path: '/' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true };
const STATS = { snapshot: () => emptySnapshot('none', 'off') };
const table: Table = {
  schema: 1,
  routers: [httpRouteRouter, ingressRouter],
  middlewares: {},
  services: { a: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'a', port: 80 }, servers: [{ address: '10.0.0.1:80', weight: 1 }] } },
};

describe('dashboard routes by kind', () => {
  it('marks HTTPRoute routes with their kind in the route list, and Ingress routes as Ingresses', () => {
    const routes = hostsView(table, emptySnapshot('dev')).flatMap((host) => host.routes.map((route) => [route.id, route.sourceKind, route.ingress]));
    expect(routes).toEqual([
      ['shop/api#0.0.0', 'HTTPRoute', 'shop/api'],
      ['shop/web#0.0', 'Ingress', 'shop/web'],
    ]);
  });

  it('names the HTTPRoute (not an ingress) in the Traefik-compatible provider JSON', () => {
    const provider = kubernetesProvider(table);
    expect(provider.frontends['api.example.com/v1']?.edgress).toEqual({ route: 'shop/api#0.0.0', httpRoute: 'shop/api', middlewares: [] });
    expect(provider.frontends['shop.example.com/']?.edgress).toEqual({ route: 'shop/web#0.0', ingress: 'shop/web', middlewares: [] });
  });

  it('lists the HTTPRoutes of each edge host', () => {
    const edgeHosts = { mode: 'routes', reports: [{ host: 'api.example.com', ingresses: [], httpRoutes: ['shop/api'], status: 'served', detail: 'route' }] };
    const state = new DashboardState({ mode: 'agent', stats: STATS, edgeHosts });
    expect(edgeHostsView(state).hosts[0]).toMatchObject({ host: 'api.example.com', ingresses: [], httpRoutes: ['shop/api'] });
  });
});
