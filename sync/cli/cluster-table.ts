/**
 * The table of a live cluster, compiled once (`edgress tunnel-config` with
 * cluster flags): the agent's `--once` pass, publishing nowhere, writing
 * neither status nor Events.
 *
 * @example
 * ```ts
 * const table = await tableFromCluster(flags, (name) => command.getOptionValueSource(name) === 'cli');
 * ```
 */
import type { Table } from '../../src/table/schema.ts';
import { SyncAgent } from '../agent/agent.ts';
import { KubeClient } from '../common/kube/client.ts';
import { loadKubeConfig, type Connection } from '../common/kube/connect.ts';
import type { Logger } from '../common/log.ts';
import type { Publisher } from '../publish/publisher.ts';
import { describeFailure, UsageError } from './exit.ts';
import { resolveClusterSettings, type ClusterFlags } from './cluster-flags.ts';

export async function tableFromCluster(flags: ClusterFlags, given: (option: string) => boolean, log: Logger): Promise<Table> {
  const settings = await resolveClusterSettings(flags, given).catch((error: Error) => {
    throw new UsageError(error.message);
  });
  let connection: Connection;
  try {
    connection = loadKubeConfig(settings.connection);
  } catch (error) {
    throw new UsageError(`cannot connect: ${describeFailure(error)}`);
  }
  let compiled: Table | undefined;
  const capture: Publisher = {
    publish: async (table) => {
      compiled = table;
      return { version: 'compiled', changed: true, valuesWritten: 0 };
    },
  };
  const agent = new SyncAgent({ provider: settings.provider }, { client: new KubeClient(connection.config), publisher: capture, log });
  const outcome = await agent.runOnce();
  if (!compiled) throw new Error(`could not read the cluster (${outcome.kind === 'failed' ? outcome.error : outcome.kind})`);
  return compiled;
}
