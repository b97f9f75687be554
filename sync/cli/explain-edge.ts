/**
 * The edge part of `edgress explain`: with `--edge-hosts`, how the URL's host
 * stands at the edge (attached, conflict and why, no zone, TLS coverage),
 * read from the Cloudflare account (read-only: listings only) and planned
 * exactly as `edgress sync` would plan it.
 *
 * @example
 * ```ts
 * withExplainEdgeFlags(command);
 * const edge = await explainEdge('shop.example.com', table, flags); // { text: ['edge host: …'], report }
 * ```
 */
import { Command, Option } from 'commander';
import type { Table } from '../../src/table/schema.ts';
import { systemClock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import { EDGE_HOSTS_MODES, type EdgeHostsMode } from '../edge-hosts/model.ts';
import type { HostReport } from '../edge-hosts/plan.ts';
import { connectFromEnvironment, withCloudflareApiFlag, type CloudflareFlags } from './cloudflare-flags.ts';
import { DEFAULT_WORKER_NAME } from './edge-flags.ts';

export interface ExplainEdgeFlags extends CloudflareFlags {
  readonly edgeHosts?: EdgeHostsMode;
  readonly workerName: string;
  readonly ownerId?: string;
}

export function withExplainEdgeFlags(command: Command): Command {
  command
    .addOption(new Option('--edge-hosts <mode>', "also show the host's state at the edge, as edgress sync --edge-hosts <mode> sees it (reads the Cloudflare account; credentials as for sync)").choices(EDGE_HOSTS_MODES))
    .option('--worker-name <name>', "with --edge-hosts: the Worker's script name", DEFAULT_WORKER_NAME)
    .option('--owner-id <id>', "with --edge-hosts: the agent's --owner-id (default: --worker-name)");
  return withCloudflareApiFlag(command);
}

export async function explainEdge(host: string, table: Table, flags: ExplainEdgeFlags): Promise<{ text: string[]; report?: HostReport } | undefined> {
  if (!flags.edgeHosts || flags.edgeHosts === 'off') return undefined;
  const [{ CloudflareEdgeApi }, { EdgeHostsReconciler }, { describeReport }] = await Promise.all([
    import('../edge-hosts/cloudflare-edge-api.ts'),
    import('../edge-hosts/reconciler.ts'),
    import('../edge-hosts/describe.ts'),
  ]);
  const api = await connectFromEnvironment(flags, silentLogger);
  const settings = { mode: flags.edgeHosts, workerName: flags.workerName, ownerId: flags.ownerId ?? flags.workerName, tls: 'report' as const };
  const print = () => {};
  // A dry run: the plan is made, nothing is written.
  const reconciler = new EdgeHostsReconciler({ api: new CloudflareEdgeApi(api), settings, clock: systemClock, log: silentLogger, maxRemovalShare: 1, allowMassRemoval: false, dryRun: { print } });
  const { reports } = await reconciler.reconcile(table, { find: () => undefined });
  const wildcard = `*.${host.slice(host.indexOf('.') + 1)}`;
  const report = reports.find((candidate) => candidate.host === host) ?? reports.find((candidate) => candidate.host === wildcard);
  if (!report) return { text: [`edge host:   ${host}: no Ingress rule names it, so edgress attaches nothing for it`] };
  return { text: describeReport(report), report };
}
