/**
 * Writes a kubeconfig for the test API server: plain HTTP needs
 * `insecure-skip-tls-verify: true` for client-node to accept it.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function writeKubeconfig(server: string, token: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgress-kube-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(
    path,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '  - name: test',
      '    cluster:',
      `      server: ${server}`,
      '      insecure-skip-tls-verify: true',
      'users:',
      '  - name: test',
      '    user:',
      `      token: ${token}`,
      'contexts:',
      '  - name: test',
      '    context: { cluster: test, user: test, namespace: default }',
      'current-context: test',
      '',
    ].join('\n'),
  );
  return path;
}
