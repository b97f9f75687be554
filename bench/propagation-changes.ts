/**
 * What the propagation benchmark serves and changes: the synthetic cluster
 * with every endpoint on local echo pods, two extra Services per namespace
 * (`prop-a`, `prop-b`) that changes route to, and a series of Ingress
 * writes (a new Ingress on a new host, an existing Ingress's /api moved to
 * another Service, an Ingress deleted), each with the request that shows
 * whether the edge serves it yet.
 *
 * @example
 * ```ts
 * const cluster = propagationCluster(10_000, pods);
 * for (const change of changeSeries(cluster, 20)) change.classify(reply); // 'old' | 'new', throws otherwise
 * ```
 */
import type { KubeObject } from '../src/compile/api.ts';
import type { Pod } from '../test/e2e/harness/pods.ts';
import { serviceObjects } from '../test/e2e/harness/manifests.ts';
import { generateCluster, hostOf, type Cluster } from './generate.ts';

/** The echo pods' Service names: `bulk` stands in for every generated backend. */
export const PODS = { bulk: 3, 'prop-a': 1, 'prop-b': 1 } as const;
const PROP_PORT = 8080;

/** What a probe must get: a reply from a pod of this Service, or no route at all. */
export type Behaviour = { readonly service: string } | 'no route';

export interface Probe {
  readonly host: string;
  readonly path: string;
}

export interface Reply {
  readonly status: number;
  readonly server: string | undefined;
  readonly body: string;
}

export interface Change {
  readonly label: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** API path, relative to the API server's URL. */
  readonly path: string;
  readonly body?: KubeObject;
  readonly probe: Probe;
  readonly before: Behaviour;
  readonly after: Behaviour;
}

export interface PropagationCluster extends Cluster {
  readonly namespaces: readonly string[];
}

export function propagationCluster(n: number, pods: readonly Pod[]): PropagationCluster {
  const bulk = pods.filter((pod) => pod.service === 'bulk');
  const endpoint = (_i: number, _index: number, k: number) => {
    const pod = bulk[k % bulk.length]!;
    return { ip: pod.ip, port: pod.port };
  };
  const generated = generateCluster(n, 42, { endpoint });
  const namespaces = [...new Set(generated.ingresses.map((facts) => facts.namespace))];
  // Services are namespaced: a change can only route to a prop-* Service in its Ingress's namespace.
  const extra = namespaces.flatMap((namespace) => ['prop-a', 'prop-b'].flatMap((name) => serviceObjects(name, pods, { namespace, port: PROP_PORT }) as KubeObject[]));
  return { objects: [...generated.objects, ...extra], ingresses: generated.ingresses, namespaces };
}

const ingressesPath = (namespace: string) => `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`;

/**
 * `count` changes cycling add / change / delete; each changed or deleted
 * Ingress is a different one, spread over the cluster.
 */
export function changeSeries(cluster: PropagationCluster, count: number): Change[] {
  const n = cluster.ingresses.length;
  if (n < count) throw new Error(`the propagation benchmark needs at least ${count} Ingresses, got ${n}`);
  const byName = new Map(cluster.objects.filter((object) => object.kind === 'Ingress').map((object) => [nameOf(object), object]));
  const touched = targets(n, count);
  return Array.from({ length: count }, (_, k): Change => {
    const facts = cluster.ingresses[touched[k]!]!;
    const { namespace, name } = facts;
    switch (k % 3) {
      case 0: {
        const host = `propagation-${k}.bench.example.com`;
        return {
          label: `add ${host}`,
          method: 'POST',
          path: ingressesPath(namespace),
          body: newIngress(namespace, `propagation-${k}`, host),
          probe: { host, path: `/new-${k}` },
          before: 'no route',
          after: { service: 'prop-a' },
        };
      }
      case 1:
        return {
          label: `move /api of ${namespace}/${name} to prop-b`,
          method: 'PUT',
          path: `${ingressesPath(namespace)}/${name}`,
          body: withApiOn(byName.get(name)!, 'prop-b'),
          probe: { host: facts.host, path: `/api/moved-${k}` },
          before: { service: 'bulk' },
          after: { service: 'prop-b' },
        };
      default:
        return {
          label: `delete ${namespace}/${name}`,
          method: 'DELETE',
          path: `${ingressesPath(namespace)}/${name}`,
          probe: { host: facts.host, path: `/gone-${k}` },
          before: { service: 'bulk' },
          after: 'no route',
        };
    }
  });
}

/** A generated host the series never touches, to check after each change that the rest still routes. */
export function untouchedProbe(cluster: PropagationCluster, count: number, k: number): Probe {
  const n = cluster.ingresses.length;
  const touched = new Set(targets(n, count));
  let i = (k * 7 + 1) % n;
  while (touched.has(i)) i = (i + 1) % n;
  return { host: hostOf(i), path: `/static/control-${k}` };
}

/** Generated Ingresses the series changes or deletes, evenly spread (distinct while n ≥ count). */
function targets(n: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * n) / count));
}

/** True when the reply is exactly that behaviour for the probe (the echo pod saw the same host and path). */
export function shows(reply: Reply, probe: Probe, behaviour: Behaviour): boolean {
  if (behaviour === 'no route') return reply.status === 404 && reply.server !== 'echoserver';
  if (reply.status !== 200 || reply.server !== 'echoserver') return false;
  const echo = JSON.parse(reply.body) as { service: string; path: string; host: string };
  return echo.service === behaviour.service && echo.path === probe.path && echo.host === probe.host;
}

function nameOf(object: KubeObject): string {
  return (object.metadata as { name: string }).name;
}

function newIngress(namespace: string, name: string, host: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace, annotations: { 'kubernetes.io/ingress.class': 'traefik' } },
    spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'prop-a', port: { number: PROP_PORT } } } }] } }] },
  };
}

interface IngressPath {
  readonly path: string;
  readonly pathType: string;
  readonly backend: unknown;
}

interface IngressSpec {
  readonly rules: readonly { readonly host: string; readonly http: { readonly paths: readonly IngressPath[] } }[];
}

/** The generated Ingress with its /api rule (one or two weighted entries) replaced by one entry to `service`. */
function withApiOn(ingress: KubeObject, service: string): KubeObject {
  const spec = ingress['spec'] as IngressSpec;
  const rules = spec.rules.map((rule) => ({
    ...rule,
    http: {
      paths: [
        ...rule.http.paths.filter((entry) => entry.path !== '/api'),
        { path: '/api', pathType: 'Prefix', backend: { service: { name: service, port: { number: PROP_PORT } } } },
      ],
    },
  }));
  return { ...ingress, spec: { ...spec, rules } };
}
