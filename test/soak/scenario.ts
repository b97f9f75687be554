/**
 * The soak's cluster and its stream of changes. Every generation of the
 * Ingress manifests is numbered, and every Ingress carries that number in a
 * custom response header (`X-Soak-Generation`), so each pod response says
 * which table served it; the checks then know exactly which backend that
 * table sends it to.
 *
 * | host | route | changes |
 * |---|---|---|
 * | app.example.com `/` | Service blue or green | flips every generation |
 * | api.example.com `/v1` (PathPrefixStrip) | api | — |
 * | extra-0…3.example.com `/` | static | each exists in some generations |
 * | secure.example.com `/` | static, `ssl-redirect` | — |
 * | auth.example.com `/` | static, basic auth | — |
 */
import { createHash } from 'node:crypto';
import { toYaml } from '../e2e/harness/manifests.ts';

export const SERVICES = { blue: 2, green: 2, api: 2, static: 1 } as const;
export type SoakService = keyof typeof SERVICES;
export const EXTRA_HOSTS = 4;
export const GENERATION_HEADER = 'x-soak-generation';
export const AUTH = { user: 'soak', password: 'soak-password' } as const;

export interface Generation {
  readonly number: number;
  readonly app: 'blue' | 'green';
  /** Which `extra-<k>.example.com` hosts exist. */
  readonly extras: ReadonlySet<number>;
}

export const FIRST_GENERATION: Generation = { number: 0, app: 'blue', extras: new Set([0, 1]) };

/** The next generation: app flips, one extra host appears or goes. */
export function nextGeneration(previous: Generation, random: () => number): Generation {
  const extras = new Set(previous.extras);
  const toggled = Math.floor(random() * EXTRA_HOSTS);
  if (extras.has(toggled)) extras.delete(toggled);
  else extras.add(toggled);
  return { number: previous.number + 1, app: previous.app === 'blue' ? 'green' : 'blue', extras };
}

const A = 'ingress.kubernetes.io/';

function ingress(name: string, host: string, path: string, service: SoakService, annotations: Record<string, string>): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: { rules: [{ host, http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: service, port: { number: 8080 } } } }] } }] },
  };
}

/** The Ingresses of a generation, as YAML. */
export function ingressManifests(generation: Generation): string {
  const tag = { [`${A}custom-response-headers`]: `X-Soak-Generation:${generation.number}` };
  const objects = [
    ingress('app', 'app.example.com', '/', generation.app, tag),
    ingress('api', 'api.example.com', '/v1', 'api', { ...tag, [`${A}rule-type`]: 'PathPrefixStrip' }),
    ingress('secure', 'secure.example.com', '/', 'static', { ...tag, [`${A}ssl-redirect`]: 'true' }),
    ingress('auth', 'auth.example.com', '/', 'static', { ...tag, [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'soak-users' }),
    ...[...generation.extras].sort().map((k) => ingress(`extra-${k}`, `extra-${k}.example.com`, '/', 'static', tag)),
  ];
  return toYaml(objects);
}

/** The Secret of the basic-auth route (a `{SHA}` hash: cheap to check, so the soak measures the proxy). */
export function secretManifest(): string {
  const hash = createHash('sha1').update(AUTH.password).digest('base64');
  return toYaml([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'soak-users', namespace: 'default' }, stringData: { auth: `${AUTH.user}:{SHA}${hash}\n` } }]);
}
