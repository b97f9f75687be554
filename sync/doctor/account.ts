/**
 * `edgress doctor`'s look at the Cloudflare account, with the API token from
 * the environment: that the KV namespace, the tunnel and the zones the files
 * name exist in the account, and that the deployed worker has the secrets its
 * transport needs. Read-only calls, no retries: a doctor reports, it does not
 * wait out an outage.
 *
 * @example
 * ```ts
 * const findings = await checkAccount(settings, { apiToken, accountId }, 'https://api.cloudflare.com/client/v4');
 * ```
 */
import Cloudflare, { APIError } from 'cloudflare';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import type { DeploySettings } from './project-files.ts';
import { fail, ok, warn, type Finding } from './check.ts';

export interface AccountCredentials {
  readonly apiToken: string;
  readonly accountId: string;
}

const TIMEOUT_MS = 15_000;

export async function checkAccount(settings: DeploySettings, credentials: AccountCredentials, baseUrl?: string): Promise<Finding[]> {
  const client = new Cloudflare({
    apiToken: credentials.apiToken,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    maxRetries: 0,
    timeout: TIMEOUT_MS,
    logLevel: 'off',
    ...(baseUrl ? { baseURL: baseUrl } : {}),
  });
  const account_id = credentials.accountId;
  const checks: Promise<Finding>[] = [];
  if (settings.kvNamespaceId !== undefined) {
    const id = settings.kvNamespaceId;
    checks.push(
      client.kv.namespaces.get(id, { account_id }).then(
        (namespace) => ok('cloudflare', `KV namespace ${id} (${namespace.title}) exists`),
        (error: unknown) => fail('cloudflare', `KV namespace ${id}: ${explain(error, 'Workers KV Storage: Read')}`),
      ),
    );
  }
  if (settings.tunnelId !== undefined) {
    const id = settings.tunnelId;
    checks.push(
      client.zeroTrust.tunnels.cloudflared.get(id, { account_id }).then(
        (tunnel) =>
          tunnel.status === 'healthy' || tunnel.status === 'degraded'
            ? ok('cloudflare', `tunnel ${id} (${tunnel.name ?? 'unnamed'}) exists, ${tunnel.status}`)
            : warn('cloudflare', `tunnel ${id} (${tunnel.name ?? 'unnamed'}) exists but is ${tunnel.status ?? 'not connected'}: cloudflared in the cluster has not connected (yet)`),
        (error: unknown) => fail('cloudflare', `tunnel ${id}: ${explain(error, 'Cloudflare Tunnel: Read')}`),
      ),
    );
  }
  for (const zone of settings.zones) checks.push(checkZone(client, zone, account_id));
  const secrets = settings.workerName !== undefined ? checkSecrets(client, settings, account_id) : Promise.resolve([]);
  return [...(await Promise.all(checks)), ...(await secrets)];
}

async function checkZone(client: Cloudflare, name: string, accountId: string): Promise<Finding> {
  try {
    for await (const zone of client.zones.list({ name })) {
      if (zone.name !== name) continue;
      if (zone.account?.id && zone.account.id !== accountId) return fail('cloudflare', `zone ${name} belongs to account ${zone.account.id}, not ${accountId}`);
      return zone.status === 'active' ? ok('cloudflare', `zone ${name} is active`) : warn('cloudflare', `zone ${name} is ${zone.status ?? 'not active'}: requests reach the worker once its nameservers point to Cloudflare`);
    }
    return fail('cloudflare', `zone ${name} (from the routes of wrangler.toml) is not in the account: add it to Cloudflare, or fix the routes`);
  } catch (error) {
    return fail('cloudflare', `zone ${name}: ${explain(error, 'Zone: Read')}`);
  }
}

async function checkSecrets(client: Cloudflare, settings: DeploySettings, accountId: string): Promise<Finding[]> {
  const worker = settings.workerName ?? '';
  const needed = ['STICKY_SECRET', ...(settings.transport === 'tunnel-hostnames' ? ['TUNNEL_ACCESS_CLIENT_ID', 'TUNNEL_ACCESS_CLIENT_SECRET'] : [])];
  const names = new Set<string>();
  try {
    for await (const secret of client.workers.scripts.secrets.list(worker, { account_id: accountId })) if (secret.name) names.add(secret.name);
  } catch (error) {
    if (error instanceof APIError && error.status === 404) return [warn('cloudflare', `worker ${worker} is not deployed yet: npx wrangler deploy, then npx wrangler secret put ${needed.join(', ')}`)];
    return [fail('cloudflare', `secrets of worker ${worker}: ${explain(error, 'Workers Scripts: Read')}`)];
  }
  return needed.map((name) => {
    if (names.has(name)) return ok('cloudflare', `worker ${worker} has the secret ${name}`);
    // Without STICKY_SECRET only sticky sessions stop working; without the Access token no request reaches a pod.
    const finding = name === 'STICKY_SECRET' ? warn : fail;
    return finding('cloudflare', `worker ${worker} has no secret ${name}: npx wrangler secret put ${name}`);
  });
}

function explain(error: unknown, permission: string): string {
  if (error instanceof APIError && error.status === 404) return 'not found in the account';
  if (error instanceof APIError && (error.status === 401 || error.status === 403)) return `the token may not read it (give it ${permission}), or the account id is wrong`;
  return describeApiError(error);
}
