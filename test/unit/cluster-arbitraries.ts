/**
 * fast-check arbitraries for small clusters whose objects collide on
 * purpose: few namespaces, Services, hosts, paths and creation times, so
 * random objects fight over claims and the default backend, share Services,
 * pools and Secrets, and change IngressClass ownership.
 */
import fc from 'fast-check';
import type { KubeObject, ProviderOptions } from '../../src/compile/api.ts';

export const PROVIDER_OPTIONS: readonly ProviderOptions[] = [
  {},
  { ingressClass: 'edge' },
  { namespaces: ['a'] },
  { labelSelector: 'tier=edge' },
  { labelSelector: 'tier in (' },
  { disablePassHostHeaders: true, enablePassTLSCert: true },
];

/** The key the incremental compiler matches objects by (for the generated shapes). */
export function objectKey(object: KubeObject): string {
  const metadata = (object.metadata ?? {}) as { name?: string; namespace?: string };
  const namespace = object.kind === 'IngressClass' ? '' : metadata.namespace || 'default';
  return `${String(object.kind)}/${namespace}/${metadata.name || '<unnamed>'}`;
}

const namespace = fc.constantFrom('a', 'b');
const serviceName = fc.constantFrom('s1', 's2', 's3');
const created = fc.constantFrom(undefined, '2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', 'not a time');
const servicePort = fc.constantFrom<Record<string, unknown>>({ number: 80 }, { number: 443 }, { name: 'http' }, { name: 'dns' }, { number: 81 });

const service = fc.record({ namespace, name: serviceName, shape: fc.integer({ min: 0, max: 5 }), annotations: fc.constantFrom<Record<string, string>>(
  {},
  { 'ingress.kubernetes.io/load-balancer-method': 'drr' },
  { 'ingress.kubernetes.io/affinity': 'true' },
  { 'ingress.kubernetes.io/load-balancer-method': 'bogus', 'ingress.kubernetes.io/circuit-breaker-expression': 'NetworkErrorRatio() >' },
  { 'ingress.kubernetes.io/max-conn-amount': 'x' },
) }).map(({ namespace, name, shape, annotations }): KubeObject => {
  const ports = [
    [{ name: 'http', port: 80 }],
    [{ name: 'http', port: 80 }, { name: 'https', port: 443 }],
    [{ port: 80 }, { name: 'dns', port: 80 }],
    [{ name: 'other', port: 81 }],
    [],
  ][shape % 5];
  const spec = shape === 5 ? { type: 'ExternalName', externalName: 'ext.example.org', ports: [{ name: 'http', port: 80 }] } : { ports };
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, annotations }, spec };
});

const address = fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', 'fd00::1');
const endpoint = fc.record({ ip: address, ready: fc.boolean(), pod: fc.constantFrom(undefined, 'p1', 'p2') });
const endpointPorts = fc.constantFrom<unknown[]>([{ name: 'http', port: 8080 }], [{ name: '', port: 9090 }], [], [{ name: 'dns', port: 53 }]);

const slice = fc.record({ namespace, service: serviceName, index: fc.constantFrom(1, 2), labelled: fc.integer({ min: 0, max: 5 }), ports: endpointPorts, endpoints: fc.array(endpoint, { maxLength: 3 }) })
  .map(({ namespace, service, index, labelled, ports, endpoints }): KubeObject => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
    metadata: { name: `slice-${index}`, namespace, labels: labelled > 0 ? { 'kubernetes.io/service-name': service } : {} },
    ports,
    endpoints: endpoints.map(({ ip, ready, pod }) => ({ addresses: [ip], conditions: { ready }, ...(pod ? { targetRef: { kind: 'Pod', name: pod } } : {}) })),
  }));

const endpointsObject = fc.record({ namespace, name: serviceName, ports: endpointPorts, addresses: fc.array(address, { maxLength: 3 }) })
  .map(({ namespace, name, ports, addresses }): KubeObject => ({
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace },
    subsets: [{ ports, addresses: addresses.map((ip) => ({ ip })) }],
  }));

const secret = fc.record({ namespace, variant: fc.integer({ min: 0, max: 2 }) }).map(({ namespace, variant }): KubeObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'auth', namespace }, type: 'Opaque',
  stringData: { auth: ['alice:{SHA}xO2etOilyqtV8o1RvvnmkeBx7QI=', 'bob:{SHA}xO2etOilyqtV8o1RvvnmkeBx7QI=\ncarol:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50', 'not a line'][variant] },
}));

const ingressClass = fc.record({ controller: fc.constantFrom('edgress.dev/ingress-controller', 'other'), isDefault: fc.boolean() })
  .map(({ controller, isDefault }): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name: 'edge', annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} },
    spec: { controller },
  }));

const backend = fc.record({ name: serviceName, port: servicePort }).map(({ name, port }) => ({ service: { name, port } }));
const path = fc.record({ path: fc.constantFrom('/', '/a', '/a/', '/b', ''), pathType: fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific'), backend });
const rule = fc.record({ host: fc.constantFrom('x.example.com', 'y.example.com', '', '*.example.com', 'Bad_Host'), paths: fc.array(path, { minLength: 0, maxLength: 3 }) })
  .map(({ host, paths }) => (paths.length === 0 ? { host } : { host, http: { paths } }));

const ingressAnnotations = fc.array(fc.constantFrom<[string, string]>(
  ['kubernetes.io/ingress.class', 'traefik'],
  ['kubernetes.io/ingress.class', 'edge'],
  ['traefik.ingress.kubernetes.io/service-weights', 's2: 30%\n'],
  ['traefik.ingress.kubernetes.io/service-weights', 's1: 150%\n'],
  ['ingress.kubernetes.io/rate-limit', 'extractorfunc: client.ip\nrateset:\n  r1:\n    period: 1s\n    average: 5\n    burst: 10\n'],
  ['ingress.kubernetes.io/auth-type', 'basic'],
  ['ingress.kubernetes.io/auth-secret', 'auth'],
  ['ingress.kubernetes.io/error-pages', 'all: {status: ["500-599"], backend: s3, query: /e.html}'],
  ['ingress.kubernetes.io/protocol', 'https'],
  ['ingress.kubernetes.io/protocol', 'gopher'],
  ['traefik.ingress.kubernetes.io/priority', '3'],
  ['traefik.ingress.kubernetes.io/frontend-entry-points', 'https'],
  ['traefik.ingress.kubernetes.io/rule-type', 'PathPrefixStrip'],
  ['ingress.kubernetes.io/custom-response-headers', 'X-A:1'],
  ['ingress.kubernetes.io/ssl-redirect', 'maybe'],
), { maxLength: 4 }).map((entries) => Object.fromEntries(entries));

const ingress = fc.record({
  namespace,
  name: fc.constantFrom('i1', 'i2', 'i3', 'i4', ''),
  created,
  annotations: ingressAnnotations,
  labels: fc.constantFrom<Record<string, string>>({}, { tier: 'edge' }),
  className: fc.constantFrom(undefined, 'edge', 'missing'),
  defaultBackend: fc.option(backend, { nil: undefined }),
  rules: fc.array(rule, { maxLength: 2 }),
  tls: fc.boolean(),
  apiVersion: fc.constantFrom('networking.k8s.io/v1', 'networking.k8s.io/v1', 'networking.k8s.io/v1', 'extensions/v1beta1'),
}).map((i): KubeObject => ({
  apiVersion: i.apiVersion,
  kind: 'Ingress',
  metadata: { name: i.name, namespace: i.namespace, labels: i.labels, annotations: i.annotations, ...(i.created ? { creationTimestamp: i.created } : {}) },
  spec: {
    ...(i.className ? { ingressClassName: i.className } : {}),
    ...(i.defaultBackend ? { defaultBackend: i.defaultBackend } : {}),
    rules: i.rules,
    ...(i.tls ? { tls: [{ hosts: ['x.example.com'], secretName: 'auth' }] } : {}),
  },
}));

/** One object of any kind the compiler reads (and, rarely, one it ignores). */
export const arbitraryObject: fc.Arbitrary<KubeObject> = fc.oneof(
  { arbitrary: ingress, weight: 6 },
  { arbitrary: service, weight: 3 },
  { arbitrary: slice, weight: 3 },
  { arbitrary: endpointsObject, weight: 1 },
  { arbitrary: secret, weight: 1 },
  { arbitrary: ingressClass, weight: 1 },
  { arbitrary: fc.constant<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'a' } }), weight: 1 },
);
