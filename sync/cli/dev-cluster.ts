/**
 * `edgress dev --kubeconfig <file>`: the table comes from a live cluster.
 * The watching agent runs in this process and publishes into the dev
 * server's local KV; the dev server starts with the first synced compile,
 * so a cluster change is served within about a second.
 *
 * @example
 * ```ts
 * await serveCluster(flags, command, { host: '127.0.0.1', port: 8787, wranglerConfig: 'wrangler.toml' });
 * ```
 */
import type { Command } from 'commander';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';
import type { Table } from '../../src/table/schema.ts';
import { SyncAgent } from '../agent/agent.ts';
import { KubeClient } from '../common/kube/client.ts';
import { loadKubeConfig } from '../common/kube/connect.ts';
import { kubeWriters } from '../common/kube/writers.ts';
import { jsonLogger, type Logger } from '../common/log.ts';
import { startDevServer, type DevServer, type DevServerOptions } from '../dev/server.ts';
import type { PublishOutcome, Publisher } from '../publish/publisher.ts';
import { resolveClusterSettings, type ClusterFlags } from './cluster-flags.ts';
import { describeFailure, listenFailure } from './exit.ts';

/** Local KV has no per-key write limit: publish as soon as a batch settles. */
const DEV_MIN_PUBLISH_INTERVAL_MS = 50;

/** Starts the dev server on the first table, then publishes into its KV. */
export class DevServerPublisher implements Publisher {
  readonly #options: DevServerOptions;
  readonly #onServing: (server: DevServer, table: Table) => void;
  readonly #onStartFailed: (error: unknown) => void;
  #server: DevServer | undefined;

  /** `onStartFailed`: the dev server could not start (port taken, bad wrangler.toml); retrying would not help. */
  constructor(options: DevServerOptions, onServing: (server: DevServer, table: Table) => void, onStartFailed: (error: unknown) => void) {
    this.#options = options;
    this.#onServing = onServing;
    this.#onStartFailed = onStartFailed;
  }

  async publish(table: Table): Promise<PublishOutcome> {
    if (this.#server) {
      const outcome = await this.#server.publisher.publish(table);
      if (outcome.changed) process.stdout.write(`edgress dev: reloaded, ${table.routers.length} routes (table ${outcome.version.slice(0, 12)})\n`);
      return outcome;
    }
    try {
      this.#server = await startDevServer(this.#options, table);
    } catch (error) {
      this.#onStartFailed(error);
      throw error;
    }
    this.#onServing(this.#server, table);
    return { version: 'initial', changed: true, valuesWritten: 0 };
  }

  async close(): Promise<void> {
    await this.#server?.close();
  }
}

export async function serveCluster(flags: ClusterFlags & { verbose?: boolean }, command: Command, server: DevServerOptions): Promise<void> {
  const settings = await resolveClusterSettings(flags, (name) => command.getOptionValueSource(name) === 'cli').catch((error: Error) =>
    command.error(`error: ${error.message}`, { exitCode: 2 }),
  );
  let connection;
  try {
    connection = loadKubeConfig(settings.connection);
  } catch (error) {
    return command.error(`error: cannot connect: ${describeFailure(error)}`, { exitCode: 2 });
  }
  const log = devLogger(flags.verbose === true);
  const dashboard = server.dashboard?.state;
  const publisher = new DevServerPublisher(
    server,
    (started, table) => {
      process.stdout.write(`edgress dev: serving ${table.routers.length} routes on ${started.url.origin} (watching ${connection.config.getCurrentCluster()?.server})\n`);
      if (started.dashboardUrl) process.stdout.write(`edgress dev: dashboard on ${started.dashboardUrl.origin}\n`);
    },
    (error) => {
      process.stderr.write(`error: edgress dev could not start: ${describeFailure(listenFailure(error, '--port') ?? error)}\n`);
      process.exit(1);
    },
  );
  const agent = new SyncAgent(
    // A developer's cluster is served exactly as it is: no mass-removal guard, no leader election.
    { provider: settings.provider, ingressEndpoint: settings.ingressEndpoint, allowMassRemoval: true, minPublishIntervalMs: DEV_MIN_PUBLISH_INTERVAL_MS },
    {
      client: new KubeClient(connection.config), writers: kubeWriters(connection.config), publisher, log,
      compiler: dashboard ? dashboard.observeCompiler(createIncrementalCompiler) : createIncrementalCompiler,
    },
  );
  agent.start();
  const stop = async () => {
    await agent.stop();
    await publisher.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * Warnings and errors always (the cluster is unreachable, a list is forbidden), and the summary line
 * (Ingresses served and skipped), as `dev -f` prints it; the rest with --verbose.
 */
function devLogger(verbose: boolean): Logger {
  const json = jsonLogger((line) => process.stderr.write(line));
  const quiet = () => {};
  const info: Logger['info'] = verbose ? json.info : (event, fields) => (event === 'summary' ? json.info(event, fields) : undefined);
  return { debug: verbose ? json.debug : quiet, info, warn: json.warn, error: json.error };
}
