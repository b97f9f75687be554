/**
 * Reads `edgress.toml`: the `[kubernetes]` section with Traefik 1.7's keys
 * and meanings, so a Traefik user's file works as it is, plus edgress's own
 * edge keys (`edgeHosts`, `workerName`, `ownerId`, `edgeTls`, `dryRun`), in
 * `[kubernetes]` or at the top level. Keys match without
 * regard to case, as Traefik's TOML decoder matched them. Other top-level
 * sections (entryPoints, api, ...) and Traefik's generic provider keys are
 * ignored with a warning; an unknown key inside `[kubernetes]` is an error
 * that names it.
 *
 * @example
 * ```ts
 * const { settings, warnings } = parseConfigFile(text, 'edgress.toml');
 * settings.namespaces; // ['shop'] from `namespaces = ["shop"]`
 * ```
 */
import { parse } from 'smol-toml';
import { UsageError } from '../common/usage-error.ts';
import { parseDuration } from '../common/duration.ts';
import { EDGE_HOSTS_MODES, EDGE_TLS_MODES, type EdgeHostsMode, type EdgeTlsMode } from '../edge-hosts/model.ts';

export interface IngressEndpointSettings {
  readonly ip?: string;
  readonly hostname?: string;
  /** `namespace/name` of a Service whose `status.loadBalancer.ingress` is copied. */
  readonly publishedService?: string;
}

/** The `[kubernetes]` options, by their edgress names. */
export interface FileSettings {
  readonly endpoint?: string;
  readonly token?: string;
  readonly certAuthFilePath?: string;
  readonly namespaces?: readonly string[];
  readonly labelSelector?: string;
  readonly ingressClass?: string;
  readonly disablePassHostHeaders?: boolean;
  readonly enablePassTLSCert?: boolean;
  readonly throttleMs?: number;
  /** edgress's own keys: serve ingress-nginx's Ingresses too (`--ingress-nginx`). */
  readonly ingressNginx?: boolean;
  readonly ingressNginxController?: string;
  readonly allowSnippetHeaders?: boolean;
  /** GatewayClass controller name of ours (`--gateway-controller`). */
  readonly gatewayController?: string;
  readonly ingressEndpoint?: IngressEndpointSettings;
  /** edgress's own keys (not Traefik's): `--edge-hosts`, `--worker-name`, `--owner-id`, `--edge-tls`, `--dry-run`. */
  readonly edgeHosts?: EdgeHostsMode;
  readonly workerName?: string;
  readonly ownerId?: string;
  readonly edgeTls?: EdgeTlsMode;
  readonly dryRun?: boolean;
}


type Reader = (value: unknown, where: string) => unknown;

const text: Reader = (value, where) => (typeof value === 'string' ? value : fail(`${where} must be a string`));
const flag: Reader = (value, where) => (typeof value === 'boolean' ? value : fail(`${where} must be true or false`));
const list: Reader = (value, where) => (Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : fail(`${where} must be a list of strings`));
const oneOf = (choices: readonly string[]): Reader => (value, where) => (typeof value === 'string' && choices.includes(value) ? value : fail(`${where} must be one of ${choices.map((choice) => `"${choice}"`).join(', ')}`));
const duration: Reader = (value, where) => parseDuration(value) ?? fail(`${where} must be a duration such as "2s" or a number of seconds`);

/** Traefik key (lower case) → edgress setting and how to read it. */
const KUBERNETES_KEYS: Readonly<Record<string, readonly [keyof FileSettings, Reader]>> = {
  endpoint: ['endpoint', text],
  token: ['token', text],
  certauthfilepath: ['certAuthFilePath', text],
  namespaces: ['namespaces', list],
  labelselector: ['labelSelector', text],
  ingressclass: ['ingressClass', text],
  disablepasshostheaders: ['disablePassHostHeaders', flag],
  enablepasstlscert: ['enablePassTLSCert', flag],
  throttleduration: ['throttleMs', duration],
  ingressnginx: ['ingressNginx', flag],
  ingressnginxcontroller: ['ingressNginxController', text],
  allowsnippetheaders: ['allowSnippetHeaders', flag],
  gatewaycontroller: ['gatewayController', text],
};

/** edgress's edge keys: in [kubernetes] or at the top level of the file. */
const EDGE_KEYS: Readonly<Record<string, readonly [keyof FileSettings, Reader]>> = {
  edgehosts: ['edgeHosts', oneOf(EDGE_HOSTS_MODES)],
  workername: ['workerName', text],
  ownerid: ['ownerId', text],
  edgetls: ['edgeTls', oneOf(EDGE_TLS_MODES)],
  dryrun: ['dryRun', flag],
};

const ENDPOINT_KEYS: Readonly<Record<string, keyof IngressEndpointSettings>> = { ip: 'ip', hostname: 'hostname', publishedservice: 'publishedService' };

/** Traefik's generic provider options: accepted so Traefik files load, but they mean nothing here. */
const IGNORED_PROVIDER_KEYS = new Set(['watch', 'filename', 'constraints', 'trace', 'debugloggeneratedtemplate', 'templateversion']);

export function parseConfigFile(source: string, file: string): { settings: FileSettings; warnings: string[] } {
  let document: Record<string, unknown>;
  try {
    document = parse(source);
  } catch (error) {
    throw new UsageError(`${file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  const warnings: string[] = [];
  let section: unknown;
  const topLevel: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(document)) {
    const edge = EDGE_KEYS[key.toLowerCase()];
    if (key.toLowerCase() === 'kubernetes') section = value;
    else if (edge) topLevel[edge[0]] = edge[1](value, `${file}: ${key}`);
    else warnings.push(`${file}: ignoring ${typeof value === 'object' && !Array.isArray(value) ? `[${key}]` : `"${key}"`} (edgress reads only [kubernetes])`);
  }
  if (section === undefined) return { settings: topLevel, warnings };
  if (!isTable(section)) throw new UsageError(`${file}: kubernetes must be a [kubernetes] section`);
  return { settings: { ...topLevel, ...readKubernetes(section, file, warnings) }, warnings };
}

function readKubernetes(section: Record<string, unknown>, file: string, warnings: string[]): FileSettings {
  const settings: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(section)) {
    const lower = key.toLowerCase();
    const where = `${file}: kubernetes.${key}`;
    if (lower === 'ingressendpoint') settings['ingressEndpoint'] = readEndpoint(value, where);
    else if (IGNORED_PROVIDER_KEYS.has(lower)) warnings.push(`${where} is a Traefik option edgress ignores`);
    else {
      const known = KUBERNETES_KEYS[lower] ?? EDGE_KEYS[lower];
      if (!known) throw new UsageError(`${where}: unknown key "${key}" in [kubernetes]`);
      settings[known[0]] = known[1](value, where);
    }
  }
  return settings as FileSettings;
}

function readEndpoint(value: unknown, where: string): IngressEndpointSettings {
  if (!isTable(value)) throw new UsageError(`${where} must be a [kubernetes.ingressEndpoint] section`);
  const endpoint: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = ENDPOINT_KEYS[key.toLowerCase()];
    if (!name) throw new UsageError(`${where}.${key}: unknown key "${key}" in [kubernetes.ingressEndpoint]`);
    endpoint[name] = text(item, `${where}.${key}`) as string;
  }
  return endpoint;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function fail(message: string): never {
  throw new UsageError(message);
}
