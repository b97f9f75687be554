/**
 * `edgress doctor`: is this checkout ready to deploy? One line per check
 * (ok, warn, fail): placeholders left in wrangler.toml and deploy/, settings
 * the two must agree on, the Node that runs edgress and its dependencies,
 * the tools the deploy steps call, and, with Cloudflare credentials in the
 * environment, that the KV namespace, tunnel, zones and worker secrets exist.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { checkAccount } from '../doctor/account.ts';
import { fail, warn, type Finding } from '../doctor/check.ts';
import { checkNode, checkTools } from '../doctor/environment.ts';
import { checkProjectFiles, type DeploySettings } from '../doctor/project-files.ts';
import { withCloudflareApiFlag, type CloudflareFlags } from './cloudflare-flags.ts';
import { EXIT, UsageError } from './exit.ts';
import { helpSections } from './help-format.ts';

interface DoctorFlags extends CloudflareFlags {
  readonly wranglerConfig: string;
  readonly deployDir: string;
  readonly offline?: boolean;
}

/** The checkout edgress runs from: its package.json and node_modules. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function doctorCommand(): Command {
  const command = new Command('doctor')
    .summary('check that this checkout is ready to deploy')
    .description(
      'Checks what a deploy needs, one line per check (ok, warn or fail): the ids wrangler.toml and deploy/ still hold as placeholders, values the two ' +
        'must agree on, the Node version edgress and its dependencies need, the tools the deploy steps run (kubectl, cloudflared, kustomize, docker), ' +
        'and, with CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment, that the KV namespace, the tunnel and the zones exist in the account ' +
        'and the deployed worker has the secrets it needs.',
    )
    .option('--wrangler-config <file>', 'the worker configuration', 'wrangler.toml')
    .option('--deploy-dir <dir>', 'the agent manifests (kustomize)', 'deploy')
    .option('--offline', 'skip the Cloudflare account checks');
  withCloudflareApiFlag(command);
  command.addHelpText(
    'after',
    helpSections([
      {
        title: 'Exit status:',
        items: [
          ['0', 'no check failed (warnings may remain)'],
          ['1', 'at least one check failed'],
          ['2', 'usage: bad flags, no wrangler.toml at --wrangler-config'],
        ],
      },
    ]),
  );
  return command.action((flags: DoctorFlags) => runDoctor(flags));
}

async function runDoctor(flags: DoctorFlags): Promise<void> {
  const wranglerToml = await readFile(flags.wranglerConfig, 'utf8').catch(() => {
    throw new UsageError(`${flags.wranglerConfig}: no such file (run edgress doctor in the repository, or give --wrangler-config)`);
  });
  const configPath = join(flags.deployDir, 'base', 'config.yaml');
  const kustomizationPaths = [join(flags.deployDir, 'kustomization.yaml'), join(flags.deployDir, 'cronjob', 'kustomization.yaml')];
  const kustomizations: Record<string, string> = {};
  for (const path of kustomizationPaths) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) kustomizations[path] = text;
  }
  const files = checkProjectFiles({
    wranglerPath: flags.wranglerConfig,
    wranglerToml,
    configPath,
    configYaml: await readFile(configPath, 'utf8').catch(() => undefined),
    kustomizations,
  });
  const findings: Finding[] = [
    ...checkNode({ root: resolve(ROOT), version: process.version, path: process.env['PATH'] ?? '' }),
    ...checkTools(process.env['PATH'] ?? ''),
    ...files.findings,
    ...(flags.offline ? [] : await accountFindings(files.settings, flags)),
  ];
  for (const finding of findings) process.stdout.write(`${finding.status.padEnd(4)}  ${finding.subject}: ${finding.message}\n`);
  const failed = findings.filter((finding) => finding.status === 'fail').length;
  const warned = findings.filter((finding) => finding.status === 'warn').length;
  process.stdout.write(`${failed} failed, ${warned} warnings, ${findings.length - failed - warned} ok\n`);
  process.exitCode = failed > 0 ? EXIT.failed : EXIT.ok;
}

async function accountFindings(settings: DeploySettings, flags: DoctorFlags): Promise<Finding[]> {
  const apiToken = process.env['CLOUDFLARE_API_TOKEN']?.trim();
  const fromEnvironment = process.env['CLOUDFLARE_ACCOUNT_ID']?.trim();
  if (!apiToken) {
    return [warn('cloudflare', 'CLOUDFLARE_API_TOKEN is not set: the KV namespace, tunnel, zones and worker secrets were not checked; the agent needs the token too (Secret edgress-cloudflare)')];
  }
  const accountId = fromEnvironment || settings.accountId;
  if (!accountId) return [fail('cloudflare', 'no account id: set CLOUDFLARE_ACCOUNT_ID (or CLOUDFLARE_ACCOUNT_ID in deploy/base/config.yaml)')];
  const mismatch =
    fromEnvironment && settings.accountId && fromEnvironment !== settings.accountId
      ? [fail('cloudflare', `CLOUDFLARE_ACCOUNT_ID ${fromEnvironment} is not the account of the deploy files (${settings.accountId})`)]
      : [];
  const baseUrl = flags.cloudflareApiUrl ?? process.env['CLOUDFLARE_BASE_URL'];
  return [...mismatch, ...(await checkAccount(settings, { apiToken, accountId }, baseUrl))];
}
