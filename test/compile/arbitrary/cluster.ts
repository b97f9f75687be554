/**
 * Arbitrary clusters for property tests: Ingresses of every API version,
 * Services, Endpoints, EndpointSlices, Secrets and IngressClasses that refer
 * to each other through a few shared names (so references resolve often),
 * with plausible and hostile annotation values and, now and then, a field
 * replaced by anything at all.
 */
import fc from 'fast-check';
import { ANNOTATION_FAMILIES, ANNOTATION_PREFIXES, LEGACY_LABELS, LEGACY_STICKY_LABEL } from '../../../src/compile/annotations/catalog.ts';
import type { KubeObject, ProviderOptions } from '../../../src/compile/index.ts';
import { billionLaughs, hostArb, hostileString, pathArb, YAML_BOMBS } from './hostile.ts';

const NAMESPACES = ['default', 'shop'] as const;
const SERVICES = ['web', 'api', 'errors', 'canary'] as const;
const SECRETS = ['htpasswd', 'htdigest', 'tls', 'empty'] as const;
const PORT_NAMES = ['http', 'https', 'grpc', ''] as const;

/** Usually `arb`, sometimes anything at all. */
function orGarbage<T>(arb: fc.Arbitrary<T>, weight = 40): fc.Arbitrary<T | unknown> {
  return fc.oneof({ weight, arbitrary: arb }, { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) });
}

/** Values that get past the first checks of each annotation, so the later ones run too. */
const PLAUSIBLE: Readonly<Record<string, readonly string[]>> = {
  'rule-type': ['PathPrefix', 'Path', 'PathStrip', 'PathPrefixStrip', 'ReplacePath', 'Foo'],
  priority: ['0', '10', '2147483647', '2147483648', '-1', '1e3'],
  'preserve-host': ['true', 'false', 'yes'],
  protocol: ['http', 'https', 'h2c', 'grpc'],
  'auth-type': ['basic', 'digest', 'forward', 'oauth', ''],
  'auth-secret': [...SECRETS, 'missing'],
  'auth-url': ['https://auth.example.com/verify', 'http://10.0.0.1:9000/', 'https://u:p@auth/', '/rel', 'javascript:alert(1)'],
  'auth-response-headers': ['X-User, X-Roles', 'Host', 'X(User)', 'Content-Length'],
  'auth-header-field': ['X-WebAuth-User', 'X Web', 'X-Forwarded-For'],
  'auth-tls-secret': ['tls', 'missing'],
  'whitelist-source-range': ['10.0.0.0/8, 2001:db8::/32', '1.2.3.4', '300.0.0.1/8', '::/0', '0.0.0.0/0,', 'fe80::1%eth0'],
  'app-root': ['/index.html', '/a b', 'index', '/?q=1'],
  'redirect-entry-point': ['https', 'http', 'websecure'],
  'redirect-regex': ['^http://old\\.example\\.com/(.*)', '^https?://(?P<host>[^/:]+)/(.*)', '(?i)^http://(.*)$'],
  'redirect-replacement': ['https://new.example.com/$1', 'https://${host}/$2', '{{ .Request.Host }}'],
  'rewrite-target': ['/', '/app', '/a b', 'x'],
  'request-modifier': ['AddPrefix: /x', 'ReplacePath: /y', 'ReplacePathRegex: ^/api/(.*) /v2/$1', 'ReplacePathRegex: ^/(a+)+$ /x'],
  'custom-request-headers': ['X-Env:prod||X-Debug:', 'Host: other', 'X-Edgress-Endpoint: 10.0.0.1:80'],
  'custom-response-headers': ['X-Served-By:edge||Server:', 'Content-Length: 1'],
  'allowed-hosts': ['a.example.com, b.example.com:8443', '*.example.com'],
  'proxy-headers': ['X-Forwarded-Host', 'X Host'],
  'ssl-proxy-headers': ['X-Forwarded-Proto:https'],
  'ssl-host': ['secure.example.com', 'secure.example.com:8443', 'a b'],
  'hsts-max-age': ['31536000', '-1', 'x'],
  'frontend-entry-points': ['http', 'https', 'http,https', 'web'],
  'error-pages': [
    "all: {status: ['400-599'], backend: errors, query: '/{status}'}",
    'server:\n  status: ["500-599", 404]\n  backend: errors:http\n  query: errors/{status}.html',
    "x: {status: ['599-500'], backend: web}",
  ],
  'rate-limit': [
    'extractorfunc: client.ip\nrateset:\n  r1: {period: 10s, average: 100, burst: 200}',
    'extractorfunc: request.header.X-Key\nrateset:\n  a: {period: 1, average: 1, burst: 1}\n  b: {period: 0s, average: -1, burst: 1}',
  ],
  'service-weights': ['web: 90%\ncanary: 10%', 'web: 50\napi: 60', 'canary: 12.5%', 'web: x'],
  'pass-client-tls-cert': ['pem: true\ninfos:\n  notafter: true\n  subject: {country: true}', 'pem: yes'],
  buffering: ['maxrequestbodybytes: 1024\nretryexpression: IsNetworkError() && Attempts() <= 2', 'maxrequestbodybytes: -1'],
  'circuit-breaker-expression': ['NetworkErrorRatio() > 0.3', 'ResponseCodeRatio(500, 600, 0, 600) > 0.5 || LatencyAtQuantileMS(50.0) > 100', '((((('],
  'load-balancer-method': ['wrr', 'drr', 'DRR', 'x'],
  affinity: ['true', 'false', 'yes'],
  'session-cookie-name': ['my_cookie', 'a b;c', ''],
  'max-conn-amount': ['10', '0', '-5', '99999999999999999999'],
  'max-conn-extractor-func': ['client.ip', 'request.host', 'request.header.X', 'client.port'],
  'responseforwarding-flushinterval': ['10ms', '10 ms'],
};

const ANNOTATION_NAMES = Object.values(ANNOTATION_FAMILIES).flatMap((family) => family.names);

const annotationKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(fc.constantFrom(...ANNOTATION_PREFIXES), fc.constantFrom(...ANNOTATION_NAMES)).map(([p, n]) => p + n) },
  { weight: 2, arbitrary: fc.constantFrom(...Object.values(LEGACY_LABELS), LEGACY_STICKY_LABEL, 'kubernetes.io/ingress.class') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ANNOTATION_PREFIXES), fc.string({ maxLength: 12 })).map(([p, n]) => p + n) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'hasOwnProperty', '') },
);

function annotationValue(key: string): fc.Arbitrary<string> {
  const name = key.slice(key.indexOf('/') + 1);
  const plausible = Object.hasOwn(PLAUSIBLE, name) ? (PLAUSIBLE[name] ?? []) : ['true', 'false', ''];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...plausible) },
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: YAML_BOMBS },
    { weight: 1, arbitrary: fc.constant(billionLaughs(9, 9, name === 'error-pages' ? 'status' : 'rateset')) },
  );
}

const annotations: fc.Arbitrary<unknown> = orGarbage(
  fc.array(annotationKey.chain((key) => annotationValue(key).map((value) => [key, value] as const)), { maxLength: 6 })
    .map((entries) => Object.fromEntries(entries)),
);

const metadata = (names: readonly string[], extra: Record<string, fc.Arbitrary<unknown>> = {}) =>
  fc.record(
    {
      name: orGarbage(fc.constantFrom(...names), 60),
      namespace: orGarbage(fc.oneof({ weight: 12, arbitrary: fc.constant('shop') }, { weight: 1, arbitrary: fc.constantFrom(...NAMESPACES) }), 60),
      annotations,
      creationTimestamp: orGarbage(fc.date({ min: new Date(2020, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true }).map((d) => d.toISOString())),
      ...extra,
    },
    { requiredKeys: ['name', 'namespace'] },
  );

const portRefV1 = fc.oneof(
  { weight: 6, arbitrary: fc.record({ number: fc.constantFrom(80, 80, 8080, 443) }) },
  { weight: 3, arbitrary: fc.record({ name: fc.constantFrom(...PORT_NAMES, 'missing') }) },
  { weight: 1, arbitrary: fc.record({ number: fc.constantFrom(0, 70000, 80), name: fc.constant('http') }) },
);
const backendV1 = orGarbage(fc.record({ service: fc.record({ name: fc.constantFrom(...SERVICES, 'web', 'web', 'missing'), port: portRefV1 }) }));
const backendV1beta1 = orGarbage(
  fc.record({ serviceName: fc.constantFrom(...SERVICES), servicePort: fc.oneof(fc.constantFrom(80, 8080, 443, 0), fc.constantFrom('http', '80', 'x')) }),
);

/** Present `often` times in `of`, else left out. */
const sometimes = <T>(arb: fc.Arbitrary<T>, often: number, of: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: of - often, arbitrary: fc.constant(undefined) }, { weight: often, arbitrary: arb });

const ingress = fc.constantFrom(...Array(6).fill('networking.k8s.io/v1'), 'networking.k8s.io/v1beta1', 'extensions/v1beta1', 'v9').chain((apiVersion) => {
  const backend = apiVersion === 'networking.k8s.io/v1' ? backendV1 : backendV1beta1;
  const path = fc.record({
    path: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('/', '/api', '/admin', '/a/b') }, { weight: 1, arbitrary: pathArb }),
    pathType: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific') }, { weight: 1, arbitrary: fc.constantFrom('Regex', undefined) }),
    backend,
  });
  const host = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('a.example.com', 'b.example.com', '*.example.com', '') }, { weight: 1, arbitrary: hostArb });
  const rule = orGarbage(fc.record({ host, http: orGarbage(fc.record({ paths: fc.array(path, { minLength: 1, maxLength: 4 }) })) }));
  const backendKey = apiVersion === 'networking.k8s.io/v1' ? 'defaultBackend' : 'backend';
  const spec = fc
    .tuple(sometimes(fc.constantFrom('edgress', 'traefik', 'nginx'), 1, 6), sometimes(backend, 1, 3), fc.array(rule, { minLength: 1, maxLength: 4 }), sometimes(fc.array(fc.record({ secretName: fc.constantFrom(...SECRETS, 'missing') }), { maxLength: 2 }), 1, 4))
    .map(([ingressClassName, defaultBackend, rules, tls]) => ({ ingressClassName, [backendKey]: defaultBackend, rules, tls }));
  return fc.record({ apiVersion: fc.constant(apiVersion), kind: fc.constant('Ingress'), metadata: metadata(['a', 'b', 'c', 'd']), spec: orGarbage(spec) });
});

const servicePort = fc.record({ name: fc.constantFrom(...PORT_NAMES), port: orGarbage(fc.constantFrom(80, 8080, 443, 65535)), targetPort: fc.oneof(fc.nat(65535), fc.constantFrom(...PORT_NAMES)) });
const service = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Service'),
  metadata: metadata(SERVICES),
  spec: orGarbage(fc.record({ type: fc.constantFrom('ClusterIP', 'ExternalName'), externalName: fc.oneof(fc.domain(), hostileString), ports: fc.array(servicePort, { maxLength: 3 }) }, { requiredKeys: ['ports'] })),
});

const ip = fc.oneof({ weight: 8, arbitrary: fc.ipV4() }, { weight: 1, arbitrary: fc.ipV6() }, { weight: 1, arbitrary: hostileString });
const endpointPort = fc.record({ name: fc.constantFrom(...PORT_NAMES), port: orGarbage(fc.constantFrom(8080, 8443, 80, 0)) });

const endpointSlice = fc.record({
  apiVersion: fc.constant('discovery.k8s.io/v1'),
  kind: fc.constant('EndpointSlice'),
  metadata: fc.constantFrom(...SERVICES).chain((svc) => metadata([`${svc}-1`, `${svc}-2`], { labels: fc.constant({ 'kubernetes.io/service-name': svc }) })),
  ports: orGarbage(fc.array(endpointPort, { maxLength: 3 })),
  endpoints: orGarbage(fc.array(fc.record({ addresses: fc.array(ip, { minLength: 1, maxLength: 2 }), conditions: fc.record({ ready: fc.oneof(fc.boolean(), fc.constant(null)) }) }), { maxLength: 5 })),
});

const endpoints = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Endpoints'),
  metadata: metadata(SERVICES),
  subsets: orGarbage(fc.array(fc.record({ addresses: fc.array(fc.record({ ip }), { maxLength: 4 }), ports: fc.array(endpointPort, { maxLength: 2 }) }), { maxLength: 2 })),
});

const HTPASSWD = 'apr1:$apr1$9Cv/OMGj$ZomWQzuQbL.3TRCS81A1g/\nsha:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\nbcrypt:$2y$05$abcdefghijklmnopqrstuu5sH1NOfXlBLcLcQ8MvU0bQEYiqZ5yXW';
const secretLines = fc.oneof(fc.constant(HTPASSWD), fc.constant('user:traefik:0123456789abcdef0123456789abcdef'), hostileString);
const secret = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Secret'),
  metadata: metadata(SECRETS),
  type: fc.constantFrom('Opaque', 'kubernetes.io/tls'),
  data: orGarbage(fc.dictionary(fc.constantFrom('auth', 'users', 'tls.crt', 'tls.key'), fc.oneof(secretLines.map(b64Safe), hostileString), { maxKeys: 2 })),
  stringData: orGarbage(fc.dictionary(fc.constantFrom('auth', 'users'), secretLines, { maxKeys: 1 })),
});

const ingressClass = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('IngressClass'),
  metadata: metadata(['edgress', 'traefik', 'nginx'], { annotations: fc.record({ 'ingressclass.kubernetes.io/is-default-class': fc.constantFrom('true', 'false') }) }),
  spec: fc.record({ controller: fc.constantFrom('edgress.dev/ingress-controller', 'traefik.io/ingress-controller', 'x') }),
});

function b64Safe(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text).subarray(0, 60_000)));
}

/** One cluster: a few objects of every kind, in any order, and now and then a non-object. */
export const clusterArb: fc.Arbitrary<KubeObject[]> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: ingress },
      { weight: 4, arbitrary: service },
      { weight: 4, arbitrary: endpointSlice },
      { weight: 1, arbitrary: endpoints },
      { weight: 2, arbitrary: secret },
      { weight: 1, arbitrary: ingressClass },
      { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
    ),
    { maxLength: 16 },
  )
  .map((objects) => objects as KubeObject[]);

/** Provider options, sometimes hostile. */
export const optionsArb: fc.Arbitrary<ProviderOptions> = fc.record(
  {
    namespaces: fc.oneof({ weight: 6, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...NAMESPACES, 'other'), { maxLength: 2 }) }),
    labelSelector: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('team=web', '!x', 'a in (b,c)', 'a in (b') }, { weight: 1, arbitrary: hostileString }),
    ingressClass: fc.constantFrom('', '', '', 'traefik', 'edgress'),
    disablePassHostHeaders: fc.boolean(),
    enablePassTLSCert: fc.boolean(),
  },
  { requiredKeys: [] },
);
