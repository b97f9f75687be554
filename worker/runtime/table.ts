/**
 * The isolate's routing table: one `ShardedTableStore` per KV binding, in
 * module scope, built on the first request from `env.TABLE`, so the parsed
 * and indexed shards serve every later request of the isolate. (A
 * deployment has one binding; tests that bind another KV get a cold store.)
 *
 * Every KV read is bounded by `TABLE_READ_TIMEOUT_MS`: a read that hangs
 * counts as failed, so a slow or failing KV costs a request at most that
 * long, after which the last good table is served (or, on a cold isolate,
 * 503 "no routing table is loaded"), and the fault is logged.
 */
import { POINTER_KEY } from '../../src/storage/layout.ts';
import { ShardedTableStore, type KeyValueReader, type StoreEvent } from '../../src/store/sharded-store.ts';
import type { TableStore } from '../../src/store/store.ts';
import { log, type LogLevel } from '../base/log.ts';
import type { Settings } from '../base/settings.ts';

export const KV_CACHE_TTL_SECONDS = {
  /** The pointer moves on every publication; 30 s is KV's minimum edge cache. */
  pointer: 30,
  /** Every other value is content-addressed, so it never changes under its key. */
  value: 365 * 24 * 3600,
} as const;

const stores = new WeakMap<KVNamespace, ShardedTableStore>();

export function tableStore(kv: KVNamespace, settings: Settings): TableStore {
  let store = stores.get(kv);
  if (!store) {
    store = new ShardedTableStore(kvReader(kv, settings.tableReadTimeoutMs), { refreshMs: settings.tableRefreshMs, onEvent: logStoreEvent });
    stores.set(kv, store);
  }
  return store;
}

export function kvReader(kv: KVNamespace, timeoutMs: number): KeyValueReader {
  return {
    get: (key) =>
      withTimeout(
        kv.get(key, { type: 'text', cacheTtl: key === POINTER_KEY ? KV_CACHE_TTL_SECONDS.pointer : KV_CACHE_TTL_SECONDS.value }),
        timeoutMs,
        `KV read of ${key} took longer than ${timeoutMs} ms`,
      ),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const EVENT_LEVEL: Readonly<Record<StoreEvent['type'], LogLevel>> = {
  'table-loaded': 'info',
  'pointer-missing': 'warn',
  'unsupported-schema': 'error',
  'read-failed': 'error',
  'invalid-value': 'error',
};

/**
 * An isolate's first load is not logged: every cold isolate in every colo
 * makes one, so the line says nothing an operator can act on, and the
 * isolate's first `console.log` costs about 4 ms of CPU (workerd sets up its
 * log formatting), a third of a cold request's own work
 * (docs/measurements/performance.md, "Third round"). A newer version picked
 * up by a running isolate is logged, with the one it replaces.
 */
function logStoreEvent(event: StoreEvent): void {
  if (event.type === 'table-loaded' && event.previous === undefined) return;
  const { type, ...fields } = event;
  log({ level: EVENT_LEVEL[type], event: type, source: 'table-store', ...fields });
}
