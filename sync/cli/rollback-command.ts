/**
 * `edgress rollback`: lists the tables kept in Workers KV, and puts an
 * earlier one back in force by moving the pointer.
 */
import { Command } from 'commander';
import { jsonLogger } from '../common/log.ts';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import { listVersions, rollBack, RollbackError, type Listing } from '../publish/cloudflare/rollback.ts';
import { StoredVersions } from '../publish/cloudflare/stored-versions.ts';
import { EXIT } from './exit.ts';
import { helpSections, type HelpSection } from './help-format.ts';
import { connectFromEnvironment, CREDENTIALS_HELP, withKvFlags, type KvFlags } from './cloudflare-flags.ts';
import { UsageError } from './exit.ts';

interface RollbackFlags extends KvFlags {
  readonly list?: boolean;
  readonly to?: string;
}

export const ROLLBACK_EXIT = EXIT;

const HELP: readonly HelpSection[] = [
  {
    title: 'Rolling back:',
    paragraphs: [
      'Without --list, puts the chosen table (default: the newest one not in force) back in force: every one of its values is checked against its ' +
        'content hash first, then the history and the pointer edgress/current are written. Only tables edgress sync kept (--keep-tables, --gc-grace) can be chosen.',
      'A running agent publishes again at the next change in the cluster, replacing the rolled-back table: scale the agent down (or fix the cluster) to keep it.',
    ],
  },
  {
    title: 'Exit status:',
    items: [
      ['0', 'done'],
      ['1', 'the API failed, or the chosen table is missing values (the table in force stays)'],
      ['2', 'usage: bad flags, no such version, no credentials'],
    ],
  },
  CREDENTIALS_HELP,
];

export function rollbackCommand(): Command {
  const command = new Command('rollback')
    .summary('list the tables kept in Workers KV, or put an earlier one back in force')
    .description('Lists the routing tables edgress sync kept in the Workers KV namespace, newest first, or moves the table pointer back to one of them.')
    .option('--list', 'list the kept tables and exit')
    .option('--to <version>', 'the version to put in force (a unique prefix is enough; default: the newest not in force)');
  withKvFlags(command);
  command.addHelpText('after', helpSections(HELP));
  return command.action((flags: RollbackFlags) => runRollback(flags, command));
}

async function runRollback(flags: RollbackFlags, command: Command): Promise<void> {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: ROLLBACK_EXIT.usage });
  if (flags.kvNamespaceId === undefined) return usage('--kv-namespace-id is required');
  const log = jsonLogger((line) => process.stderr.write(line));
  try {
    const api = await connectFromEnvironment(flags, log);
    const kv = api.namespace(flags.kvNamespaceId);
    const stored = new StoredVersions(kv);
    if (flags.list) {
      process.stdout.write(formatListing(await listVersions(stored)));
      return;
    }
    const result = await rollBack(kv, stored, { ...(flags.to !== undefined ? { to: flags.to } : {}), now: Date.now() });
    process.stdout.write(`rolled back: ${result.from ?? '(none)'} -> ${result.to.version} (${result.to.routes} routes, in force from ${new Date(result.to.since).toISOString()} before)\n`);
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    process.stderr.write(`error: ${error instanceof RollbackError ? error.message : describeApiError(error)}\n`);
    process.exitCode = error instanceof RollbackError && error.choice ? ROLLBACK_EXIT.usage : ROLLBACK_EXIT.failed;
  }
}

/** One line per kept table: the one in force marked `*`. */
export function formatListing(listing: Listing): string {
  if (listing.entries.length === 0) return listing.inForce ? `* ${listing.inForce.version} (not in the history)\n` : 'no tables published\n';
  const lines = listing.entries.map((entry) => {
    const mark = entry.version === listing.inForce?.version ? '*' : ' ';
    const until = entry.supersededAt === undefined ? 'now' : new Date(entry.supersededAt).toISOString();
    return `${mark} ${entry.version}  ${String(entry.routes).padStart(6)} routes  ${new Date(entry.since).toISOString()} .. ${until}${entry.rolledBack ? '  (rollback)' : ''}`;
  });
  return `  version                           routes  in force\n${lines.join('\n')}\n`;
}
