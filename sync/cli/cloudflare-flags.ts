/**
 * The flags of commands that talk to the Cloudflare API (`edgress sync`,
 * `edgress rollback`, `edgress tunnel-config --apply`): credentials come from
 * `CLOUDFLARE_API_TOKEN` and `CLOUDFLARE_ACCOUNT_ID`, never from flags (they
 * would show in `ps` and in manifests).
 *
 * @example
 * ```ts
 * withKvFlags(withCloudflareApiFlag(new Command('rollback')));
 * const api = await connectFromEnvironment(flags, log); // throws UsageError without credentials
 * ```
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { systemClock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { CloudflareApi } from '../publish/cloudflare/client.ts';
import { formatDuration, parseDuration } from '../common/duration.ts';
import { RETENTION_DEFAULTS } from '../publish/cloudflare/history.ts';
import { UsageError } from './exit.ts';
import { grouped, type HelpSection } from './help-format.ts';

export interface CloudflareFlags {
  readonly cloudflareApiUrl?: string;
}

export interface KvFlags extends CloudflareFlags {
  readonly kvNamespaceId?: string;
}

export interface RetentionFlags {
  readonly keepTables: number;
  readonly gcGrace: number;
}


export const CREDENTIALS_HELP: HelpSection = {
  title: 'Cloudflare credentials:',
  paragraphs: [
    'CLOUDFLARE_API_TOKEN (a token with Workers KV Storage: Edit; for tunnel-config --apply, Cloudflare Tunnel: Edit; ' +
      'for the edge statistics of edgress sync, Account Analytics: Read) ' +
      'and CLOUDFLARE_ACCOUNT_ID, from the environment, as wrangler reads them.',
  ],
};

export function withCloudflareApiFlag(command: Command): Command {
  return grouped(command, 'Cloudflare:', (flags) =>
    flags.option('--cloudflare-api-url <url>', 'Cloudflare API base URL (default: https://api.cloudflare.com/client/v4, or $CLOUDFLARE_BASE_URL)', apiUrl),
  );
}

export function withKvFlags(command: Command): Command {
  grouped(command, 'Cloudflare:', (flags) =>
    flags.option('--kv-namespace-id <id>', 'the Workers KV namespace the worker reads its table from (wrangler.toml: [[kv_namespaces]] binding "TABLE")'),
  );
  return withCloudflareApiFlag(command);
}

export function withRetentionFlags(command: Command): Command {
  return grouped(command, 'Cloudflare:', (flags) =>
    flags
      .option('--keep-tables <n>', 'with --kv-namespace-id: keep this many past tables for edgress rollback', positiveInteger, RETENTION_DEFAULTS.keep)
      .addOption(
        new Option('--gc-grace <duration>', "with --kv-namespace-id: delete a replaced table's values no sooner than this, e.g. 30m")
          .argParser(graceMs)
          .default(RETENTION_DEFAULTS.graceMs, formatDuration(RETENTION_DEFAULTS.graceMs)),
      ),
  );
}

/**
 * The API, with credentials from the environment; throws {@link UsageError}
 * without them. The client is loaded here, only by the commands that use it.
 */
export async function connectFromEnvironment(flags: CloudflareFlags, log: Logger, env: NodeJS.ProcessEnv = process.env): Promise<CloudflareApi> {
  const { cloudflareCredentials, connectCloudflare } = await import('../publish/cloudflare/client.ts');
  const credentials = cloudflareCredentials(env);
  if (!credentials.ok) throw new UsageError(credentials.error);
  return connectCloudflare(credentials.value, { clock: systemClock, log, ...(flags.cloudflareApiUrl ? { baseUrl: flags.cloudflareApiUrl } : {}) });
}

function apiUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new InvalidArgumentError('not an http(s) URL');
  return value.replace(/\/+$/, '');
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('not a whole number ≥ 1');
  return parsed;
}

function graceMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('not a duration (e.g. 1h, 30m)');
  return ms;
}
