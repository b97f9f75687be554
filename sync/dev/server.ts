/**
 * `edgress dev`'s moving parts, started in order so the port only accepts
 * connections once the worker can route: relay → worker in workerd → table
 * published into its local KV → the front socket on `host:port`.
 *
 * @example
 * ```ts
 * const server = await startDevServer({ host: '127.0.0.1', port: 8787, wranglerConfig: 'wrangler.toml' }, table);
 * await server.publisher.publish(nextTable);
 * ```
 */
import type { Table } from '../../src/table/schema.ts';
import { DashboardState } from '../dashboard/state.ts';
import { startDashboardServer } from '../dashboard/server.ts';
import { KvBindingPublisher } from '../publish/kv-binding-publisher.ts';
import { LocalStatsRecorder } from '../stats/local-recorder.ts';
import type { Publisher } from '../publish/publisher.ts';
import { bundleWorker } from './bundle.ts';
import type { ClientCertificates } from './client-certs.ts';
import { startFront } from './front.ts';
import { startRelay } from './relay.ts';
import { startWorkerRuntime } from './runtime.ts';
import { readWranglerConfig } from './wrangler-config.ts';

export interface DevServerOptions {
  readonly host: string;
  readonly port: number;
  readonly wranglerConfig: string;
  readonly verbose?: boolean;
  /** Run this many copies of the worker (separate isolates sharing KV and Durable Objects); default 1. */
  readonly isolates?: number;
  /** Certificates clients may present (`--client-certs`). */
  readonly clientCertificates?: ClientCertificates;
  /** Expose the workers' V8 inspector on this port (`--inspector-port`). */
  readonly inspectorPort?: number;
  /** Serve the dashboard (`--dashboard-port`) with the statistics of the requests served. */
  readonly dashboard?: DevDashboard;
}

/** The dashboard of a dev server: its state (compiles are reported to it) and where it listens. */
export interface DevDashboard {
  readonly port: number;
  readonly host: string;
  readonly state: DashboardState;
  readonly recorder: LocalStatsRecorder;
}

export function devDashboard(port: number, host: string): DevDashboard {
  const recorder = new LocalStatsRecorder();
  return { port, host, recorder, state: new DashboardState({ mode: 'dev', stats: recorder }) };
}

export interface DevServer {
  readonly url: URL;
  readonly publisher: Publisher;
  /** The dashboard's address, with `dashboard`. */
  readonly dashboardUrl?: URL;
  close(): Promise<void>;
}

/** Vars that make the worker behave as `edgress dev` documents. */
export const DEV_VARS = {
  TRANSPORT: 'dev-relay',
  TRUST_FORWARDED_PROTO: 'true',
  // Table changes reach the worker within a fraction of a second.
  TABLE_REFRESH_MS: '100',
} as const;

export async function startDevServer(options: DevServerOptions, table: Table): Promise<DevServer> {
  const config = await readWranglerConfig(options.wranglerConfig);
  const script = await bundleWorker(config.main);
  const relay = await startRelay();
  const closers: (() => Promise<void>)[] = [() => relay.close()];
  try {
    const dashboard = options.dashboard;
    const runtime = await startWorkerRuntime({
      config, script, vars: DEV_VARS, relayAddress: relay.address, verbose: options.verbose, isolates: options.isolates, inspectorPort: options.inspectorPort,
      ...(dashboard ? { recordStats: (point: unknown) => void dashboard.recorder.record(point) } : {}),
    });
    closers.unshift(() => runtime.dispose());
    const binding = config.kvBindings.includes('TABLE') ? 'TABLE' : config.kvBindings[0];
    if (!binding) throw new Error(`${options.wranglerConfig} declares no KV namespace for the routing table`);
    const kv: Publisher = new KvBindingPublisher(await runtime.kv(binding));
    const publisher = dashboard ? dashboard.state.observePublisher(kv) : kv;
    await publisher.publish(table);
    const front = await startFront({ host: options.host, port: options.port, worker: runtime.urls, clientCertificates: options.clientCertificates });
    closers.unshift(() => front.close());
    let dashboardUrl: URL | undefined;
    if (dashboard) {
      const served = await startDashboardServer({ port: dashboard.port, host: dashboard.host }, dashboard.state);
      closers.unshift(() => served.close());
      dashboardUrl = served.url;
    }
    return { url: front.url, publisher, ...(dashboardUrl ? { dashboardUrl } : {}), close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<void> {
  for (const close of closers) await close().catch(() => {});
}
