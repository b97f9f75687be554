/**
 * `edgress doctor`'s look at the files a deploy uses: `wrangler.toml` (the
 * worker) and `deploy/` (the agent), for the placeholders the repository
 * ships, settings that only make sense in `edgress dev`, and values the two
 * must agree on.
 *
 * @example
 * ```ts
 * const { findings, settings } = checkProjectFiles({ wranglerToml, configYaml, kustomizations });
 * ```
 */
import { load } from 'js-yaml';
import { parse } from 'smol-toml';
import { parseHostnameTemplate } from '../../src/tunnel/hostname-template.ts';
import { fail, isExampleHost, isPlaceholder, ok, warn, type Finding } from './check.ts';

export interface ProjectFiles {
  readonly wranglerPath: string;
  readonly wranglerToml: string;
  readonly configPath: string;
  /** `deploy/base/config.yaml`, undefined when absent. */
  readonly configYaml: string | undefined;
  /** Kustomization files by path (the agent image is set there). */
  readonly kustomizations: Readonly<Record<string, string>>;
}

/** What the account checks need from the files. */
export interface DeploySettings {
  readonly workerName: string | undefined;
  readonly kvNamespaceId: string | undefined;
  readonly tunnelId: string | undefined;
  readonly transport: string;
  readonly zones: readonly string[];
  readonly accountId: string | undefined;
}

interface WranglerToml {
  name?: string;
  account_id?: string;
  routes?: ({ pattern?: string; zone_name?: string; custom_domain?: boolean } | string)[];
  route?: { pattern?: string; zone_name?: string } | string;
  kv_namespaces?: { binding?: string; id?: string }[];
  vpc_networks?: { binding?: string; tunnel_id?: string }[];
  vars?: Record<string, unknown>;
}

export function checkProjectFiles(files: ProjectFiles): { findings: Finding[]; settings: DeploySettings } {
  const findings: Finding[] = [];
  let toml: WranglerToml;
  try {
    toml = parse(files.wranglerToml) as WranglerToml;
  } catch (error) {
    findings.push(fail(files.wranglerPath, `not valid TOML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
    toml = {};
  }
  const worker = checkWrangler(files.wranglerPath, toml, findings);
  const config = files.configYaml === undefined ? undefined : readConfigMap(files.configPath, files.configYaml, findings);
  if (config) checkConfigMap(files.configPath, config, worker.kvNamespaceId, findings);
  else if (files.configYaml === undefined) findings.push(fail(files.configPath, 'not found: the agent reads its account and KV namespace from this ConfigMap'));
  for (const [path, text] of Object.entries(files.kustomizations)) checkImage(path, text, findings);
  return { findings, settings: { ...worker, accountId: toml.account_id ?? (isPlaceholder(config?.['CLOUDFLARE_ACCOUNT_ID']) ? undefined : config?.['CLOUDFLARE_ACCOUNT_ID']) } };
}

function checkWrangler(path: string, toml: WranglerToml, findings: Finding[]): Omit<DeploySettings, 'accountId'> {
  const vars = toml.vars ?? {};
  const transport = typeof vars['TRANSPORT'] === 'string' ? vars['TRANSPORT'] : 'vpc';
  const table = toml.kv_namespaces?.find((namespace) => namespace.binding === 'TABLE');
  if (!table) findings.push(fail(path, 'no [[kv_namespaces]] binding "TABLE": the worker has no routing table to read'));
  else if (isPlaceholder(table.id)) findings.push(fail(path, `[[kv_namespaces]] TABLE id is the placeholder "${table.id ?? ''}": run \`npx wrangler kv namespace create edgress-table\` and put its id here`));
  else findings.push(ok(path, `KV namespace TABLE ${table.id}`));
  const tunnelId = toml.vpc_networks?.[0]?.tunnel_id;
  if (transport === 'vpc') {
    if (isPlaceholder(tunnelId)) findings.push(fail(path, `[[vpc_networks]] tunnel_id is the placeholder "${tunnelId ?? ''}": \`cloudflared tunnel create edgress\` prints the id to put here`));
    else findings.push(ok(path, `TRANSPORT "vpc" through tunnel ${tunnelId}`));
  } else if (transport === 'tunnel-hostnames') {
    const template = typeof vars['TUNNEL_HOSTNAME_TEMPLATE'] === 'string' ? vars['TUNNEL_HOSTNAME_TEMPLATE'] : undefined;
    const parsed = template === undefined ? undefined : parseHostnameTemplate(template);
    if (!parsed) findings.push(fail(path, 'TRANSPORT "tunnel-hostnames" needs TUNNEL_HOSTNAME_TEMPLATE in [vars]'));
    else if (!parsed.ok) findings.push(fail(path, `TUNNEL_HOSTNAME_TEMPLATE ${parsed.error}`));
    else findings.push(ok(path, `TRANSPORT "tunnel-hostnames" with hostnames ${template}`));
  } else if (transport === 'dev-relay') findings.push(fail(path, 'TRANSPORT "dev-relay" only works in edgress dev: use "vpc" (or "tunnel-hostnames", "direct")'));
  if (vars['TRUST_FORWARDED_PROTO'] === 'true') findings.push(fail(path, 'TRUST_FORWARDED_PROTO = "true" lets any client claim HTTPS with X-Forwarded-Proto: only edgress dev sets it'));
  const zones = routeZones(toml);
  if (zones.length === 0) findings.push(warn(path, 'no routes: the worker serves no host until you set routes (e.g. { pattern = "*.example.com/*", zone_name = "example.com" })'));
  else findings.push(ok(path, `routes on ${zones.join(', ')}`));
  return { workerName: toml.name, kvNamespaceId: isPlaceholder(table?.id) ? undefined : table?.id, tunnelId: isPlaceholder(tunnelId) ? undefined : tunnelId, transport, zones };
}

/** The zones the worker's routes name: `zone_name`, else the pattern's host minus a leading `*.` (custom domains: the host's last two labels). */
function routeZones(toml: WranglerToml): string[] {
  const routes = [...(toml.routes ?? []), ...(toml.route ? [toml.route] : [])];
  const zones = routes.map((route) => {
    if (typeof route !== 'string' && route.zone_name) return route.zone_name;
    const pattern = typeof route === 'string' ? route : (route.pattern ?? '');
    const host = pattern.replace(/^https?:\/\//, '').split('/')[0]?.replace(/^\*\.?/, '') ?? '';
    return host.split('.').slice(-2).join('.');
  });
  return [...new Set(zones.filter(Boolean))];
}

function readConfigMap(path: string, text: string, findings: Finding[]): Record<string, string> | undefined {
  try {
    const data = (load(text) as { data?: Record<string, unknown> } | undefined)?.data ?? {};
    return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, String(value)]));
  } catch (error) {
    findings.push(fail(path, `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`));
    return undefined;
  }
}

function checkConfigMap(path: string, data: Record<string, string>, wranglerKv: string | undefined, findings: Finding[]): void {
  const account = data['CLOUDFLARE_ACCOUNT_ID'];
  const kv = data['KV_NAMESPACE_ID'];
  const endpoint = data['INGRESS_ENDPOINT_HOSTNAME'];
  if (isPlaceholder(account)) findings.push(fail(path, `CLOUDFLARE_ACCOUNT_ID is the placeholder "${account ?? ''}": put your account id here (dashboard: Workers & Pages → Account details)`));
  if (isPlaceholder(kv)) findings.push(fail(path, `KV_NAMESPACE_ID is the placeholder "${kv ?? ''}": put the id of the TABLE namespace of wrangler.toml here`));
  else if (wranglerKv !== undefined && kv !== wranglerKv) findings.push(fail(path, `KV_NAMESPACE_ID ${kv} is not the TABLE namespace of wrangler.toml (${wranglerKv}): the agent would publish where the worker does not read`));
  if (isExampleHost(endpoint)) findings.push(warn(path, `INGRESS_ENDPOINT_HOSTNAME is "${endpoint ?? ''}": put the hostname clients use for your Ingresses (it goes into their status)`));
  if (!isPlaceholder(account) && !isPlaceholder(kv) && !isExampleHost(endpoint)) findings.push(ok(path, `account ${account}, KV namespace ${kv}, ingress endpoint ${endpoint}`));
}

function checkImage(path: string, text: string, findings: Finding[]): void {
  let images: { name?: string; newName?: string }[] = [];
  try {
    images = (load(text) as { images?: { name?: string; newName?: string }[] } | undefined)?.images ?? [];
  } catch {
    return void findings.push(fail(path, 'not valid YAML'));
  }
  const agent = images.find((image) => image.name?.endsWith('/edgress-agent'));
  if (!agent) return;
  const image = agent.newName ?? agent.name ?? '';
  if (image.startsWith('ghcr.io/example/')) {
    findings.push(fail(path, `the agent image is the placeholder ${image}: build and push yours (deploy/Dockerfile), then set images[].newName here (kustomize edit set image, or edit the file)`));
  } else findings.push(ok(path, `agent image ${image}`));
}
