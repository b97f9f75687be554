/**
 * Applying cloudflared ingress rules through the remote tunnel configuration
 * API, against the stand-in: the rules replace the ingress list, the rest of
 * the document stays, unchanged rules are not written, failures retry.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseHostnameTemplate } from '../../src/tunnel/hostname-template.ts';
import { ingressRules, type IngressRule } from '../../src/tunnel/ingress-rules.ts';
import { applyIngressRules } from '../../sync/tunnel/remote-config.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, InstantClock, startStandIn, tableWith, TUNNEL } from './helpers.ts';

let api: CloudflareApiStandIn;
const clock = new InstantClock();

beforeEach(async () => {
  api = await startStandIn();
});
afterEach(() => api.close());

function rulesFor(hosts: string[]): readonly IngressRule[] {
  const template = parseHostnameTemplate('{service}-{namespace}.tunnel.example.com');
  if (!template.ok) throw new Error(template.error);
  const result = ingressRules(tableWith(hosts), { template: template.template, clusterDomain: 'cluster.local' });
  if (!result.ok) throw new Error(result.errors.join());
  return result.rules;
}

const puts = () => api.requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/configurations'));

describe('applyIngressRules', () => {
  it('replaces the ingress list, keeps the other settings, and writes nothing when unchanged', async () => {
    api.setTunnel(TUNNEL, { originRequest: { connectTimeout: 30 }, 'warp-routing': { enabled: true }, ingress: [{ service: 'http_status:404' }] });
    const rules = rulesFor(['shop.example.com']);
    const first = await applyIngressRules(connect(api, clock), TUNNEL, rules);
    expect(first).toEqual({ changed: true, version: 2 });
    expect(api.tunnel(TUNNEL)?.config).toEqual({ originRequest: { connectTimeout: 30 }, 'warp-routing': { enabled: true }, ingress: rules });
    expect((api.tunnel(TUNNEL)?.config as { ingress: IngressRule[] }).ingress.at(-1)).toEqual({ service: 'http_status:404' });
    expect(await applyIngressRules(connect(api, clock), TUNNEL, rules)).toEqual({ changed: false, version: 2 });
    expect(puts()).toHaveLength(1);
  });

  it('retries a failed write', async () => {
    api.fail({ method: 'PUT', path: /configurations$/, status: 500, times: 1 });
    expect((await applyIngressRules(connect(api, clock), TUNNEL, rulesFor(['a.example.com']))).changed).toBe(true);
    expect(puts().map((request) => request.status)).toEqual([500, 200]);
  });

  it('fails for a tunnel the account does not have', async () => {
    await expect(applyIngressRules(connect(api, clock), 'nope', rulesFor([]))).rejects.toThrow(/HTTP 404: tunnel not found/);
  });
});
