/**
 * Runs the worker bundle in workerd through Miniflare 4 (pinned: later
 * Miniflare majors change these options). The worker gets its own socket
 * (`unsafeDirectSockets`), so requests skip Miniflare's entry worker; the
 * bindings are those of `wrangler.toml`, with dev-only vars over them.
 *
 * With `isolates: n > 1` the same bundle runs as n separate workers (each its
 * own V8 isolate, with its own module state: tables, round-robin and breaker
 * state, per-isolate limits), all bound to one KV namespace and to the
 * Durable Object classes of the first, as the isolates of one deployment
 * share the objects of its namespace. Each has its own socket.
 *
 * @example
 * ```ts
 * const runtime = await startWorkerRuntime({ config, script, vars: { TRANSPORT: 'dev-relay' } });
 * const kv = await runtime.kv('TABLE');
 * ```
 */
import type { Readable } from 'node:stream';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { statsRecorderWorker, statsServiceBinding } from './stats-binding.ts';
import type { WranglerConfig } from './wrangler-config.ts';

export interface WorkerRuntimeOptions {
  readonly config: WranglerConfig;
  readonly script: string;
  /** Vars set over those of `wrangler.toml`. */
  readonly vars?: Readonly<Record<string, string>>;
  /** `host:port` of the dev relay, bound as `DEV_RELAY`. */
  readonly relayAddress?: string;
  /** Show the worker's own log lines (structured JSON) on stderr. */
  readonly verbose?: boolean;
  /** How many copies of the worker to run (default 1). */
  readonly isolates?: number;
  /** Expose the V8 inspector on this port of 127.0.0.1 (targets `core:user:<worker name>`). */
  readonly inspectorPort?: number;
  /** Record the worker's statistics data points (binds `STATS`, `./stats-binding.ts`); unset: no `STATS`, nothing written. */
  readonly recordStats?: (point: unknown) => void;
}

export interface WorkerRuntime {
  /** The (first) worker's socket. */
  readonly url: URL;
  /** Every copy's socket, the first included. */
  readonly urls: readonly URL[];
  kv(binding: string): Promise<{ put(key: string, value: string): Promise<unknown>; get(key: string): Promise<string | null> }>;
  dispose(): Promise<void>;
}

export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { config } = options;
  const names = Array.from({ length: Math.max(1, options.isolates ?? 1) }, (_, i) => (i === 0 ? config.name : `${config.name}-isolate-${i}`));
  const worker = (name: string) => ({
    name,
    modules: true,
    script: options.script,
    scriptPath: config.main,
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: [...config.compatibilityFlags],
    kvNamespaces: Object.fromEntries(config.kvBindings.map((binding) => [binding, `edgress-dev-${binding}`])),
    durableObjects: Object.fromEntries(
      Object.entries(config.durableObjects).map(([binding, className]) => [
        binding,
        { className, useSQLite: config.sqliteClasses.includes(className), ...(name === config.name ? {} : { scriptName: config.name }) },
      ]),
    ),
    bindings: { ...config.vars, ...options.vars },
    serviceBindings: {
      ...(options.relayAddress ? { DEV_RELAY: { external: { address: options.relayAddress, http: {} } } } : {}),
      ...(options.recordStats ? statsServiceBinding() : {}),
    },
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
  });
  const miniflare = new Miniflare({
    workers: [...names.map(worker), ...(options.recordStats ? [statsRecorderWorker(options.recordStats, config.compatibilityDate)] : [])],
    // The front builds each request's cf object; this only stops Miniflare fetching one from the network.
    cf: { colo: 'DEV' },
    host: '127.0.0.1',
    port: 0,
    log: new Log(options.verbose ? LogLevel.INFO : LogLevel.WARN),
    handleRuntimeStdio: options.verbose ? undefined : discardRuntimeOutput,
    ...(options.inspectorPort !== undefined ? { inspectorPort: options.inspectorPort } : {}),
  });
  await miniflare.ready;
  const urls = await Promise.all(names.map((name) => miniflare.unsafeGetDirectURL(name)));
  const url = urls[0] as URL;
  return {
    url,
    urls,
    kv: async (binding) => {
      const namespace = await miniflare.getKVNamespace(binding, config.name);
      return { put: (key, value) => namespace.put(key, value), get: (key) => namespace.get(key) };
    },
    dispose: () => miniflare.dispose(),
  };
}

/**
 * Miniflare's `handleRuntimeStdio` for output nobody wants to see. Unread,
 * workerd's stdout and stderr pipes fill and workerd stops in its next write,
 * requests and all: quiet means read and dropped, never ignored.
 */
export function discardRuntimeOutput(stdout: Readable, stderr: Readable): void {
  stdout.resume();
  stderr.resume();
}
