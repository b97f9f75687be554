/**
 * Edge hosts come from the table's routers, whatever made them: an
 * HTTPRoute's hosts (its hostnames intersected with its listeners') become
 * edge hosts beside the Ingresses', and its problems are reported on the
 * HTTPRoute, not on an Ingress of the same name.
 */
import { describe, expect, it } from 'vitest';
import { TABLE_SCHEMA_VERSION } from '../../src/table/constants.ts';
import type { Router, Table } from '../../src/table/schema.ts';
import type { WatchedObject } from '../common/kube/watch-event.ts';
import { reportDiagnostics } from './describe.ts';
import { desiredHosts } from './desired.ts';
import { ADOPT_ANNOTATION } from './model.ts';
import { planEdgeHosts } from './plan.ts';

const router = (source: string, host: string, origin?: 'httproute'): Router => ({
  id: `${source}#0.0`,
  source,
  ...(origin ? { origin } : {}),
  host,
  match: { type: 'prefix', path: '/' },
  priority: 0,
  middlewares: [],
  service: 's',
  passHostHeader: true,
});

const table = (routers: Router[]): Table => ({ schema: TABLE_SCHEMA_VERSION, routers, middlewares: {}, services: { s: { kind: 'servers', protocol: 'http', servers: [] } } });

function lookup(objects: WatchedObject[]) {
  return { find: (kind: string, namespace: string | undefined, name: string) => objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name) };
}

describe('desiredHosts with HTTPRoutes', () => {
  it('lists HTTPRoute hosts (wildcards included) as edge hosts, named apart from the Ingresses', () => {
    const routes = table([router('shop/web', 'shop.example.com'), router('shop/web', 'api.example.com', 'httproute'), router('blog/site', '*.blog.example.com', 'httproute'), router('shop/other', 'api.example.com')]);
    expect(desiredHosts(routes, lookup([]))).toEqual([
      { host: '*.blog.example.com', ingresses: [], httpRoutes: ['blog/site'], adopt: false },
      { host: 'api.example.com', ingresses: ['shop/other'], httpRoutes: ['shop/web'], adopt: false },
      { host: 'shop.example.com', ingresses: ['shop/web'], adopt: false },
    ]);
  });

  it('reads the adopt annotation from the HTTPRoute, not from an Ingress of the same name', () => {
    const adopting = { kind: 'HTTPRoute', metadata: { name: 'web', namespace: 'shop', annotations: { [ADOPT_ANNOTATION]: 'true' } } } as WatchedObject;
    const ingress = { kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', annotations: { [ADOPT_ANNOTATION]: 'true' } } } as WatchedObject;
    expect(desiredHosts(table([router('shop/web', 'api.example.com', 'httproute')]), lookup([adopting]))[0]?.adopt).toBe(true);
    expect(desiredHosts(table([router('shop/web', 'api.example.com', 'httproute')]), lookup([ingress]))[0]?.adopt).toBe(false);
  });

  it('reports a host in no zone as a Warning on the HTTPRoute (spec.hostnames)', () => {
    const desired = desiredHosts(table([router('shop/web', 'api.example.org', 'httproute')]), lookup([]));
    const plan = planEdgeHosts(desired, { zones: [{ id: 'z1', name: 'example.com' }], records: [], routes: [], domains: [], packs: [], certificates: [] }, {
      settings: { mode: 'routes', workerName: 'edgress', ownerId: 'prod', tls: 'report' },
      maxRemovalShare: 0.5,
      allowMassRemoval: false,
    });
    expect(plan.reports).toEqual([expect.objectContaining({ host: 'api.example.org', status: 'no-zone', ingresses: [], httpRoutes: ['shop/web'] })]);
    expect(reportDiagnostics(plan.reports)).toEqual([expect.objectContaining({ object: { kind: 'HTTPRoute', namespace: 'shop', name: 'web' }, field: 'spec.hostnames' })]);
  });
});
