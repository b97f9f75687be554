/**
 * The cluster of the access-control end-to-end tests: the same manifests a
 * user would write, with the htpasswd and htdigest files the standard tools
 * made (test/fixtures/auth), echo pods, and a forward-auth server.
 *
 * | host | Ingress | protection | Service |
 * |---|---|---|---|
 * | basic.example.com `/admin` | admin | basic auth, `X-WebAuth-User` | admin |
 * | basic.example.com `/` | open | none (another Ingress) | www |
 * | digest.example.com, digest2.example.com `/app` | digest | digest auth, PathPrefixStrip (one rule per host) | admin |
 * | sso.example.com `/` | sso | forward auth, `X-Auth-User`, `X-Forwarded-User` | admin |
 * | office.example.com `/` | office | allow-list 127.0.0.9, ::1 | admin |
 * | proxy.example.com `/` | proxied | allow-list 203.0.113.0/24, X-Forwarded-For | admin |
 * | broken.example.com `/` | broken | basic auth, a plain-text password (404) | admin |
 * | mixed.example.com `/` | mixed | basic auth, a plain-text and a `$6$` line beside apr1-user (skipped) | admin |
 * | blank.example.com `/` | blank | allow-list of blank entries `" , "` (fails closed, 403) | admin |
 * | basic.example.com `/legacy` | legacy | none; `pass-original-url-headers` (X-Original-URL reaches the pod) | www |
 * | *.wild.example `/` | wild | none (a wildcard host) | www |
 */
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startAuthServer, type AuthServer } from './auth-server.ts';
import { startDev, tempDir, type DevProcess } from './edgress.ts';
import { serviceObjects, toYaml } from './manifests.ts';
import { startPods, type Pod, type PodSet } from './pods.ts';

const FIXTURES = new URL('../../fixtures/auth/', import.meta.url);
export const HTPASSWD_FILE = readFileSync(new URL('htpasswd', FIXTURES), 'utf8');
export const HTDIGEST_FILE = readFileSync(new URL('htdigest', FIXTURES), 'utf8');
/** A plain-text line and an unsupported `$6$` hash around apr1-user's tool-made line. */
export const MIXED_HTPASSWD = `admin:admin\n${HTPASSWD_FILE.split('\n').find((line) => line.startsWith('apr1-user:'))}\nsha512-user:$6$saltsalt$qFmFH.bQmmtXzyBY0s9v7Oicd2z4XSIecDzlB5KiA2/jctKu9YterLp8wwnSq.qc\n`;

export interface AccessCluster {
  readonly dev: DevProcess;
  readonly pods: PodSet;
  readonly auth: AuthServer;
  readonly dir: string;
  /** The pod behind every protected route. */
  readonly admin: Pod;
  /** The pod of the open route. */
  readonly www: Pod;
  /** Rewrites the Secrets file (under `--watch`) and waits for the reload. */
  writeSecrets(htpasswd: string): Promise<void>;
  close(): Promise<void>;
}

export async function startAccessCluster(devArgs: readonly string[] = []): Promise<AccessCluster> {
  const pods = await startPods({ admin: 1, www: 1 });
  const auth = await startAuthServer('127.0.0.1');
  const services = toYaml([...serviceObjects('admin', pods.pods), ...serviceObjects('www', pods.pods)]);
  const dir = await tempDir({ 'ingresses.yaml': ingresses(auth.url), 'services.yaml': services, 'secrets.yaml': secrets(HTPASSWD_FILE) });
  const dev = await startDev(['-f', dir, ...devArgs]);
  const pod = (service: string) => pods.pods.find((p) => p.service === service)!;
  return {
    dev,
    pods,
    auth,
    dir,
    admin: pod('admin'),
    www: pod('www'),
    async writeSecrets(htpasswd) {
      const reloads = dev.output().split('edgress dev: reloaded').length;
      await writeFile(join(dir, 'secrets.yaml'), secrets(htpasswd));
      await dev.waitFor(new RegExp(`(edgress dev: reloaded[\\s\\S]*){${reloads}}`));
    },
    async close() {
      await dev.stop();
      await pods.close();
      await auth.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function ingress(name: string, host: string, path: string, service: string, annotations: Record<string, string>, pathType = 'Prefix'): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: { rules: [{ host, http: { paths: [{ path, pathType, backend: { service: { name: service, port: { number: 8080 } } } }] } }] },
  };
}

const A = 'ingress.kubernetes.io/';

/** The Ingress with one rule per host, each a copy of its first rule. */
function withHosts(object: object, hosts: readonly string[]): object {
  const typed = object as { spec: { rules: { host: string }[] } };
  const [rule] = typed.spec.rules;
  return { ...typed, spec: { ...typed.spec, rules: hosts.map((host) => ({ ...rule, host })) } };
}

function ingresses(authUrl: string): string {
  return toYaml([
    ingress('admin', 'basic.example.com', '/admin', 'admin', { [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'htpasswd', [`${A}auth-header-field`]: 'X-WebAuth-User' }),
    ingress('open', 'basic.example.com', '/', 'www', {}),
    withHosts(ingress('digest', 'digest.example.com', '/app', 'admin', {
      'traefik.ingress.kubernetes.io/auth-type': 'digest',
      'traefik.ingress.kubernetes.io/auth-secret': 'htdigest',
      'traefik.ingress.kubernetes.io/rule-type': 'PathPrefixStrip',
    }, 'ImplementationSpecific'), ['digest.example.com', 'digest2.example.com']),
    ingress('sso', 'sso.example.com', '/', 'admin', {
      [`${A}auth-type`]: 'forward',
      [`${A}auth-url`]: authUrl,
      [`${A}auth-response-headers`]: 'X-Auth-User, X-Forwarded-User',
    }),
    ingress('office', 'office.example.com', '/', 'admin', { [`${A}whitelist-source-range`]: '127.0.0.9, ::1' }),
    ingress('proxied', 'proxy.example.com', '/', 'admin', { [`${A}whitelist-source-range`]: '203.0.113.0/24', [`${A}whitelist-x-forwarded-for`]: 'true' }),
    ingress('broken', 'broken.example.com', '/', 'admin', { [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'plain' }),
    ingress('mixed', 'mixed.example.com', '/', 'admin', { [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'mixed' }),
    ingress('blank', 'blank.example.com', '/', 'admin', { [`${A}whitelist-source-range`]: ' , ' }),
    ingress('legacy', 'basic.example.com', '/legacy', 'www', { [`${A}pass-original-url-headers`]: 'true' }),
    ingress('wild', '*.wild.example', '/', 'www', {}),
  ]);
}

function secrets(htpasswd: string): string {
  return toYaml([
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'htpasswd', namespace: 'default' }, type: 'Opaque', data: { auth: Buffer.from(htpasswd).toString('base64') } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'htdigest', namespace: 'default' }, type: 'Opaque', stringData: { auth: HTDIGEST_FILE } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain', namespace: 'default' }, type: 'Opaque', stringData: { auth: 'admin:admin\n' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mixed', namespace: 'default' }, type: 'Opaque', stringData: { auth: MIXED_HTPASSWD } },
  ]);
}
