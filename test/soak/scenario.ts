/**
 * The soak's cluster and its stream of changes. Every generation of the
 * Ingresses is numbered, and every Ingress carries that number in a custom
 * response header (`X-Soak-Generation`), so each pod response says which
 * table served it; the checks then know exactly which backend that table
 * sends it to.
 *
 * | host | route | changes |
 * |---|---|---|
 * | app.example.com `/` | Service blue or green | flips every generation |
 * | api.example.com `/v1` (PathPrefixStrip) | api | its EndpointSlice lists api-0, api-1 or both |
 * | extra-0…3.example.com `/` | static | each exists in some generations |
 * | secure.example.com `/` | static, `ssl-redirect` | — |
 * | auth.example.com `/` | static, basic auth | — |
 *
 * Ingress `app` is always written last: once a table serves app's new
 * generation, it holds every other Ingress change of that generation (one
 * watch stream delivers them in order, and each table is a whole cache).
 */
import { createHash } from 'node:crypto';
import { serviceObjects } from '../e2e/harness/manifests.ts';
import type { Pod } from '../e2e/harness/pods.ts';
import type { StoredObject } from '../kube/store.ts';

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
  /** The pods (`api-<k>`) api's EndpointSlice lists. */
  readonly apiPods: ReadonlySet<string>;
}

export const FIRST_GENERATION: Generation = { number: 0, app: 'blue', extras: new Set([0, 1]), apiPods: new Set(['api-0', 'api-1']) };

const API_POD_SETS = [['api-0'], ['api-1'], ['api-0', 'api-1']] as const;

/** The next generation: app flips, one extra host appears or goes, api's endpoints are drawn again (never none). */
export function nextGeneration(previous: Generation, random: () => number): Generation {
  const extras = new Set(previous.extras);
  const toggled = Math.floor(random() * EXTRA_HOSTS);
  if (extras.has(toggled)) extras.delete(toggled);
  else extras.add(toggled);
  const apiPods = new Set(API_POD_SETS[Math.floor(random() * API_POD_SETS.length)]);
  return { number: previous.number + 1, app: previous.app === 'blue' ? 'green' : 'blue', extras, apiPods };
}

const A = 'ingress.kubernetes.io/';

function ingress(name: string, host: string, path: string, service: SoakService, annotations: Record<string, string>): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: { rules: [{ host, http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: service, port: { number: 8080 } } } }] } }] },
  };
}

/** The Ingresses of a generation, `app` last. */
export function ingressObjects(generation: Generation): StoredObject[] {
  const tag = { [`${A}custom-response-headers`]: `X-Soak-Generation:${generation.number}` };
  return [
    ingress('api', 'api.example.com', '/v1', 'api', { ...tag, [`${A}rule-type`]: 'PathPrefixStrip' }),
    ingress('secure', 'secure.example.com', '/', 'static', { ...tag, [`${A}ssl-redirect`]: 'true' }),
    ingress('auth', 'auth.example.com', '/', 'static', { ...tag, [`${A}auth-type`]: 'basic', [`${A}auth-secret`]: 'soak-users' }),
    ...[...generation.extras].sort().map((k) => ingress(`extra-${k}`, `extra-${k}.example.com`, '/', 'static', tag)),
    ingress('app', 'app.example.com', '/', generation.app, tag),
  ];
}

/** Services and their EndpointSlices: every pod, except the api pods a generation leaves out. */
export function serviceObjectsOf(pods: readonly Pod[], generation: Generation): StoredObject[] {
  const listed = pods.filter((pod) => pod.service !== 'api' || generation.apiPods.has(pod.name));
  return Object.keys(SERVICES).flatMap((name) => serviceObjects(name, listed) as StoredObject[]);
}

/** The Secret of the basic-auth route (a `{SHA}` hash: cheap to check, so the soak measures the proxy). */
export function secretObject(): StoredObject {
  const hash = createHash('sha1').update(AUTH.password).digest('base64');
  const auth = Buffer.from(`${AUTH.user}:{SHA}${hash}\n`).toString('base64');
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'soak-users', namespace: 'default' }, type: 'Opaque', data: { auth } };
}
