/**
 * One seeded generator of synthetic clusters for every benchmark: N Ingresses
 * of 5 paths each, 1–2 backends (weighted when 2), 3 ready endpoints per
 * backend, and a mix of Traefik 1.7 annotations like a real cluster's.
 * The same (n, seed) always gives the same objects.
 *
 * @example
 * ```ts
 * const cluster = generateCluster(10_000, 42);
 * compile(cluster.objects, {});
 * cluster.requests(1000, 7); // lookups with the answer each must give
 * ```
 */
import type { KubeObject } from '../src/compile/api.ts';

/** mulberry32: a small, fast, seedable PRNG. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface IngressFacts {
  readonly host: string;
  readonly namespace: string;
  readonly name: string;
  /** Rule paths with the Services each routes to (two: split by `service-weights`). */
  readonly paths: readonly { readonly path: string; readonly type: 'Prefix' | 'Exact'; readonly services: readonly string[] }[];
}

export interface Cluster {
  readonly objects: KubeObject[];
  readonly ingresses: readonly IngressFacts[];
}

export const PATHS_PER_INGRESS = 5;
const TEAMS = 97;

export function hostOf(i: number): string {
  return `svc-${i}.team-${i % TEAMS}.example.com`;
}

export interface ClusterOptions {
  /** Endpoint address of backend `index` (0 or 1) of Ingress `i`, pod `k`; default private 10.x addresses. */
  readonly endpoint?: (i: number, index: number, k: number) => { readonly ip: string; readonly port: number };
}

export function generateCluster(n: number, seed = 42, options: ClusterOptions = {}): Cluster {
  const next = random(seed);
  const objects: KubeObject[] = [];
  const ingresses: IngressFacts[] = [];
  for (let i = 0; i < n; i++) {
    const namespace = `team-${i % TEAMS}`;
    const services = next() < 0.3 ? [`app-${i}-a`, `app-${i}-b`] : [`app-${i}-a`];
    // With two backends, /api and /vN/items are canaries: one path entry per Service, split by service-weights.
    const paths = [
      { path: '/', type: 'Prefix' as const, services: [services[0]!] },
      { path: '/api', type: 'Prefix' as const, services },
      { path: '/api/v1/users', type: 'Exact' as const, services: [services[0]!] },
      { path: '/static', type: 'Prefix' as const, services: [services[0]!] },
      { path: `/v${i % 7}/items`, type: 'Prefix' as const, services },
    ];
    const facts: IngressFacts = { host: hostOf(i), namespace, name: `app-${i}`, paths };
    ingresses.push(facts);
    objects.push(ingress(facts, annotations(next, i, services)));
    services.forEach((service, index) => objects.push(...backend(namespace, service, i, index, options.endpoint)));
  }
  return { objects, ingresses };
}

/** The annotation mix: most Ingresses plain, some with headers, redirects or weights. */
function annotations(next: () => number, i: number, services: readonly string[]): Record<string, string> {
  const result: Record<string, string> = { 'kubernetes.io/ingress.class': 'traefik' };
  const roll = next();
  if (roll < 0.1) result['ingress.kubernetes.io/custom-response-headers'] = 'X-Team:team-' + (i % TEAMS) + '||X-Frame-Options:DENY';
  else if (roll < 0.15) result['ingress.kubernetes.io/ssl-redirect'] = 'true';
  else if (roll < 0.18) result['traefik.ingress.kubernetes.io/priority'] = String(1 + (i % 5));
  if (services.length === 2) result['traefik.ingress.kubernetes.io/service-weights'] = `${services[1]}: 10%\n`;
  return result;
}

function ingress(facts: IngressFacts, annotations: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: facts.name, namespace: facts.namespace, annotations, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: {
      rules: [
        {
          host: facts.host,
          http: {
            paths: facts.paths.flatMap((p) =>
              p.services.map((service) => ({ path: p.path, pathType: p.type, backend: { service: { name: service, port: { number: 80 } } } })),
            ),
          },
        },
      ],
    },
  };
}

function backend(namespace: string, name: string, i: number, index: number, endpoint: ClusterOptions['endpoint']): KubeObject[] {
  const base = (i * 2 + index) * 3;
  const ip = (k: number) => endpoint?.(i, index, k).ip ?? `10.${((base + k) >> 16) & 255}.${((base + k) >> 8) & 255}.${(base + k) & 255}`;
  const port = endpoint?.(i, index, 0).port ?? 8080;
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-x1`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port }],
      endpoints: [0, 1, 2].map((k) => ({ addresses: [ip(k)], conditions: { ready: true }, targetRef: { kind: 'Pod', name: `${name}-${k}` } })),
    },
  ];
}

export interface Lookup {
  readonly host: string;
  readonly path: string;
  /** The rule path that must win, or undefined when the request must find no route. */
  readonly rule: string | undefined;
}

/** Lookups with their expected answers: 90 % under the paths of a known host, 10 % unknown hosts. */
export function lookups(cluster: Cluster, count: number, seed = 7): Lookup[] {
  const next = random(seed);
  const result: Lookup[] = [];
  for (let k = 0; k < count; k++) {
    const facts = cluster.ingresses[Math.floor(next() * cluster.ingresses.length)]!;
    if (next() < 0.1) {
      result.push({ host: `nobody-${k}.example.org`, path: '/api/x', rule: undefined });
      continue;
    }
    const pick = facts.paths[Math.floor(next() * facts.paths.length)]!;
    const path = pick.type === 'Exact' ? pick.path : pick.path === '/' ? `/p${k}` : `${pick.path}/${k}`;
    result.push({ host: facts.host, path, rule: ruleFor(facts, path) });
  }
  return result;
}

/** The rule path the Ingress specification picks on this host: Exact first, then the longest Prefix. */
export function ruleFor(facts: IngressFacts, path: string): string | undefined {
  if (facts.paths.some((p) => p.type === 'Exact' && p.path === path)) return path;
  let best: string | undefined;
  for (const p of facts.paths) {
    if (p.type !== 'Prefix') continue;
    const key = p.path === '/' ? '' : p.path;
    if ((key === '' || path === key || path.startsWith(key + '/')) && (best === undefined || p.path.length > best.length)) best = p.path;
  }
  return best;
}
