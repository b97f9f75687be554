import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { removal, isMassRemoval, routeKeys } from './guard.ts';
import type { Table } from '../../src/table/schema.ts';

describe('mass-removal guard', () => {
  const table = (...hosts: string[]): Table => ({
    schema: 1,
    routers: hosts.map((host, i) => ({ id: `r${i}`, source: `ns/${host}`, host, match: { type: 'prefix', path: '/' }, priority: 0, middlewares: [], service: 's', passHostHeader: true })),
    middlewares: {},
    services: {},
  });

  it('counts routes by host and path, not by Ingress', () => {
    expect(removal(table('a', 'b', 'c', 'd'), table('a', 'b'))).toEqual({ removed: 2, share: 0.5 });
    expect(removal(undefined, table())).toEqual({ removed: 0, share: 0 });
    expect(isMassRemoval(table('a', 'b', 'c', 'd'), table('a'), 0.5)).toBe(true);
    expect(isMassRemoval(table('a', 'b', 'c', 'd'), table('a', 'b'), 0.5)).toBe(false);
  });

  it('never calls removing a single route a mass removal', () => {
    expect(isMassRemoval(table('a'), table(), 0.5)).toBe(false);
    expect(isMassRemoval(table('a', 'b'), table(), 0.5)).toBe(true);
  });

  it('counts what a key-by-key comparison counts, whichever routers the tables share', () => {
    const pool = table('a', 'b', 'c', 'd', 'a', 'e', 'f').routers;
    const pick = fc.array(fc.nat(pool.length - 1), { maxLength: 8 });
    const withDefault = fc.boolean();
    const of = (indexes: number[], hasDefault: boolean): Table => ({ ...table(), routers: indexes.map((i) => pool[i]!), ...(hasDefault ? { defaultRouter: pool[0]! } : {}) });
    fc.assert(fc.property(pick, withDefault, pick, withDefault, (a, da, b, db) => {
      const [before, after] = [of(a, da), of(b, db)];
      const keys = routeKeys(before);
      const removed = [...keys].filter((key) => !routeKeys(after).has(key)).length;
      expect(removal(before, after)).toEqual({ removed, share: keys.size === 0 || removed === 0 ? 0 : removed / keys.size });
    }));
  });
});
