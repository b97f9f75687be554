// The stored shard form must carry everything the worker uses: every golden
// table, encoded and decoded, resolves to the same routers, middlewares and
// services (ids and pod names aside).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TableSchema, type Service, type Table } from '../../src/table/schema.ts';
import { decodeShard, encodeShard } from '../../src/table/wire.ts';

const FIXTURES = new URL('../compile/fixtures/', import.meta.url);
const tables = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.expected.json'))
  .map((file) => [file, TableSchema.parse(JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')).table)] as const);

/** A table's meaning: each router with its references resolved, ids and pod names left out. */
function meaning(table: Table) {
  const service = (id: string): unknown => {
    const s: Service = table.services[id]!;
    return s.kind === 'weighted'
      ? { weighted: s.services.map((m) => ({ weight: m.weight, service: service(m.service) })) }
      : { ...s, servers: s.servers.map(({ address, weight }) => ({ address, weight })) };
  };
  const router = (r: Table['routers'][number]) => ({
    ...r,
    schemes: r.schemes?.length === 2 ? undefined : r.schemes,
    middlewares: r.middlewares.map((id) => table.middlewares[id]),
    service: service(r.service),
  });
  return { routers: table.routers.map(router), defaultRouter: table.defaultRouter && router(table.defaultRouter) };
}

describe('wire form of shards', () => {
  it.each(tables)('%s survives encoding', (_, table) => {
    const decoded = decodeShard(JSON.parse(encodeShard(table)));
    expect(decoded).toBeDefined();
    expect(meaning(decoded!)).toEqual(meaning(table));
  });

  it('is refused when a tuple is malformed or refers outside the shard', () => {
    const [, table] = tables.find(([, t]) => t.routers.length > 0)!;
    const wire = JSON.parse(encodeShard(table));
    expect(decodeShard({ ...wire, schema: 2 })).toBeUndefined();
    expect(decodeShard({ ...wire, groups: [['UPPER.case', 'ns/x', ['0.0', 'p', '/', 0]]] })).toBeUndefined();
    expect(decodeShard({ ...wire, groups: [['a.b', 'ns/x', ['0.0', 'p', 'no-slash', 0]]] })).toBeUndefined();
    expect(decodeShard({ ...wire, groups: [['a.b', 'ns/x', ['0.0', 'q', '/', 0]]] })).toBeUndefined();
  });
});
