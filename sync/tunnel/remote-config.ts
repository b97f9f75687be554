/**
 * Applies ingress rules to a Cloudflare Tunnel through the remote
 * configuration API (`PUT …/cfd_tunnel/{id}/configurations`); cloudflared picks
 * the new version up without a restart. The PUT replaces the whole document,
 * so the current one is read first: its other settings (global
 * `originRequest`, `warp-routing`) are kept, only `ingress` is replaced, and
 * nothing is written when the rules are already in force.
 *
 * @example
 * ```ts
 * const outcome = await applyIngressRules(api, tunnelId, rules);
 * if (outcome.changed) log.info('tunnel-configured', { version: outcome.version });
 * ```
 */
import type { IngressRule } from '../../src/tunnel/ingress-rules.ts';
import type { CloudflareApi } from '../publish/cloudflare/client.ts';

export interface ApplyOutcome {
  readonly changed: boolean;
  /** The configuration version now in force, as the API reports it. */
  readonly version: number | undefined;
}

type UpdateParams = Parameters<CloudflareApi['client']['zeroTrust']['tunnels']['cloudflared']['configurations']['update']>[1];

export async function applyIngressRules(api: CloudflareApi, tunnelId: string, rules: readonly IngressRule[]): Promise<ApplyOutcome> {
  const configurations = api.client.zeroTrust.tunnels.cloudflared.configurations;
  const current = await api.gate.call('read the tunnel configuration', () => configurations.get(tunnelId, { account_id: api.accountId }));
  const existing = (current.config ?? {}) as Record<string, unknown>;
  if (JSON.stringify(existing['ingress']) === JSON.stringify(rules)) return { changed: false, version: current.version };
  // The client's types want a hostname on every rule; cloudflared's catch-all has none.
  const config = { ...existing, ingress: rules } as unknown as UpdateParams['config'];
  const updated = await api.gate.call('write the tunnel configuration', () => configurations.update(tunnelId, { account_id: api.accountId, config }));
  return { changed: true, version: updated.version };
}
