/**
 * `edgress sync`: the in-cluster agent. Watches Ingresses, Services,
 * EndpointSlices (or Endpoints), Secrets and IngressClasses, compiles on
 * every change and publishes the table; `--once` lists, compiles, publishes
 * and exits (for a CronJob).
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';
import { MIN_PUBLISH_INTERVAL_MS, SyncAgent, type AgentSettings } from '../agent/agent.ts';
import { startHealthServer } from '../agent/health-server.ts';
import { KubeClient } from '../common/kube/client.ts';
import { inCluster, loadKubeConfig, type Connection } from '../common/kube/connect.ts';
import { kubeWriters } from '../common/kube/writers.ts';
import { DEFAULT_MAX_REMOVAL_SHARE } from '../agent/guard.ts';
import { jsonLogger, type Logger } from '../common/log.ts';
import type { CycleOutcome, EdgeReconcile } from '../agent/publish-cycle.ts';
import { resolveClusterSettings, withConnectionFlags, withStatusFlags, withThrottleFlag, type ClusterFlags, type ClusterSettings } from './cluster-flags.ts';
import { parsePort, parseShare } from './parse.ts';
import { describeFailure, EXIT, listenFailure } from './exit.ts';
import { checkPortFree } from './port-check.ts';
import { helpSections, type HelpSection } from './help-format.ts';
import { withProviderFlags } from './provider-flags.ts';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import { connectFromEnvironment, CREDENTIALS_HELP, withKvFlags, withRetentionFlags, type KvFlags, type RetentionFlags } from './cloudflare-flags.ts';
import { UsageError } from './exit.ts';
import { NO_TARGET_MESSAGE, publishTarget, type PublishTarget } from './publish-target.ts';
import { EDGE_HELP, EDGE_HELP_NOTES, resolveEdgeSettings, withEdgeFlags, type EdgeFlags } from './edge-flags.ts';
import type { CloudflareApi } from '../publish/cloudflare/client.ts';
import type { EdgeHostsSettings } from '../edge-hosts/model.ts';
import { systemClock } from '../common/clock.ts';
import { parseDuration } from '../common/duration.ts';
import { startDashboardServer } from '../dashboard/server.ts';
import { DashboardState, type EdgeHostsSource } from '../dashboard/state.ts';
import { AgentMetrics } from '../agent/metrics.ts';
import { DEFAULT_REFRESH_MS, EdgeStatsReader } from '../stats/edge-reader.ts';
import { EdgeStatsMetrics } from '../stats/metrics.ts';
import { emptySnapshot } from '../stats/snapshot.ts';
import { DATASET_PATTERN, QUERIES_PER_REFRESH } from '../stats/sql.ts';
import { STATS_DATASET } from '../../src/stats/layout.ts';

interface SyncFlags extends ClusterFlags, KvFlags, RetentionFlags, EdgeFlags {
  readonly once?: boolean;
  readonly out?: string;
  readonly metricsPort?: number;
  readonly metricsAddress: string;
  readonly leaderElect?: boolean;
  readonly leaseName: string;
  readonly leaseNamespace?: string;
  readonly maxRemovalShare: number;
  readonly allowMassRemoval?: boolean;
  readonly dashboardPort?: number;
  readonly dashboardAddress: string;
  readonly statsDataset: string;
  readonly statsRefresh: number;
  readonly edgeStats: boolean;
}

/** Exit statuses of `edgress sync`. */
export const SYNC_EXIT = EXIT;

const HELP: readonly HelpSection[] = [
  {
    title: 'Exit status:',
    items: [
      ['0', '--once: published (or the table was already in force); otherwise: stopped by SIGTERM or SIGINT after the publish in flight finished'],
      ['1', '--once: could not list every watched resource, or could not publish (the table in force stays), or (with --edge-hosts) the table was published but an edge change failed (retried next run); any mode: the table in force at --kv-namespace-id could not be read, or the --metrics-port is in use'],
      ['2', 'usage or configuration error: bad flags, unreadable or invalid --config, unknown [kubernetes] key, no publish target, no directory for --out, no Cloudflare credentials, no kubeconfig and not in a cluster'],
      ['3', '--once: the new table would remove more than --max-removal-share of the routes; held back'],
    ],
  },
  {
    title: 'Connection:',
    paragraphs: [
      '--kubeconfig if given; else in-cluster (service-account token and CA) when KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are set ' +
        '(--endpoint then only replaces the address); else --endpoint with --token and --cert-auth-file-path; else $KUBECONFIG or ~/.kube/config, as kubectl. ' +
        'With none of these, edgress sync stops with exit status 2.',
      'Logs are JSON, one object per line, on stderr.',
    ],
  },
  {
    title: 'Workers KV (--kv-namespace-id):',
    paragraphs: [
      'Values are written in bulk, content-addressed values first and the pointer edgress/current last, so a failed publish leaves the table in force complete. ' +
        'API calls stay within 1,000 requests per 5 minutes and are retried with backoff on 429 and 5xx. The last --keep-tables tables, and any replaced ' +
        'less than --gc-grace ago, are kept for edgress rollback; older values are deleted (at most every 10 minutes).',
    ],
  },
  CREDENTIALS_HELP,
  EDGE_HELP,
  EDGE_HELP_NOTES,
];

export function syncCommand(): Command {
  const command = new Command('sync')
    .summary('watch a cluster and publish its routing table')
    .description(
      'Watches Ingresses (networking.k8s.io/v1), Services, EndpointSlices (Endpoints where slices are unavailable), ' +
        'Secrets and IngressClasses, and publishes the compiled routing table whenever it changes. Nothing is ' +
        'published before every watch has synced, nor while a list is failing; a table that would remove too many ' +
        'routes at once is held back. With an ingress endpoint, served Ingresses get status.loadBalancer; compile ' +
        'problems become Warning Events on the objects concerned.',
    )
    .option('--once', 'list, compile, publish and exit (for a CronJob)')
    .option('--out <file>', 'publish the table as JSON to this file, written atomically (instead of --kv-namespace-id)')
    .option('--metrics-port <n>', 'serve /healthz, /readyz and Prometheus /metrics on this port', parsePort)
    .option('--metrics-address <address>', 'address for --metrics-port', '0.0.0.0')
    .option('--leader-elect', 'only the holder of a coordination.k8s.io Lease publishes and writes status (default: on in a cluster)')
    .option('--no-leader-elect', 'publish from this replica without leader election')
    .option('--lease-name <name>', 'name of the leader Lease', 'edgress-sync')
    .option('--lease-namespace <namespace>', "namespace of the leader Lease (default: the agent's own, else default)")
    .option('--max-removal-share <share>', 'hold back a table that removes more than this share of the routes (0-1 or %)', parseShare, DEFAULT_MAX_REMOVAL_SHARE)
    .option('--allow-mass-removal', 'publish even a table that removes more than --max-removal-share of the routes')
    .option('--dashboard-port <n>', 'serve the read-only dashboard and its API (Traefik 1.7 shapes) on this port; reach it with kubectl port-forward', parsePort)
    .option('--dashboard-address <address>', 'address for --dashboard-port (loopback: only kubectl port-forward reaches it)', '127.0.0.1')
    .option('--stats-dataset <name>', 'the Workers Analytics Engine dataset the worker writes (wrangler.toml: [[analytics_engine_datasets]] binding "STATS")', datasetName, STATS_DATASET)
    .addOption(
      new Option('--stats-refresh <duration>', `how often to read the edge statistics (${QUERIES_PER_REFRESH} SQL queries each: every 60s is ${QUERIES_PER_REFRESH * 1440} a day, within the free plan's 10,000)`)
        .argParser(refreshMs)
        .default(DEFAULT_REFRESH_MS, '60s'),
    )
    .option('--no-edge-stats', 'do not read edge statistics (otherwise read with the Cloudflare credentials when --dashboard-port or --metrics-port is set)');
  withEdgeFlags(withRetentionFlags(withKvFlags(command)));
  withStatusFlags(withThrottleFlag(withProviderFlags(withConnectionFlags(command))));
  command.addHelpText('after', helpSections(HELP));
  return command.action((flags: SyncFlags) => runSync(flags, command));
}

async function runSync(flags: SyncFlags, command: Command): Promise<void> {
  const log = jsonLogger((line) => process.stderr.write(line));
  const usage = (message: string): never => command.error(message.startsWith('error:') ? message : `error: ${message}`, { exitCode: SYNC_EXIT.usage });
  const settings = await resolveClusterSettings(flags, (name) => command.getOptionValueSource(name) === 'cli').catch((error: Error) => usage(error.message));
  for (const warning of settings.warnings) log.warn('config-ignored', { message: warning });
  if (!flags.once) await checkPortFree(flags.metricsAddress, flags.metricsPort, '--metrics-port');
  if (!flags.once) await checkPortFree(flags.dashboardAddress, flags.dashboardPort, '--dashboard-port');
  const given = (name: string) => command.getOptionValueSource(name) === 'cli';
  let edge: { settings?: EdgeHostsSettings; dryRun: boolean };
  try {
    edge = resolveEdgeSettings(flags, settings.file, given);
  } catch (error) {
    return usage(error instanceof Error ? error.message : String(error));
  }
  const print = (line: string) => process.stdout.write(line + '\n');
  const api = edge.settings ? await connectFromEnvironment(flags, log).catch((error: Error) => usage(error.message)) : undefined;
  const target = await resolveTarget(flags, log, usage, { ...(edge.dryRun ? { dryRun: { print } } : {}), ...(api ? { api } : {}) });
  let connection: Connection;
  try {
    connection = loadKubeConfig(settings.connection);
  } catch (error) {
    return usage(`cannot connect: ${describeFailure(error)}`);
  }
  log.info('starting', { mode: flags.once ? 'once' : 'watch', connection: connection.mode, server: connection.config.getCurrentCluster()?.server, target: target.description, edgeHosts: edge.settings?.mode ?? 'off', dryRun: edge.dryRun });
  const reconciler = edge.settings && api ? await edgeReconciler(api, edge.settings, flags, log, edge.dryRun ? print : undefined) : undefined;
  const metrics = new AgentMetrics();
  const observed = await observeAgent(flags, metrics, log, reconciler && edge.settings ? { mode: edge.settings.mode, source: reconciler } : undefined);
  const agent = makeAgent(flags, settings, connection, { ...target, publisher: observed.state.observePublisher(target.publisher) }, log, observed.state, metrics, { edge: reconciler, dryRun: edge.dryRun });
  if (flags.once) {
    const outcome = await agent.runOnce();
    log.info('done', { outcome: outcome.kind });
    process.exit(exitStatus(outcome));
  }
  const health =
    flags.metricsPort !== undefined
      ? await startHealthServer({ port: flags.metricsPort, host: flags.metricsAddress }, agent).catch((error: unknown) => {
          throw listenFailure(error, '--metrics-port') ?? error;
        })
      : undefined;
  const dashboard = flags.dashboardPort !== undefined
    ? await startDashboardServer({ port: flags.dashboardPort, host: flags.dashboardAddress }, observed.state).catch((error: unknown) => {
        throw listenFailure(error, '--dashboard-port') ?? error;
      })
    : undefined;
  if (dashboard) log.info('dashboard', { url: dashboard.url.origin, statistics: observed.stats ? 'analytics-engine' : 'none' });
  observed.stats?.start();
  agent.start();
  const stop = async (signal: string) => {
    log.info('stopping', { signal });
    await agent.stop();
    await observed.stats?.stop();
    await dashboard?.close();
    await health?.close();
    process.exit(SYNC_EXIT.ok);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

async function resolveTarget(flags: SyncFlags, log: Logger, usage: (message: string) => never, context: { dryRun?: { print: (line: string) => void }; api?: CloudflareApi }): Promise<PublishTarget> {
  let target: PublishTarget | undefined;
  try {
    target = await publishTarget(flags, { log, ...context });
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    log.error('target-unreadable', { error: describeApiError(error), hint: 'cannot tell what the table in force holds; nothing is published' });
    return process.exit(SYNC_EXIT.failed);
  }
  return target ?? usage(NO_TARGET_MESSAGE);
}

/** The edge-hosts reconciler, on the API connection the KV publisher shares (one request budget); loaded only when asked for. */
async function edgeReconciler(api: CloudflareApi, settings: EdgeHostsSettings, flags: SyncFlags, log: Logger, print: ((line: string) => void) | undefined): Promise<EdgeReconcile & { readonly reports: EdgeHostsSource['reports'] }> {
  const { EdgeHostsReconciler } = await import('../edge-hosts/reconciler.ts');
  const { CloudflareEdgeApi } = await import('../edge-hosts/cloudflare-edge-api.ts');
  return new EdgeHostsReconciler({
    api: new CloudflareEdgeApi(api),
    settings,
    clock: systemClock,
    log,
    maxRemovalShare: flags.maxRemovalShare,
    allowMassRemoval: flags.allowMassRemoval === true,
    ...(print ? { dryRun: { print } } : {}),
  });
}


/**
 * The dashboard's state (compiles and publishes observed) and, when asked
 * for a dashboard or metrics and credentials are there, the edge statistics.
 */
async function observeAgent(
  flags: SyncFlags, metrics: AgentMetrics, log: Logger, edgeHosts: { mode: string; source: { readonly reports: EdgeHostsSource['reports'] } } | undefined,
): Promise<{ state: DashboardState; stats: EdgeStatsReader | undefined }> {
  const wanted = flags.edgeStats && !flags.once && (flags.dashboardPort !== undefined || flags.metricsPort !== undefined);
  // The Cloudflare client module loads only for the commands that use it.
  const credentials = (await import('../publish/cloudflare/client.ts')).cloudflareCredentials(process.env);
  let stats: EdgeStatsReader | undefined;
  if (wanted && credentials.ok) {
    stats = new EdgeStatsReader({
      accountId: credentials.value.accountId,
      apiToken: credentials.value.apiToken,
      dataset: flags.statsDataset,
      refreshMs: flags.statsRefresh,
      metrics: new EdgeStatsMetrics(metrics.registry),
      ...(flags.cloudflareApiUrl ? { apiBase: flags.cloudflareApiUrl } : {}),
    });
  } else if (wanted) log.info('edge-stats-off', { reason: 'no Cloudflare credentials (CLOUDFLARE_API_TOKEN with Account Analytics: Read, CLOUDFLARE_ACCOUNT_ID)' });
  const source = stats ?? { snapshot: () => emptySnapshot('none', flags.edgeStats ? 'no Cloudflare credentials to read edge statistics with' : 'turned off (--no-edge-stats)') };
  const rollbackTarget = flags.kvNamespaceId ? `--kv-namespace-id ${flags.kvNamespaceId}` : undefined;
  const edgeView: EdgeHostsSource | undefined = edgeHosts && { mode: edgeHosts.mode, get reports() { return edgeHosts.source.reports; } };
  return { state: new DashboardState({ mode: 'agent', stats: source, ...(rollbackTarget ? { rollbackTarget } : {}), ...(edgeView ? { edgeHosts: edgeView } : {}) }), stats };
}

function datasetName(value: string): string {
  if (!DATASET_PATTERN.test(value)) throw new InvalidArgumentError('not a dataset name (letters, digits, _)');
  return value;
}

function refreshMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 10_000) throw new InvalidArgumentError('not a duration of at least 10s (e.g. 60s, 2m)');
  return ms;
}

function makeAgent(
  flags: SyncFlags, settings: ClusterSettings, connection: Connection, target: PublishTarget, log: Logger,
  dashboard: DashboardState, metrics: AgentMetrics, extra: { edge?: EdgeReconcile; dryRun: boolean },
): SyncAgent {
  const leaderElect = !flags.once && (flags.leaderElect ?? inCluster());
  const agentSettings: AgentSettings = {
    provider: settings.provider,
    ingressEndpoint: settings.ingressEndpoint,
    maxRemovalShare: flags.maxRemovalShare,
    allowMassRemoval: flags.allowMassRemoval === true,
    baseline: target.baseline,
    minPublishIntervalMs: Math.max(MIN_PUBLISH_INTERVAL_MS, settings.throttleMs),
    leaderElection: leaderElect
      ? { namespace: flags.leaseNamespace ?? connection.namespace ?? 'default', name: flags.leaseName, identity: `${hostname()}_${randomUUID().slice(0, 8)}` }
      : undefined,
  };
  // A dry run writes nothing to the cluster either (no status, Events or Lease).
  const writers = extra.dryRun ? undefined : kubeWriters(connection.config);
  const deps = {
    client: new KubeClient(connection.config), writers, publisher: target.publisher, log, edge: extra.edge,
    compiler: dashboard.observeCompiler(createIncrementalCompiler), metrics,
  };
  return new SyncAgent(agentSettings, deps);
}

export function exitStatus(outcome: CycleOutcome): number {
  if (outcome.kind === 'published' || outcome.kind === 'unchanged') return outcome.edgeFailed ? SYNC_EXIT.failed : SYNC_EXIT.ok;
  if (outcome.kind === 'held') return SYNC_EXIT.held;
  return SYNC_EXIT.failed;
}
