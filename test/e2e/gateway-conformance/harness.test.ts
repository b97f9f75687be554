/**
 * The conformance harness checked on its own, through an Ingress (which
 * edgress served before Gateway API): the generated EndpointSlices reach the
 * echo pods of each backend, replies name their namespace and Service, and
 * header lists and redirects are read as the suite reads them. A Gateway API
 * failure in the other files is then edgress's, not the harness's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKEND_NS, expectExchange, gatewayWorldPerFile, headerValues, INFRA_NS } from '../harness/gateway.ts';
import { toYaml } from '../harness/manifests.ts';

const { world: w } = gatewayWorldPerFile('httproute-simple-same-namespace');

function ingress(namespace: string, service: string, port: number | string, annotations: Record<string, string> = {}): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: `harness-${service}`, namespace, annotations },
    spec: {
      rules: [
        {
          host: `${service}.harness.example`,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: service, port: typeof port === 'number' ? { number: port } : { name: port } } } },
            ],
          },
        },
      ],
    },
  };
}

describe('through Ingresses to the base Services', () => {
  beforeAll(async () => {
    await w().use(
      toYaml([
        ingress(INFRA_NS, 'infra-backend-v1', 'first-port'),
        ingress(INFRA_NS, 'infra-backend-v2', 8080),
        ingress(APP_BACKEND_NS, 'app-backend-v1', 8080),
        ingress(INFRA_NS, 'infra-backend-v3', 8080, { 'traefik.ingress.kubernetes.io/redirect-regex': '^http://([^/]+)/old(.*)', 'traefik.ingress.kubernetes.io/redirect-replacement': 'https://example.org:8443/new$2' }),
      ]),
    );
  }, 30_000);

  it('reaches a named port of a Service with several ports, on both pods', async () => {
    const pods = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const exchange = await w().send({ host: 'infra-backend-v1.harness.example', path: `/a?i=${i}`, headers: { 'X-List': 'one' } });
      expectExchange(exchange, { backend: 'infra-backend-v1', namespace: INFRA_NS });
      pods.add(exchange.echo?.pod ?? '');
    }
    expect(pods.size).toBe(2);
  });

  it('tells the namespace of the backend apart', async () => {
    const exchange = await w().send({ host: 'app-backend-v1.harness.example', path: '/' });
    expectExchange(exchange, { backend: 'app-backend-v1', namespace: APP_BACKEND_NS });
    expect(() => expectExchange(exchange, { backend: 'app-backend-v1', namespace: INFRA_NS })).toThrow(/namespace/);
    expect(() => expectExchange(exchange, { backend: 'app-backend-v2', namespace: APP_BACKEND_NS })).toThrow(/backend/);
  });

  it('passes backend-set response headers through and reads lists as the suite does', async () => {
    const exchange = await w().send({ host: 'infra-backend-v2.harness.example', path: '/', backendSetResponseHeaders: { 'X-Multi': 'a, b' } });
    expectExchange(exchange, { backend: 'infra-backend-v2', namespace: INFRA_NS, response: { headers: { 'X-Multi': 'a,b' } } });
    expect(headerValues(['a', 'b, c'])).toEqual(['a', 'b', 'c']);
    expect(() => expectExchange(exchange, { backend: 'infra-backend-v2', response: { absentHeaders: ['X-Multi'] } })).toThrow(/absent/);
  });

  it('reads a redirect Location part by part', async () => {
    const exchange = await w().send({ host: 'infra-backend-v3.harness.example', path: '/old/x' });
    expectExchange(exchange, { status: 302, redirect: { scheme: 'https', host: 'example.org', port: '8443', path: '/new/x' } });
    expect(() => expectExchange(exchange, { status: 302, redirect: { scheme: 'https', host: 'example.org', path: '/new/x' } })).toThrow(/port/);
  });
});
