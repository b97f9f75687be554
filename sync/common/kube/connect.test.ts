import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inCluster, loadKubeConfig } from './connect.ts';

const IN_CLUSTER = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

async function kubeconfigFile(server: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'edgress-connect-')), 'config');
  await writeFile(path, `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: shop}}]\ncurrent-context: x\n`);
  return path;
}

describe('loadKubeConfig', () => {
  it('uses the service account in a cluster; --endpoint only replaces the address', () => {
    // client-node reads the address from process.env itself.
    const restore = withEnv(IN_CLUSTER);
    try {
      inClusterCases();
    } finally {
      restore();
    }
  });

  function inClusterCases(): void {
    expect(inCluster(IN_CLUSTER)).toBe(true);
    expect(inCluster({ KUBERNETES_SERVICE_HOST: '10.96.0.1' })).toBe(false);
    const plain = loadKubeConfig({}, IN_CLUSTER);
    expect(plain.mode).toBe('in-cluster');
    expect(plain.config.getCurrentCluster()).toMatchObject({ server: 'https://10.96.0.1:443', caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt' });
    const moved = loadKubeConfig({ endpoint: 'https://api.internal:6443', token: 'ignored' }, IN_CLUSTER);
    expect(moved.config.getCurrentCluster()?.server).toBe('https://api.internal:6443');
    expect(moved.config.getCurrentUser()?.token).toBeUndefined();
  }

  it('prefers an explicit --kubeconfig, with its context namespace', async () => {
    const connection = loadKubeConfig({ kubeconfig: await kubeconfigFile('https://k.example:6443') }, IN_CLUSTER);
    expect(connection).toMatchObject({ mode: 'kubeconfig', namespace: 'shop' });
    expect(connection.config.getCurrentCluster()?.server).toBe('https://k.example:6443');
  });

  it('connects to --endpoint with --token outside a cluster (plain http allowed, for kubectl proxy)', () => {
    const connection = loadKubeConfig({ endpoint: 'http://127.0.0.1:8001', token: 'secret' }, {});
    expect(connection.mode).toBe('endpoint');
    expect(connection.config.getCurrentCluster()).toMatchObject({ server: 'http://127.0.0.1:8001', skipTLSVerify: true });
    expect(connection.config.getCurrentUser()?.token).toBe('secret');
    expect(() => loadKubeConfig({ endpoint: 'https://x', certAuthFilePath: '/nonexistent/ca.crt' }, {})).toThrow(/ENOENT/);
  });

  it('falls back to kubectl rules ($KUBECONFIG)', async () => {
    const restore = withEnv({ KUBECONFIG: await kubeconfigFile('https://from-env:6443') });
    try {
      expect(loadKubeConfig({}, {}).config.getCurrentCluster()?.server).toBe('https://from-env:6443');
    } finally {
      restore();
    }
  });
});

function withEnv(values: Record<string, string>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
