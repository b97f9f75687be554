// The compiler reads Secrets: who gets in follows the Secret's content
// without any change to the Ingress (the sync agent and `edgress dev --watch`
// recompile when a Secret changes). Also: the table never holds a clear-text
// password, and diagnostics never quote a hash or a password.
import { describe, expect, it } from 'vitest';
import { compile, formatDiagnostic, type Diagnostic, type KubeObject } from '../../src/compile/index.ts';
import { parseHtdigest, parseHtpasswd } from '../../src/compile/annotations/auth-secret.ts';
import { HTDIGEST, HTPASSWD } from '../fixtures/auth/credentials.ts';

const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'admin', namespace: 'shop', annotations: { 'ingress.kubernetes.io/auth-type': 'basic', 'ingress.kubernetes.io/auth-secret': 'htpasswd' } },
  spec: { rules: [{ host: 'admin.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
};

/** Diagnostics about the Secret (the Service `web` is left out on purpose). */
const aboutSecret = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.code === 'InvalidAuthSecret');

const secret = (auth: string): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'htpasswd', namespace: 'shop' }, stringData: { auth } });

function users(objects: KubeObject[]): unknown {
  const { table } = compile(objects, {});
  const id = table.routers[0]?.middlewares[0] ?? '';
  return table.middlewares[id];
}

describe('a changed Secret', () => {
  it('changes who gets in, the Ingress untouched', () => {
    const before = users([ingress, secret('apr1-user:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50\n')]);
    const after = users([ingress, secret('sha-user:{SHA}xO2etOilyqtV8o1RvvnmkeBx7QI=\n')]);
    expect(before).toMatchObject({ kind: 'basic-auth', users: [{ user: 'apr1-user' }] });
    expect(after).toMatchObject({ kind: 'basic-auth', users: [{ user: 'sha-user' }] });
  });

  it('that breaks fails the route closed; deleting it too', () => {
    expect(users([ingress, secret('sha-user:sha-pass\n')])).toEqual({ kind: 'deny', status: 404, reason: 'authentication is misconfigured' });
    expect(users([ingress, secret('sha-user:sha-pass\n$6$no-user-here\n')])).toMatchObject({ kind: 'deny', status: 404 });
    expect(users([ingress])).toEqual({ kind: 'deny', status: 404, reason: 'authentication is misconfigured' });
  });
});

describe('clear text', () => {
  it('never reaches the table or a diagnostic', () => {
    const passwords = ['hunter2-clear', 'my-other-secret'];
    const { table, diagnostics } = compile([ingress, secret(`alice:${passwords[0]}\nbob:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50\nmallory:${passwords[1]}\n`)], {});
    const text = JSON.stringify(table) + diagnostics.map(formatDiagnostic).join('\n');
    for (const password of passwords) expect(text).not.toContain(password);
    expect(aboutSecret(diagnostics).map((d) => [d.severity, d.message])).toEqual([
      ['warning', expect.stringMatching(/^Secret "htpasswd" line 1 \(user "alice"\): a password in plain text.*; line skipped/)],
      ['warning', expect.stringMatching(/^Secret "htpasswd" line 3 \(user "mallory"\): a password in plain text.*; line skipped/)],
    ]);
  });

  it('on a line without a user is not quoted as a user', () => {
    const { diagnostics } = compile([ingress, secret('bob:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50\nhunter2-bare\n')], {});
    expect(aboutSecret(diagnostics).map((d) => d.message)).toEqual([expect.stringMatching(/^Secret "htpasswd" line 2: not user:hash/)]);
    expect(JSON.stringify(diagnostics)).not.toContain('hunter2');
  });
});

describe('unusable lines', () => {
  it('are skipped one by one: the other users keep working', () => {
    const text = 'apr1-user:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50\nsha512-user:$6$salt$abc\nsha-user:{SHA}xO2etOilyqtV8o1RvvnmkeBx7QI=\n';
    expect(users([ingress, secret(text)])).toMatchObject({ kind: 'basic-auth', users: [{ user: 'apr1-user' }, { user: 'sha-user' }] });
    expect(parseHtpasswd(text).unusable).toEqual([{ line: 2, user: 'sha512-user', problem: expect.stringContaining('plain text or not hashed') }]);
  });

  it('are reported up to a limit, then counted', () => {
    const lines = ['bob:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50', ...Array.from({ length: 14 }, (_, i) => `user${i}:clear${i}`)];
    const { diagnostics } = compile([ingress, secret(lines.join('\n'))], {});
    expect(aboutSecret(diagnostics)).toHaveLength(11);
    expect(aboutSecret(diagnostics).at(-1)?.message).toBe('Secret "htpasswd": 4 more unusable lines skipped');
  });
});

describe('the fixture files', () => {
  it('parse completely: every tool-made line is accepted', () => {
    expect(parseHtpasswd(HTPASSWD)).toMatchObject({ unusable: [], warnings: [] });
    expect(parseHtpasswd(HTPASSWD).users).toHaveLength(8);
    expect(parseHtdigest(HTDIGEST)).toMatchObject({ unusable: [], warnings: [], otherRealms: 0 });
  });
});
