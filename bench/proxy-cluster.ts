/**
 * The cluster the proxy benchmark serves: the synthetic 1k cluster with its
 * endpoints on the local upstream, plus `bench.example.com`, whose route runs
 * the full chain a production route would (a redirect check, basic auth,
 * custom and security response headers, a weighted split over two Services
 * of three endpoints each), and `plain.example.com`, the plainest route there
 * is (host and prefix, one Service, no middleware), the floor of the
 * worker's own cost.
 */
import { createHash } from 'node:crypto';
import type { KubeObject } from '../src/compile/api.ts';
import { generateCluster } from './generate.ts';

export const BENCH_HOST = 'bench.example.com';
export const BENCH_PATH = '/api/items?page=2';
export const PLAIN_HOST = 'plain.example.com';
export const BENCH_USER = 'bench';
const PASSWORD = 'bench-password';
export const BENCH_AUTHORIZATION = `Basic ${Buffer.from(`${BENCH_USER}:${PASSWORD}`).toString('base64')}`;

export function proxyCluster(upstreamPort: number): KubeObject[] {
  const endpoint = (i: number, index: number, k: number) => ({ ip: `127.0.0.${1 + ((i + index + k) % 3)}`, port: upstreamPort });
  const htpasswd = `${BENCH_USER}:{SHA}${createHash('sha1').update(PASSWORD).digest('base64')}\n`;
  const backend = (name: string): KubeObject[] => [
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'bench' }, spec: { ports: [{ name: 'http', port: 80 }] } },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-1`, namespace: 'bench', labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: upstreamPort }],
      endpoints: [1, 2, 3].map((k) => ({ addresses: [`127.0.0.${k}`], conditions: { ready: true } })),
    },
  ];
  const path = (service: string) => ({ path: '/api', pathType: 'Prefix', backend: { service: { name: service, port: { number: 80 } } } });
  return [
    ...generateCluster(1000, 42, { endpoint }).objects,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bench-users', namespace: 'bench' }, type: 'Opaque', data: { auth: Buffer.from(htpasswd).toString('base64') } },
    ...backend('bench-a'),
    ...backend('bench-b'),
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: 'bench',
        namespace: 'bench',
        annotations: {
          'ingress.kubernetes.io/auth-type': 'basic',
          'ingress.kubernetes.io/auth-secret': 'bench-users',
          'ingress.kubernetes.io/custom-response-headers': 'X-Served-By:edgress||X-Bench:1',
          'ingress.kubernetes.io/frame-deny': 'true',
          'ingress.kubernetes.io/content-type-nosniff': 'true',
          'ingress.kubernetes.io/redirect-regex': '^https://nowhere\\.invalid/(.*)',
          'ingress.kubernetes.io/redirect-replacement': 'https://elsewhere.invalid/$1',
          'traefik.ingress.kubernetes.io/service-weights': 'bench-b: 20%\n',
        },
      },
      spec: { rules: [{ host: BENCH_HOST, http: { paths: [path('bench-a'), path('bench-b')] } }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'plain', namespace: 'bench' },
      spec: { rules: [{ host: PLAIN_HOST, http: { paths: [path('bench-a')] } }] },
    },
  ];
}
