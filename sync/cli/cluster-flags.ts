/**
 * The flags of commands that read a cluster (`edgress sync`, `edgress dev
 * --kubeconfig`): how to connect, `--config edgress.toml`, the Ingress
 * status endpoint, and how they combine with the provider flags into agent
 * settings. Flags given on the command line override the file.
 *
 * @example
 * ```ts
 * withClusterFlags(withProviderFlags(new Command('sync')));
 * const resolved = await resolveClusterSettings(flags, (name) => command.getOptionValueSource(name) === 'cli');
 * ```
 */
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ProviderOptions } from '../../src/compile/api.ts';
import { parseLabelSelector } from '../../src/compile/index.ts';
import { parseConfigFile, type FileSettings, type IngressEndpointSettings } from '../agent/config-file.ts';
import { UsageError } from './exit.ts';
import { parseDuration } from '../common/duration.ts';
import type { ConnectionSettings } from '../common/kube/connect.ts';
import { providerOptions, type ProviderFlags } from './provider-flags.ts';
import { grouped } from './help-format.ts';

export interface ClusterFlags extends ProviderFlags {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly endpoint?: string;
  readonly token?: string;
  readonly certAuthFilePath?: string;
  readonly config?: string;
  readonly throttleDuration?: number;
  readonly ingressEndpointHostname?: string;
  readonly ingressEndpointIp?: string;
  readonly ingressEndpointPublishedService?: string;
}

export interface ClusterSettings {
  readonly connection: ConnectionSettings;
  readonly provider: ProviderOptions;
  readonly ingressEndpoint: IngressEndpointSettings | undefined;
  readonly throttleMs: number;
  readonly warnings: readonly string[];
  /** Everything `--config` set (for settings resolved elsewhere, e.g. the edge flags). */
  readonly file: FileSettings;
}

export function withConnectionFlags(command: Command): Command {
  return grouped(command, 'Cluster connection:', (flags) => flags
    .option('--kubeconfig <file>', 'kubeconfig file (default: in-cluster service account when running in a pod, else $KUBECONFIG or ~/.kube/config, as kubectl)')
    .option('--context <name>', 'kubeconfig context to use (default: its current context)')
    .option('--endpoint <url>', 'API server URL, for use with --token and --cert-auth-file-path (Traefik: endpoint)')
    .option('--token <token>', 'bearer token for --endpoint (Traefik: token)')
    .option('--cert-auth-file-path <file>', 'CA bundle that signs the --endpoint certificate (Traefik: certAuthFilePath)')
    .option('--config <file>', 'edgress.toml: its [kubernetes] section, with Traefik 1.7 keys, sets these options; flags win'));
}

export function withStatusFlags(command: Command): Command {
  return grouped(command, 'Ingress status:', (flags) => flags
    .option('--ingress-endpoint-hostname <host>', 'write this hostname into status.loadBalancer of served Ingresses')
    .option('--ingress-endpoint-ip <ip>', 'write this IP into status.loadBalancer of served Ingresses')
    .option('--ingress-endpoint-published-service <ns/name>', "copy this Service's status.loadBalancer.ingress into served Ingresses", namespacedName));
}

export function withThrottleFlag(command: Command): Command {
  return grouped(command, 'Cluster connection:', (flags) =>
    flags.addOption(new Option('--throttle-duration <duration>', 'publish at most once per this duration, e.g. 2s (Traefik: throttleDuration; never under 1s)').argParser(durationMs)),
  );
}

/** Reads `--config` and merges it under the flags that were given on the command line. */
export async function resolveClusterSettings(flags: ClusterFlags, given: (option: string) => boolean): Promise<ClusterSettings> {
  const { settings: file, warnings } = flags.config !== undefined ? await readConfig(flags.config) : { settings: {} as FileSettings, warnings: [] };
  const fromFlags = providerOptions(flags);
  const pick = <T>(option: string, flag: T | undefined, fromFile: T | undefined): T | undefined => (given(option) ? flag : (fromFile ?? flag));
  const provider: ProviderOptions = {
    ...fromFlags,
    namespaces: pick('namespace', fromFlags.namespaces, file.namespaces) ?? [],
    labelSelector: pick('labelSelector', flags.labelSelector, file.labelSelector),
    ingressClass: pick('ingressClass', flags.ingressClass, file.ingressClass),
    disablePassHostHeaders: pick('disablePassHostHeaders', flags.disablePassHostHeaders, file.disablePassHostHeaders) === true,
    enablePassTLSCert: pick('enablePassTlsCert', flags.enablePassTlsCert, file.enablePassTLSCert) === true,
    ingressNginx: pick('ingressNginx', flags.ingressNginx, file.ingressNginx) === true ? true : undefined,
    ingressNginxController: pick('ingressNginxController', flags.ingressNginxController, file.ingressNginxController),
    allowSnippetHeaders: pick('allowSnippetHeaders', flags.allowSnippetHeaders, file.allowSnippetHeaders) === true ? true : undefined,
    gatewayController: pick('gatewayController', flags.gatewayController, file.gatewayController),
  };
  const endpoint = {
    ...file.ingressEndpoint,
    ...(flags.ingressEndpointHostname !== undefined ? { hostname: flags.ingressEndpointHostname } : {}),
    ...(flags.ingressEndpointIp !== undefined ? { ip: flags.ingressEndpointIp } : {}),
    ...(flags.ingressEndpointPublishedService !== undefined ? { publishedService: flags.ingressEndpointPublishedService } : {}),
  };
  if (endpoint.publishedService !== undefined) namespacedName(endpoint.publishedService);
  const selector = parseLabelSelector(provider.labelSelector ?? '');
  // As Traefik 1.7: an unparsable selector stops the start, rather than serving nothing.
  if (!selector.ok) throw new UsageError(`invalid Ingress label selector "${provider.labelSelector}": ${selector.error}`);
  return {
    connection: {
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      endpoint: flags.endpoint ?? file.endpoint,
      token: flags.token ?? file.token,
      certAuthFilePath: flags.certAuthFilePath ?? file.certAuthFilePath,
    },
    provider: withoutUndefined(provider),
    ingressEndpoint: Object.keys(endpoint).length > 0 ? endpoint : undefined,
    throttleMs: flags.throttleDuration ?? file.throttleMs ?? 0,
    warnings,
    file,
  };
}

async function readConfig(path: string): Promise<{ settings: FileSettings; warnings: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  return parseConfigFile(text, path);
}

function namespacedName(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)) {
    throw new InvalidArgumentError(`"${value}" is not namespace/name`);
  }
  return value;
}

function durationMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('not a duration (e.g. 2s, 500ms, 1m)');
  return ms;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}
