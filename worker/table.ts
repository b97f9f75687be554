/**
 * The isolate's routing table: one `ShardedTableStore` in module scope, built
 * on the first request from `env.TABLE`, so the parsed and indexed shards
 * serve every later request of the isolate.
 */
import { POINTER_KEY } from '../src/table/layout.ts';
import { ShardedTableStore, type KeyValueReader, type StoreEvent } from '../src/table/sharded-store.ts';
import type { TableStore } from '../src/table/store.ts';
import { log, type LogLevel } from './log.ts';
import type { Settings } from './settings.ts';

export const KV_CACHE_TTL_SECONDS = {
  /** The pointer moves on every publication; 30 s is KV's minimum edge cache. */
  pointer: 30,
  /** Every other value is content-addressed, so it never changes under its key. */
  value: 365 * 24 * 3600,
} as const;

let store: ShardedTableStore | undefined;

export function tableStore(kv: KVNamespace, settings: Settings): TableStore {
  store ??= new ShardedTableStore(kvReader(kv), { refreshMs: settings.tableRefreshMs, onEvent: logStoreEvent });
  return store;
}

export function kvReader(kv: KVNamespace): KeyValueReader {
  return {
    get: (key) =>
      kv.get(key, { type: 'text', cacheTtl: key === POINTER_KEY ? KV_CACHE_TTL_SECONDS.pointer : KV_CACHE_TTL_SECONDS.value }),
  };
}

const EVENT_LEVEL: Readonly<Record<StoreEvent['type'], LogLevel>> = {
  'table-loaded': 'info',
  'pointer-missing': 'warn',
  'unsupported-schema': 'error',
  'read-failed': 'error',
  'invalid-value': 'error',
};

function logStoreEvent(event: StoreEvent): void {
  const { type, ...fields } = event;
  log({ level: EVENT_LEVEL[type], event: type, source: 'table-store', ...fields });
}
