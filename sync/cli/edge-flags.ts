/**
 * The edge-host flags of `edgress sync` (`--edge-hosts`, `--worker-name`,
 * `--owner-id`, `--edge-tls`, `--dry-run`), merged over the same keys of
 * `--config` (flags given on the command line win), and checked.
 *
 * @example
 * ```ts
 * withEdgeFlags(command);
 * const edge = resolveEdgeSettings(flags, settings.file, (name) => command.getOptionValueSource(name) === 'cli');
 * ```
 */
import type { HelpSection } from './help-format.ts';
import { Command, Option } from 'commander';
import type { FileSettings } from '../agent/config-file.ts';
import { EDGE_HOSTS_MODES, EDGE_TLS_MODES, type EdgeHostsMode, type EdgeHostsSettings, type EdgeTlsMode } from '../edge-hosts/model.ts';
import { OWNER_ID } from '../edge-hosts/ownership.ts';
import { UsageError } from './exit.ts';

export interface EdgeFlags {
  readonly edgeHosts: EdgeHostsMode;
  readonly workerName: string;
  readonly ownerId?: string;
  readonly edgeTls: EdgeTlsMode;
  readonly dryRun?: boolean;
}

/** The Worker's name in wrangler.toml. */
export const DEFAULT_WORKER_NAME = 'edgress';
const WORKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

export const EDGE_HELP: HelpSection = {
  title: 'Edge hosts (--edge-hosts):',
  paragraphs: [
    'After each publish, every host of the table in force is attached at the edge.',
  ],
  items: [
    ['custom-domains', 'exact hosts become Workers Custom Domains of --worker-name (DNS record, routing and a certificate per host); wildcard hosts get a Worker route <host>/* and a proxied AAAA 100:: record'],
    ['routes', 'every host gets a Worker route <host>/* and a proxied AAAA 100:: record (more than 100 hosts per zone, or zones whose other hosts keep their origin)'],
  ],
};

/** What follows the modes: ownership, removal, TLS and the token. */
export const EDGE_HELP_NOTES: HelpSection = {
  title: 'Edge hosts, ownership and TLS:',
  paragraphs: [
    'A host is attached in the account\'s zone with the longest matching name; a host in no zone, or one that already has a DNS record, route or Custom Domain edgress did not create, ' +
      'is left untouched and gets a Warning Event (annotate the Ingress edgress.dev/adopt-host: "true" to hand it over). Ownership is a TXT record _edgress.<host> naming --owner-id: ' +
      'only what it names is ever changed or deleted. Hosts no longer served are detached after the table without them is in force, within --max-removal-share.',
    '--edge-tls upload-secrets SENDS THE PRIVATE KEYS of Ingress spec.tls Secrets to Cloudflare as custom certificates (Business plan and above); without it spec.tls is informational.',
    'Token permissions: Zone Read, DNS Edit, Workers Routes Edit (routes), Workers Scripts Edit (custom-domains), SSL and Certificates Read (Edit for upload-secrets). See docs/operations/edge-hosts.md.',
  ],
};

export function withEdgeFlags(command: Command): Command {
  return command
    .addOption(new Option('--edge-hosts <mode>', 'attach every Ingress host at the edge: off, custom-domains or routes').choices(EDGE_HOSTS_MODES).default('off'))
    .option('--worker-name <name>', "the deployed Worker's script name (wrangler.toml name)", DEFAULT_WORKER_NAME)
    .option('--owner-id <id>', 'names this installation in ownership records; give each cluster sharing a zone its own (default: --worker-name)')
    .addOption(
      new Option('--edge-tls <mode>', 'report: show which hosts no certificate covers; upload-secrets: also upload Ingress spec.tls Secrets as custom certificates (sends private keys to Cloudflare; Business plan and above)')
        .choices(EDGE_TLS_MODES)
        .default('report'),
    )
    .option('--dry-run', 'with --once: print the Cloudflare changes (DNS, routes, Custom Domains, certificates, KV) and write nothing');
}

/** Edge settings, or undefined when off; throws {@link UsageError} for a bad combination. */
export function resolveEdgeSettings(flags: EdgeFlags & { readonly once?: boolean }, file: FileSettings, given: (option: string) => boolean): { settings?: EdgeHostsSettings; dryRun: boolean } {
  const pick = <T>(option: string, flag: T, fromFile: T | undefined): T => (given(option) ? flag : (fromFile ?? flag));
  const mode = pick('edgeHosts', flags.edgeHosts, file.edgeHosts);
  const workerName = pick('workerName', flags.workerName, file.workerName);
  const ownerId = pick('ownerId', flags.ownerId, file.ownerId) ?? workerName;
  const tls = pick('edgeTls', flags.edgeTls, file.edgeTls);
  const dryRun = pick('dryRun', flags.dryRun, file.dryRun) === true;
  if (dryRun && !flags.once) throw new UsageError('--dry-run needs --once (it prints one cycle of changes and exits)');
  if (!WORKER_NAME.test(workerName)) throw new UsageError(`--worker-name "${workerName}" is not a Worker name (letters, digits, - and _)`);
  if (!OWNER_ID.test(ownerId)) throw new UsageError(`--owner-id "${ownerId}" must be 1-63 letters, digits, ., _ or -`);
  if (mode === 'off') {
    if (tls === 'upload-secrets') throw new UsageError('--edge-tls upload-secrets needs --edge-hosts custom-domains or routes');
    return { dryRun };
  }
  return { settings: { mode, workerName, ownerId, tls }, dryRun };
}
