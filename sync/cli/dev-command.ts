/**
 * `edgress dev`: the real worker on this machine, on Miniflare/workerd, with
 * the table compiled from manifests (or read from a table file) in its local
 * KV. Listens on 127.0.0.1 once the table is loaded.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { ProviderOptions } from '../../src/compile/api.ts';
import { readClientCertificates, type ClientCertificates } from '../dev/client-certs.ts';
import { detectChanges } from '../dev/input-poll.ts';
import type { DashboardState } from '../dashboard/state.ts';
import type { DevServer } from '../dev/server.ts';
import { withConnectionFlags, withStatusFlags, type ClusterFlags } from './cluster-flags.ts';
import { listenFailure, UsageError } from './exit.ts';
import { parsePort } from './parse.ts';
import { checkPortFree } from './port-check.ts';
import { providerOptions, withManifestInput, withProviderFlags } from './provider-flags.ts';
import { loadTable, printDiagnostics, type TableSourceFlags } from './table-input.ts';

interface DevFlags extends ClusterFlags {
  readonly filename: string[];
  readonly table?: string;
  readonly port: number;
  readonly host: string;
  readonly watch?: boolean;
  readonly verbose?: boolean;
  readonly wranglerConfig: string;
  readonly isolates: number;
  readonly clientCerts?: string;
  readonly inspectorPort?: number;
  readonly dashboardPort?: number;
  readonly dashboardAddress: string;
}

function isolateCount(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 16) throw new InvalidArgumentError('not a whole number 1-16');
  return parsed;
}

export function devCommand(): Command {
  const command = new Command('dev')
    .summary('serve manifests locally through the real edge worker')
    .description(
      'Runs the edge worker (same entry point and wrangler.toml bindings as a deploy) on Miniflare/workerd with the\n' +
        'compiled table in its local KV, and listens once the table is loaded. Endpoints are reached at their\n' +
        'ip:port. A request with "X-Forwarded-Proto: https" counts as HTTPS (it stands for the edge\'s TLS).\n' +
        'The client address the worker sees is the socket peer address. With --client-certs, a request presents one\n' +
        'of the listed client certificates (request.cf.tlsClientAuth) with "X-Edgress-Dev-Client-Cert: <name>".\n' +
        'With --kubeconfig (or --endpoint), the table comes from a live cluster: the sync agent runs in this\n' +
        'process, watches it and republishes within about a second of every change (and, with an ingress\n' +
        'endpoint flag, writes Ingress status as edgress sync does).',
    )
    .option('--table <file>', 'serve a compiled table file (from edgress compile -o / edgress sync --out)')
    .option('-p, --port <n>', 'port to listen on', parsePort, 8787)
    .option('--host <address>', 'address to listen on; ::1 for IPv6 clients', '127.0.0.1')
    .option('-w, --watch', 'recompile and republish when the manifest or table files change')
    .option('--verbose', "show the worker's own log lines")
    .option('--wrangler-config <file>', 'the worker configuration', 'wrangler.toml')
    .option(
      '--isolates <n>',
      'run n copies of the worker as separate isolates sharing the KV namespace and Durable Objects; requests rotate over them',
      isolateCount,
      1,
    )
    .option('--inspector-port <n>', "expose the worker's V8 inspector (Chrome DevTools, heap usage) on this port of 127.0.0.1", parsePort)
    .option('--dashboard-port <n>', 'serve the read-only dashboard and its API (Traefik 1.7 shapes) with the statistics of the requests served', parsePort)
    .option('--dashboard-address <address>', 'address for --dashboard-port', '127.0.0.1')
    .option('--client-certs <file.json>', 'client certificates requests may present with X-Edgress-Dev-Client-Cert: <name> (name → tlsClientAuth fields)');
  withStatusFlags(withConnectionFlags(withProviderFlags(withManifestInput(command))));
  return command.action(async (flags: DevFlags) => {
    const cluster = flags.kubeconfig !== undefined || flags.endpoint !== undefined;
    if ([flags.filename.length > 0, flags.table !== undefined, cluster].filter(Boolean).length !== 1) {
      command.error('error: give one of manifests (-f <file|dir>), a table (--table <file>) or a cluster (--kubeconfig <file>)', { exitCode: 2 });
    }
    const clientCertificates = flags.clientCerts === undefined ? undefined : await readCertificates(command, flags.clientCerts);
    if (!existsSync(flags.wranglerConfig)) throw new UsageError(`--wrangler-config ${flags.wranglerConfig}: no such file (run edgress dev in the repository, or name the worker's wrangler.toml)`);
    await checkPortFree(flags.host, flags.port, '--port');
    await checkPortFree('127.0.0.1', flags.inspectorPort, '--inspector-port');
    if (flags.dashboardPort !== undefined) await checkPortFree(flags.dashboardAddress, flags.dashboardPort, '--dashboard-port');
    const { devDashboard } = await import('../dev/server.ts');
    const dashboard = flags.dashboardPort === undefined ? undefined : devDashboard(flags.dashboardPort, flags.dashboardAddress);
    const server = {
      host: flags.host, port: flags.port, wranglerConfig: flags.wranglerConfig, verbose: flags.verbose === true,
      isolates: flags.isolates, clientCertificates, inspectorPort: flags.inspectorPort, ...(dashboard ? { dashboard } : {}),
    };
    // Miniflare and the Kubernetes client load only when a server starts, so --help and compile stay quick.
    if (cluster) return (await import('./dev-cluster.ts')).serveCluster(flags, command, server);
    const source: TableSourceFlags = flags.table !== undefined ? { table: flags.table } : { filename: flags.filename };
    const options = providerOptions(flags);
    const input = await loadTable(source, options);
    for (const line of input.fatal) process.stderr.write(`error: ${line}\n`);
    if (!input.table) process.exit(2);
    printDiagnostics(input, (line) => process.stderr.write(line + '\n'));
    dashboard?.state.compiled({ table: input.table, diagnostics: input.diagnostics });
    const { startDevServer } = await import('../dev/server.ts');
    const devServer = await startDevServer(server, input.table).catch((error: unknown) => {
      throw listenFailure(error, '--port') ?? error;
    });
    const watched = flags.table !== undefined ? [flags.table] : flags.filename;
    const watchers = flags.watch ? await watchInputs(watched, () => void republish(devServer, source, options, dashboard?.state)) : [];
    process.stdout.write(`edgress dev: serving ${input.table.routers.length} routes on ${devServer.url.origin}\n`);
    if (devServer.dashboardUrl) process.stdout.write(`edgress dev: dashboard on ${devServer.dashboardUrl.origin}\n`);
    const stop = async () => {
      for (const watcher of watchers) watcher.close();
      await devServer.close();
      process.exit(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function readCertificates(command: Command, path: string): Promise<ClientCertificates> {
  try {
    return await readClientCertificates(path);
  } catch (error) {
    return command.error(`error: --client-certs: ${error instanceof Error ? error.message : String(error)}`, { exitCode: 2 });
  }
}

let republishing = Promise.resolve();

function republish(server: DevServer, source: TableSourceFlags, options: ProviderOptions, dashboard: DashboardState | undefined): Promise<void> {
  // One reload at a time, in the order changes were seen.
  republishing = republishing.then(async () => {
    const input = await loadTable(source, options);
    for (const line of input.fatal) process.stderr.write(`error: ${line} (still serving the previous table)\n`);
    if (!input.table) return;
    printDiagnostics(input, (line) => process.stderr.write(line + '\n'));
    dashboard?.compiled({ table: input.table, diagnostics: input.diagnostics });
    const outcome = await server.publisher.publish(input.table);
    if (outcome.changed) process.stdout.write(`edgress dev: reloaded, ${input.table.routers.length} routes (table ${outcome.version.slice(0, 12)})\n`);
  });
  return republishing;
}

/**
 * Watches each input: a directory recursively, a file through its directory
 * (editors often replace files by renaming, which a file watch would miss);
 * a poll of the inputs catches what the watchers miss. Both only ask the one
 * change detector (`../dev/input-poll.ts`), which reports each change once.
 */
async function watchInputs(inputs: readonly string[], onChange: () => void): Promise<FSWatcher[]> {
  const changes = detectChanges(inputs, onChange);
  let timer: NodeJS.Timeout | undefined;
  const debounced = () => {
    clearTimeout(timer);
    timer = setTimeout(() => changes.check(), 100);
  };
  const directories = new Set<string>();
  for (const input of inputs) {
    const isDirectory = await stat(input).then((info) => info.isDirectory(), () => false);
    directories.add(isDirectory ? input : dirname(input));
  }
  changes.poll(1_000);
  return [...directories].map((directory) => watch(directory, { recursive: true }, debounced));
}
