import { expect } from 'vitest';
import { tableStoreContract } from '../../test/unit/contracts/table-store.ts';
import { POINTER_KEY } from '../storage/layout.ts';
import { buildPublication } from '../storage/publication.ts';
import { ShardedTableStore } from './sharded-store.ts';
import { MemoryTableStore } from './store.ts';

tableStoreContract('MemoryTableStore (the whole table in memory)', {
  open: async (table) => new MemoryTableStore(table),
});

tableStoreContract('ShardedTableStore (published shards read from a key-value store)', {
  open: async (table) => {
    const publication = await buildPublication(table, { previousBucketCount: 2 });
    expect(publication.bucketCount).toBeGreaterThan(1);
    const values = new Map([...publication.values, [POINTER_KEY, publication.pointer]]);
    return new ShardedTableStore({ get: async (key) => values.get(key) ?? null }, { refreshMs: 60_000 });
  },
});
