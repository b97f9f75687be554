/**
 * The official `cloudflare` client as edgress uses it: an API token and an
 * account from `CLOUDFLARE_API_TOKEN` and `CLOUDFLARE_ACCOUNT_ID` (as
 * wrangler reads them), another API base when asked (`--cloudflare-api-url`:
 * proxies, tests), and no retries of its own: the {@link RequestGate} retries,
 * within the request budget.
 *
 * @example
 * ```ts
 * const credentials = cloudflareCredentials(process.env);
 * if (!credentials.ok) exit(credentials.error);
 * const api = connectCloudflare(credentials.value, { baseUrl, clock: systemClock, log });
 * const kv = api.namespace('0f2ac74b498b48028cb68387c421e279');
 * ```
 */
import Cloudflare from 'cloudflare';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';
import { KvNamespaceApi } from './kv-api.ts';
import { RequestGate } from './request-gate.ts';

export interface CloudflareCredentials {
  readonly apiToken: string;
  readonly accountId: string;
}

export type CredentialsResult = { readonly ok: true; readonly value: CloudflareCredentials } | { readonly ok: false; readonly error: string };

/** A request that hangs longer than this is abandoned (and retried by the gate). */
export const API_TIMEOUT_MS = 30_000;

export function cloudflareCredentials(env: Readonly<Record<string, string | undefined>>): CredentialsResult {
  const apiToken = env['CLOUDFLARE_API_TOKEN']?.trim();
  const accountId = env['CLOUDFLARE_ACCOUNT_ID']?.trim();
  const missing = [!apiToken && 'CLOUDFLARE_API_TOKEN', !accountId && 'CLOUDFLARE_ACCOUNT_ID'].filter(Boolean);
  if (missing.length > 0 || !apiToken || !accountId) return { ok: false, error: `set ${missing.join(' and ')} (an API token with Workers KV Storage: Edit, and its account id)` };
  return { ok: true, value: { apiToken, accountId } };
}

export interface ConnectOptions {
  readonly baseUrl?: string;
  readonly clock: Clock;
  readonly log?: Logger;
}

export interface CloudflareApi {
  readonly client: Cloudflare;
  readonly gate: RequestGate;
  readonly accountId: string;
  namespace(namespaceId: string): KvNamespaceApi;
}

export function connectCloudflare(credentials: CloudflareCredentials, options: ConnectOptions): CloudflareApi {
  const client = new Cloudflare({
    apiToken: credentials.apiToken,
    // Only the token authenticates, whatever else the environment holds.
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: 0,
    timeout: API_TIMEOUT_MS,
    logLevel: 'off',
  });
  const gate = new RequestGate({ clock: options.clock, ...(options.log ? { log: options.log } : {}) });
  return {
    client,
    gate,
    accountId: credentials.accountId,
    namespace: (namespaceId) => new KvNamespaceApi(client, { accountId: credentials.accountId, namespaceId }, gate, options.clock),
  };
}
