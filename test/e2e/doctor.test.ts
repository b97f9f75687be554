/**
 * `edgress doctor` through the real CLI: the repository's placeholders,
 * values the worker and the agent must agree on, the tools on PATH, the Node
 * on PATH, and the account (KV namespace, tunnel, zones, worker secrets)
 * against the Cloudflare API stand-in.
 */
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudflareApiStandIn, type StandInOptions } from '../cloudflare/api-server.ts';
import { runCli, tempDir, type CliResult } from './harness/edgress.ts';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const KV = 'fedcba9876543210fedcba9876543210';
const TUNNEL = '6ff42ae2-765d-4adf-8112-31c55c1551ef';
const TOKEN = 'doctor-token';

interface Project {
  readonly transport?: string;
  readonly kvInConfig?: string;
}

function wranglerToml(project: Project): string {
  const transport = project.transport ?? 'vpc';
  return `name = "edgress"
main = "worker/index.ts"
routes = [{ pattern = "*.example.net/*", zone_name = "example.net" }]

[[kv_namespaces]]
binding = "TABLE"
id = "${KV}"

[[vpc_networks]]
binding = "VPC"
tunnel_id = "${TUNNEL}"

[vars]
TRANSPORT = "${transport}"
TUNNEL_HOSTNAME_TEMPLATE = "{service}-{namespace}.tunnel.example.net"
TRUST_FORWARDED_PROTO = "false"
`;
}

const configYaml = (kv: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: edgress-config
  namespace: edgress
data:
  CLOUDFLARE_ACCOUNT_ID: "${ACCOUNT}"
  KV_NAMESPACE_ID: "${kv}"
  INGRESS_ENDPOINT_HOSTNAME: "edge.shop.test"
`;

const kustomization = `resources: [base, agent.yaml]
images:
  - name: ghcr.io/example/edgress-agent
    newName: registry.shop.test/edgress-agent
    newTag: 0.1.0
`;

let dir: string;
let bin: string;
let api: CloudflareApiStandIn | undefined;

beforeEach(async () => {
  dir = await tempDir({});
  bin = join(dir, 'bin');
  await mkdir(bin);
  for (const tool of ['kubectl', 'cloudflared', 'kustomize', 'docker']) await executable(tool, 'exit 0');
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function executable(name: string, body: string): Promise<void> {
  await writeFile(join(bin, name), `#!/bin/sh\n${body}\n`);
  await chmod(join(bin, name), 0o755);
}

async function project(settings: Project = {}): Promise<string[]> {
  await mkdir(join(dir, 'deploy', 'base'), { recursive: true });
  await writeFile(join(dir, 'wrangler.toml'), wranglerToml(settings));
  await writeFile(join(dir, 'deploy', 'base', 'config.yaml'), configYaml(settings.kvInConfig ?? KV));
  await writeFile(join(dir, 'deploy', 'kustomization.yaml'), kustomization);
  return ['--wrangler-config', join(dir, 'wrangler.toml'), '--deploy-dir', join(dir, 'deploy')];
}

async function account(options: Partial<StandInOptions>): Promise<string[]> {
  api = await CloudflareApiStandIn.start({ token: TOKEN, account: ACCOUNT, ...options });
  return ['--cloudflare-api-url', api.baseUrl];
}

function doctor(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(['doctor', ...args], {
    env: { PATH: bin, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_ACCOUNT_ID: ACCOUNT, CLOUDFLARE_BASE_URL: undefined, ...env },
  });
}

const lines = (result: CliResult, status: 'ok' | 'warn' | 'fail') => result.stdout.split('\n').filter((line) => line.startsWith(`${status} `));

describe('edgress doctor', { timeout: 60_000 }, () => {
  it('fails on every placeholder the repository ships, one line each', async () => {
    const result = await doctor(['--offline']);
    expect(result.status).toBe(1);
    const failed = lines(result, 'fail').join('\n');
    expect(failed).toMatch(/wrangler\.toml: \[\[kv_namespaces\]\] TABLE id is the placeholder "0+": run `npx wrangler kv namespace create/);
    expect(failed).toMatch(/wrangler\.toml: \[\[vpc_networks\]\] tunnel_id is the placeholder/);
    expect(failed).toMatch(/deploy\/base\/config\.yaml: CLOUDFLARE_ACCOUNT_ID is the placeholder/);
    expect(failed).toMatch(/deploy\/base\/config\.yaml: KV_NAMESPACE_ID is the placeholder/);
    expect(failed).toMatch(/deploy\/kustomization\.yaml: the agent image is the placeholder ghcr\.io\/example\/edgress-agent/);
    expect(result.stdout).toMatch(/^warn  deploy\/base\/config\.yaml: INGRESS_ENDPOINT_HOSTNAME is "edge\.example\.com"/m);
    expect(result.stdout).toMatch(/^\d+ failed, \d+ warnings, \d+ ok$/m);
  });

  it('passes a filled-in project whose account has the namespace, tunnel, zone and secrets', async () => {
    const args = [...(await project()), ...(await account({ namespaces: [KV], tunnels: [TUNNEL], zones: [{ name: 'example.net' }], scripts: { edgress: ['STICKY_SECRET'] } }))];
    const result = await doctor(args);
    expect(lines(result, 'fail'), result.stdout).toEqual([]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ok    node: Node v\d+\.\d+\.\d+ satisfies edgress \(>=22\.18\.0\) and the engines of its \d+ dependencies$/m);
    expect(result.stdout).toContain(`ok    cloudflare: KV namespace ${KV} (namespace-`);
    expect(result.stdout).toContain(`ok    cloudflare: tunnel ${TUNNEL} (`);
    expect(result.stdout).toContain('ok    cloudflare: zone example.net is active');
    expect(result.stdout).toContain('ok    cloudflare: worker edgress has the secret STICKY_SECRET');
  });

  it('fails for each thing the account lacks', async () => {
    const args = [...(await project()), ...(await account({ zones: [{ name: 'other.net' }] }))];
    const result = await doctor(args);
    expect(result.status).toBe(1);
    const failed = lines(result, 'fail').join('\n');
    expect(failed).toContain(`cloudflare: KV namespace ${KV}: not found in the account`);
    expect(failed).toContain(`cloudflare: tunnel ${TUNNEL}: not found in the account`);
    expect(failed).toContain('cloudflare: zone example.net (from the routes of wrangler.toml) is not in the account');
    expect(result.stdout).toContain('warn  cloudflare: worker edgress is not deployed yet');
  });

  it('says when the token cannot read the account', async () => {
    const args = [...(await project()), ...(await account({ namespaces: [KV] }))];
    const result = await doctor(args, { CLOUDFLARE_API_TOKEN: 'wrong' });
    expect(result.status).toBe(1);
    expect(lines(result, 'fail').join('\n')).toMatch(/KV namespace .*: the token may not read it \(give it Workers KV Storage: Read\)/);
  });

  it('skips the account, with a warning, without a token', async () => {
    const result = await doctor(await project(), { CLOUDFLARE_API_TOKEN: undefined });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^warn  cloudflare: CLOUDFLARE_API_TOKEN is not set: the KV namespace, tunnel, zones and worker secrets were not checked/m);
  });

  it('needs the Access service token secrets for tunnel-hostnames', async () => {
    const args = [...(await project({ transport: 'tunnel-hostnames' })), ...(await account({ namespaces: [KV], tunnels: [TUNNEL], zones: [{ name: 'example.net' }], scripts: { edgress: ['STICKY_SECRET', 'TUNNEL_ACCESS_CLIENT_ID'] } }))];
    const result = await doctor(args);
    expect(result.status).toBe(1);
    expect(lines(result, 'fail')).toEqual(['fail  cloudflare: worker edgress has no secret TUNNEL_ACCESS_CLIENT_SECRET: npx wrangler secret put TUNNEL_ACCESS_CLIENT_SECRET']);
  });

  it('fails when the agent would publish to another namespace than the worker reads', async () => {
    const result = await doctor([...(await project({ kvInConfig: 'aaaabbbbccccddddaaaabbbbccccdddd' })), '--offline']);
    expect(result.status).toBe(1);
    expect(lines(result, 'fail').join('\n')).toContain(`KV_NAMESPACE_ID aaaabbbbccccddddaaaabbbbccccdddd is not the TABLE namespace of wrangler.toml (${KV})`);
  });

  it('names the tools a step needs that are not on PATH, and a system Node older than edgress needs', async () => {
    for (const tool of ['kubectl', 'cloudflared', 'kustomize', 'docker']) await rm(join(bin, tool));
    await executable('node', 'echo v20.11.1');
    const result = await doctor([...(await project()), '--offline']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^fail  kubectl: not found on PATH: kubectl apply -k deploy\/ installs/m);
    expect(result.stdout).toMatch(/^warn  cloudflared: not found on PATH: .*or create the tunnel in the dashboard/m);
    expect(result.stdout).toMatch(/^warn  kustomize: not found on PATH: .*kubectl apply -k needs no kustomize/m);
    expect(result.stdout).toMatch(/^warn  node: the node on PATH \(v20\.11\.1, .*\) is older than >=22\.18\.0/m);
  });

  it('exits 2 without a wrangler.toml', async () => {
    const result = await doctor(['--wrangler-config', join(dir, 'nope.toml'), '--offline']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^error: .*nope\.toml: no such file/);
  });
});
