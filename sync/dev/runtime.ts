/**
 * Runs the worker bundle in workerd through Miniflare 4 (pinned: later
 * Miniflare majors change these options). The worker gets its own socket
 * (`unsafeDirectSockets`), so requests skip Miniflare's entry worker; the
 * bindings are those of `wrangler.toml`, with dev-only vars over them.
 *
 * @example
 * ```ts
 * const runtime = await startWorkerRuntime({ config, script, vars: { TRANSPORT: 'dev-relay' } });
 * const kv = await runtime.kv('TABLE');
 * ```
 */
import { Log, LogLevel, Miniflare } from 'miniflare';
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
}

export interface WorkerRuntime {
  /** The worker's socket. */
  readonly url: URL;
  kv(binding: string): Promise<{ put(key: string, value: string): Promise<unknown>; get(key: string): Promise<string | null> }>;
  dispose(): Promise<void>;
}

export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const { config } = options;
  const miniflare = new Miniflare({
    name: config.name,
    modules: true,
    script: options.script,
    scriptPath: config.main,
    compatibilityDate: config.compatibilityDate,
    compatibilityFlags: [...config.compatibilityFlags],
    kvNamespaces: Object.fromEntries(config.kvBindings.map((binding) => [binding, `edgress-dev-${binding}`])),
    durableObjects: { ...config.durableObjects },
    bindings: { ...config.vars, ...options.vars },
    serviceBindings: options.relayAddress ? { DEV_RELAY: { external: { address: options.relayAddress, http: {} } } } : {},
    // The front builds each request's cf object; this only stops Miniflare fetching one from the network.
    cf: { colo: 'DEV' },
    host: '127.0.0.1',
    port: 0,
    unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }],
    log: new Log(options.verbose ? LogLevel.INFO : LogLevel.WARN),
    handleRuntimeStdio: options.verbose ? undefined : () => {},
  });
  await miniflare.ready;
  const url = await miniflare.unsafeGetDirectURL();
  return {
    url,
    kv: async (binding) => {
      const namespace = await miniflare.getKVNamespace(binding);
      return { put: (key, value) => namespace.put(key, value), get: (key) => namespace.get(key) };
    },
    dispose: () => miniflare.dispose(),
  };
}
