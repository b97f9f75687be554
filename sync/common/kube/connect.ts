/**
 * Builds the client-node `KubeConfig` the way Traefik 1.7
 * say: an explicit `--kubeconfig` first; else in-cluster when
 * `KUBERNETES_SERVICE_HOST`/`_PORT` are set (service-account token and CA;
 * `endpoint` only replaces the address); else `--endpoint` with `--token` and
 * `--cert-auth-file-path`; else kubectl's default rules (`$KUBECONFIG`,
 * `~/.kube/config`).
 *
 * @example
 * ```ts
 * const { config, mode } = loadKubeConfig({ endpoint: 'https://10.0.0.1:6443', token, certAuthFilePath: 'ca.crt' });
 * ```
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface ConnectionSettings {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly endpoint?: string;
  readonly token?: string;
  readonly certAuthFilePath?: string;
}

export type ConnectionMode = 'kubeconfig' | 'in-cluster' | 'endpoint' | 'default-kubeconfig';

export interface Connection {
  readonly config: KubeConfig;
  readonly mode: ConnectionMode;
  /** The namespace the agent runs in (in-cluster) or the context's; for the leader Lease. */
  readonly namespace: string | undefined;
}

const SERVICE_ACCOUNT_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
const SERVICE_ACCOUNT_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * The documented message (docs/reference/cli.md) when nothing says which
 * cluster to use. client-node would otherwise fall back to
 * http://localhost:8080 and fail there, again and again.
 */
export const NO_CLUSTER_MESSAGE =
  'no kubeconfig and not in a cluster: no --kubeconfig or --endpoint was given, $KUBECONFIG is not set, ~/.kube/config does not exist, ' +
  'and this is not a pod (KUBERNETES_SERVICE_HOST is not set); give --kubeconfig <file>, or --endpoint <url> with --token';

export function inCluster(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env['KUBERNETES_SERVICE_HOST'] && env['KUBERNETES_SERVICE_PORT']);
}

export function loadKubeConfig(settings: ConnectionSettings, env: NodeJS.ProcessEnv = process.env): Connection {
  const config = new KubeConfig();
  if (settings.kubeconfig !== undefined) {
    loadFile(config, settings.kubeconfig);
    return fromContext(config, settings.context, 'kubeconfig');
  }
  if (inCluster(env)) {
    config.loadFromCluster();
    if (settings.endpoint) config.clusters = config.clusters.map((cluster) => ({ ...cluster, server: settings.endpoint ?? cluster.server }));
    return { config, mode: 'in-cluster', namespace: readNamespaceFile() };
  }
  if (settings.endpoint) {
    if (settings.certAuthFilePath) accessSync(settings.certAuthFilePath, constants.R_OK);
    config.loadFromClusterAndUser(
      // client-node refuses plain http unless TLS verification is off; there is no TLS to verify.
      { name: 'edgress', server: settings.endpoint, caFile: settings.certAuthFilePath, skipTLSVerify: settings.endpoint.startsWith('http:') },
      { name: 'edgress', ...(settings.token ? { token: settings.token } : {}) },
    );
    return { config, mode: 'endpoint', namespace: undefined };
  }
  // loadFromDefault reads the process's own environment, so the check does too.
  if (!process.env['KUBECONFIG'] && !existsSync(join(process.env['HOME'] || homedir(), '.kube', 'config')) && !existsSync(SERVICE_ACCOUNT_TOKEN)) throw new Error(NO_CLUSTER_MESSAGE);
  config.loadFromDefault();
  return fromContext(config, settings.context, 'default-kubeconfig');
}

/** Loads a kubeconfig file; an unreadable file keeps its system error, anything else names the file. */
function loadFile(config: KubeConfig, path: string): void {
  try {
    config.loadFromFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== undefined) throw error;
    throw new Error(`${path}: not a kubeconfig (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

function fromContext(config: KubeConfig, context: string | undefined, mode: ConnectionMode): Connection {
  if (context !== undefined) config.setCurrentContext(context);
  if (!config.getCurrentCluster()) throw new Error(`the kubeconfig has no cluster for context "${config.getCurrentContext()}"`);
  return { config, mode, namespace: config.getContextObject(config.getCurrentContext())?.namespace };
}

function readNamespaceFile(): string | undefined {
  try {
    return readFileSync(SERVICE_ACCOUNT_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
