/**
 * `edgress tunnel-config`: the cloudflared ingress rules the
 * `tunnel-hostnames` transport needs, from the same compiled table the worker
 * serves (manifests, a table file, or the cluster), printed or applied
 * through the remote tunnel configuration API.
 */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { dump } from 'js-yaml';
import type { Table } from '../../src/table/schema.ts';
import { parseHostnameTemplate, type HostnameTemplate } from '../../src/tunnel/hostname-template.ts';
import { DEFAULT_CATCH_ALL, ingressRules, type IngressRule } from '../../src/tunnel/ingress-rules.ts';
import { jsonLogger, type Logger } from '../common/log.ts';
import { readWranglerConfig } from '../dev/wrangler-config.ts';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import { applyIngressRules } from '../tunnel/remote-config.ts';
import { EXIT } from './exit.ts';
import { helpSections, type HelpSection } from './help-format.ts';
import { connectFromEnvironment, CREDENTIALS_HELP, withCloudflareApiFlag, type CloudflareFlags } from './cloudflare-flags.ts';
import { UsageError } from './exit.ts';
import { withConnectionFlags, type ClusterFlags } from './cluster-flags.ts';
import { tableFromCluster } from './cluster-table.ts';
import { collect, providerOptions, withManifestInput, withProviderFlags } from './provider-flags.ts';
import { loadTable } from './table-input.ts';

interface TunnelConfigFlags extends ClusterFlags, CloudflareFlags {
  readonly filename: string[];
  readonly table?: string;
  readonly hostnameTemplate?: string;
  readonly wranglerConfig: string;
  readonly clusterDomain: string;
  readonly accessTeamName?: string;
  readonly accessAud: string[];
  readonly catchAll: string;
  readonly output: 'yaml' | 'json';
  readonly apply?: boolean;
  readonly tunnelId?: string;
}

export const TUNNEL_CONFIG_EXIT = EXIT;

const HELP: readonly HelpSection[] = [
  {
    title: 'Hostnames and rules:',
    paragraphs: [
      'For TRANSPORT = "tunnel-hostnames": every Service port a route (or an error page) sends to gets a public hostname from the template, ' +
        'e.g. {service}-{namespace}.tunnel.example.com, and a cloudflared ingress rule from that hostname to the Service\'s cluster DNS name ' +
        '(http(s)://<service>.<namespace>.svc.<cluster-domain>:<port>; an ExternalName Service\'s own target). Rules are sorted by hostname and the ' +
        'catch-all rule is always last. Each hostname also needs a proxied DNS record (CNAME to <tunnel id>.cfargotunnel.com, or one wildcard).',
      'Two Services (or two ports of one) that the template gives the same hostname, or a hostname the table also serves, stop the command: ' +
        'the error names them and a template that tells them apart.',
      'The table comes from -f manifests, from --table (a compiled table), or else from the cluster, connected to as edgress sync does. ' +
        'The template defaults to TUNNEL_HOSTNAME_TEMPLATE in --wrangler-config, so the rules and the worker cannot disagree.',
      'With --access-team-name and --access-aud, each rule makes cloudflared check the Cloudflare Access JWT (originRequest.access): put an Access ' +
        'application with a Service Auth policy for the worker\'s service token (TUNNEL_ACCESS_CLIENT_ID/SECRET) in front of the hostnames, and only ' +
        'requests from the worker reach the pods.',
      '--output yaml (default) is the ingress: section of a cloudflared config file; --output json is the body of the remote configuration API. ' +
        '--apply --tunnel-id <id> PUTs it (the API replaces the whole ingress list; other settings of the tunnel\'s configuration are kept; nothing is ' +
        'written when the rules are unchanged).',
    ],
  },
  {
    title: 'Exit status:',
    items: [
      ['0', 'printed or applied'],
      ['1', 'the rules cannot be made (two Services would share a hostname, a name too long for DNS), the table or cluster cannot be read, or the API failed'],
      ['2', 'usage: bad flags, a bad template, no kubeconfig and not in a cluster, no credentials for --apply'],
    ],
  },
  CREDENTIALS_HELP,
];

export function tunnelConfigCommand(): Command {
  const command = new Command('tunnel-config')
    .summary('print or apply the cloudflared ingress rules of the tunnel-hostnames transport')
    .description('Generates the cloudflared ingress rules that route each per-Service tunnel hostname to its Service, from the compiled routing table.')
    .option('--table <file>', 'a compiled table (edgress compile -o, edgress sync --out) instead of manifests')
    .option('--hostname-template <template>', 'tunnel hostname of each Service port: {service}, {namespace}, {port} (default: TUNNEL_HOSTNAME_TEMPLATE of --wrangler-config)')
    .option('--wrangler-config <file>', 'wrangler.toml to read TUNNEL_HOSTNAME_TEMPLATE from', 'wrangler.toml')
    .option('--cluster-domain <domain>', "the cluster's DNS domain", 'cluster.local')
    .option('--access-team-name <name>', 'Cloudflare Access team name: cloudflared checks the Access JWT on every rule')
    .option('--access-aud <tag>', 'Access application audience tag (repeatable; with --access-team-name)', collect, [])
    .option('--catch-all <service>', 'what the last rule answers', DEFAULT_CATCH_ALL)
    .addOption(new Option('-o, --output <format>', 'yaml (cloudflared config file) or json (API body)').choices(['yaml', 'json']).default('yaml'))
    .option('--apply', 'PUT the rules through the remote tunnel configuration API (needs --tunnel-id and credentials)')
    .option('--tunnel-id <id>', 'the Cloudflare Tunnel to configure with --apply');
  withCloudflareApiFlag(withProviderFlags(withConnectionFlags(withManifestInput(command))));
  command.addHelpText('after', helpSections(HELP));
  return command.action((flags: TunnelConfigFlags) => runTunnelConfig(flags, command));
}

async function runTunnelConfig(flags: TunnelConfigFlags, command: Command): Promise<void> {
  const usage = (message: string): never => command.error(`error: ${message}`, { exitCode: TUNNEL_CONFIG_EXIT.usage });
  const log = jsonLogger((line) => process.stderr.write(line));
  try {
    if (flags.apply && !flags.tunnelId) throw new UsageError('--apply needs --tunnel-id');
    const template = await hostnameTemplate(flags);
    const access = accessCheck(flags);
    const table = await tableFor(flags, (name) => command.getOptionValueSource(name) === 'cli', log);
    const result = ingressRules(table, { template, clusterDomain: flags.clusterDomain, catchAll: flags.catchAll, ...(access ? { access } : {}) });
    if (!result.ok) {
      for (const error of result.errors) process.stderr.write(`error: ${error}\n`);
      if (result.suggestedTemplate !== undefined) {
        const suggestion = result.suggestedTemplate;
        process.stderr.write(
          `hint: --hostname-template '${suggestion}' gives every Service port a hostname of its own; ` +
            `set TUNNEL_HOSTNAME_TEMPLATE = "${suggestion}" in ${flags.wranglerConfig} as well, so the worker uses the same names\n`,
        );
      }
      process.exitCode = TUNNEL_CONFIG_EXIT.failed;
      return;
    }
    process.stdout.write(format(result.rules, flags.output));
    if (flags.apply && flags.tunnelId) {
      const outcome = await applyIngressRules(await connectFromEnvironment(flags, log), flags.tunnelId, result.rules);
      log.info(outcome.changed ? 'tunnel-configured' : 'tunnel-unchanged', { tunnel: flags.tunnelId, version: outcome.version, rules: result.rules.length });
    }
  } catch (error) {
    if (error instanceof UsageError) return usage(error.message);
    process.stderr.write(`error: ${describeApiError(error)}\n`);
    process.exitCode = TUNNEL_CONFIG_EXIT.failed;
  }
}

/** The table of -f manifests or --table, else of the cluster. */
async function tableFor(flags: TunnelConfigFlags, given: (option: string) => boolean, log: Logger): Promise<Table> {
  if (flags.table === undefined && flags.filename.length === 0) return tableFromCluster(flags, given, log);
  const input = await loadTable({ filename: flags.filename, ...(flags.table !== undefined ? { table: flags.table } : {}) }, providerOptions(flags));
  if (!input.table) throw new Error(input.fatal.join('; '));
  return input.table;
}

async function hostnameTemplate(flags: TunnelConfigFlags): Promise<HostnameTemplate> {
  let text = flags.hostnameTemplate;
  if (text === undefined && existsSync(flags.wranglerConfig)) text = (await readWranglerConfig(flags.wranglerConfig)).vars['TUNNEL_HOSTNAME_TEMPLATE'];
  if (!text) throw new UsageError(`give --hostname-template, or set TUNNEL_HOSTNAME_TEMPLATE in ${flags.wranglerConfig}`);
  const parsed = parseHostnameTemplate(text);
  if (!parsed.ok) throw new UsageError(`hostname template ${parsed.error}`);
  return parsed.template;
}

function accessCheck(flags: TunnelConfigFlags): { teamName: string; audTag: string[] } | undefined {
  if (flags.accessTeamName === undefined && flags.accessAud.length === 0) return undefined;
  if (!flags.accessTeamName || flags.accessAud.length === 0) throw new UsageError('give both --access-team-name and --access-aud');
  return { teamName: flags.accessTeamName, audTag: flags.accessAud };
}

function format(rules: readonly IngressRule[], output: 'yaml' | 'json'): string {
  if (output === 'json') return JSON.stringify({ config: { ingress: rules } }, null, 2) + '\n';
  return dump({ ingress: rules }, { lineWidth: -1, noRefs: true });
}
