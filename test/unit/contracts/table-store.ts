// The contract every TableStore keeps (CONTRIBUTING.md#interfaces-at-the-seams), run against
// each implementation: whatever the storage layout, the routes a request
// gets through `forHost` are the routes of the table that was stored.
import { describe, expect, it } from 'vitest';
import { selectRoute } from '../../../src/match/select.ts';
import type { TableStore } from '../../../src/store/store.ts';
import type { Table } from '../../../src/table/schema.ts';
import { exact, prefix, router, stringPrefix, table } from '../../table-builders.ts';

export interface TableStoreImplementation {
  /** A store serving `table` (stored the way the implementation reads it). */
  readonly open: (table: Table) => Promise<TableStore>;
}

/** Exact, wildcard and host-less rules, a priority route, a scheme-limited route and a default backend. */
function contractTable(): Table {
  return table({
    routers: [
      router('shop.example.com', prefix('/'), 'shop', { id: 'shop/site#0.0' }),
      router('shop.example.com', prefix('/api'), 'api', { id: 'shop/site#0.1' }),
      router('shop.example.com', exact('/api/health'), 'health', { id: 'shop/site#0.2' }),
      router('shop.example.com', prefix('/secure'), 'secure', { id: 'shop/site#0.3', schemes: ['https'] }),
      router('*.wild.example.com', prefix('/'), 'wild', { id: 'shop/wild#0.0' }),
      router('', prefix('/maintenance'), 'maintenance', { id: 'ops/maintenance#0.0', priority: 10 }),
      router('', stringPrefix('/static'), 'static', { id: 'ops/static#0.0' }),
      ...Array.from({ length: 40 }, (_, i) => router(`h${i}.example.net`, prefix('/'), `h${i}`, { id: `fill/h${i}#0.0` })),
    ],
    defaultRouter: router('', { type: 'any' }, 'default', { id: 'ops/default#default' }),
  });
}

export function tableStoreContract(name: string, implementation: TableStoreImplementation): void {
  describe(`TableStore contract: ${name}`, () => {
    const serviceFor = async (store: TableStore, host: string, path: string, scheme: 'http' | 'https' = 'http') => {
      const lookup = await store.forHost(host);
      if (!lookup) return 'no table';
      const service = selectRoute(lookup.view, path, scheme)?.route.service;
      return service?.kind === 'servers' ? service.target?.name : service ? service.kind : '404';
    };

    it.each([
      ['shop.example.com', '/cart', 'http', 'shop'],
      ['shop.example.com', '/api/orders', 'http', 'api'],
      ['shop.example.com', '/api/health', 'http', 'health'],
      ['shop.example.com', '/secure/x', 'https', 'secure'],
      ['shop.example.com', '/secure/x', 'http', 'shop'],
      ['shop.example.com', '/maintenance/now', 'http', 'maintenance'],
      ['a.wild.example.com', '/', 'http', 'wild'],
      ['a.b.wild.example.com', '/', 'http', 'default'],
      ['other.example.org', '/static/app.js', 'http', 'static'],
      ['other.example.org', '/x', 'http', 'default'],
      ['h17.example.net', '/x', 'http', 'h17'],
    ] as const)('%s%s over %s takes %s', async (host, path, scheme, service) => {
      const store = await implementation.open(contractTable());
      expect(await serviceFor(store, host, path, scheme)).toBe(service);
    });

    it('answers every host from one table version', async () => {
      const store = await implementation.open(contractTable());
      const versions = new Set<string | undefined>();
      for (const host of ['shop.example.com', 'a.wild.example.com', 'unknown.example.org', 'h3.example.net']) versions.add((await store.forHost(host))?.version);
      expect(versions.size).toBe(1);
      expect([...versions][0]).toEqual(expect.any(String));
    });

    it('answers a host the same way on every lookup', async () => {
      const store = await implementation.open(contractTable());
      const first = await serviceFor(store, 'shop.example.com', '/api/x');
      for (let i = 0; i < 3; i++) expect(await serviceFor(store, 'shop.example.com', '/api/x')).toBe(first);
    });
  });
}
