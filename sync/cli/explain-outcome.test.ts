import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/compile/api.ts';
import { compile } from '../../src/compile/index.ts';
import { compileTable, hostView } from '../../src/match/compiled-table.ts';
import { selectRoute } from '../../src/match/select.ts';
import { walkRoute, type ExplainedRequest } from './explain-outcome.ts';

const service = (name: string, ips: string[]): KubeObject[] => [
  { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
  {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-1`, namespace: 'shop', labels: { 'kubernetes.io/service-name': name } },
    addressType: 'IPv4', ports: [{ name: 'http', port: 8080 }],
    endpoints: ips.map((ip, i) => ({ addresses: [ip], targetRef: { kind: 'Pod', name: `${name}-${i}` } })),
  },
];

/** Compiles one Ingress with these annotations and paths and walks `url` through the route it gets. */
function walk(annotations: Record<string, string>, url: string, request: Partial<ExplainedRequest> = {}, paths = [{ path: '/', service: 'web' }]) {
  const ingress: KubeObject = {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop', annotations },
    spec: { rules: [{ host: 'shop.example.com', http: { paths: paths.map(({ path, service: name }) => ({ path, pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } })) } }] },
  };
  const { table } = compile([ingress, ...service('web', ['10.0.0.1']), ...service('canary', ['10.0.0.2', '10.0.0.3'])], {});
  const parsed = new URL(url);
  const scheme = parsed.protocol === 'https:' ? 'https' : 'http';
  const selection = selectRoute(hostView(compileTable(table), 'shop.example.com'), parsed.pathname, scheme);
  if (!selection) throw new Error('no route');
  return walkRoute(selection.route, { scheme, hostHeader: parsed.host, path: parsed.pathname, rawPath: parsed.pathname, search: parsed.search, clientIp: '127.0.0.1', method: 'GET', ...request });
}

describe('walkRoute', () => {
  it('redirects to the other entry point as the worker does: host without port, the entry point port, path and query kept; 307 for POST', () => {
    const annotations = { 'ingress.kubernetes.io/redirect-entry-point': 'https' };
    expect(walk(annotations, 'http://shop.example.com:8080/a?b=1').outcome).toMatchObject({ status: 302, location: 'https://shop.example.com:443/a?b=1', by: 'redirect' });
    expect(walk(annotations, 'http://shop.example.com/a', { method: 'POST' }).outcome.status).toBe(307);
    expect(walk(annotations, 'https://shop.example.com/a').outcome).toMatchObject({ by: 'service', summary: '→ pod web-0 (10.0.0.1:8080), path /a' });
  });

  it('follows app-root and redirect-regex', () => {
    expect(walk({ 'ingress.kubernetes.io/app-root': '/home' }, 'http://shop.example.com/?x=1').outcome.summary).toBe('302 → http://shop.example.com/home?x=1');
    const regex = { 'ingress.kubernetes.io/redirect-regex': '^http://shop\\.example\\.com/old/(.*)', 'ingress.kubernetes.io/redirect-replacement': 'https://shop.example.com/new/$1' };
    expect(walk(regex, 'http://shop.example.com/old/x').outcome.location).toBe('https://shop.example.com/new/x');
    expect(walk(regex, 'http://shop.example.com/other').outcome.by).toBe('service');
  });

  it('shows the path the pod gets after the path modifiers', () => {
    const result = walk({ 'ingress.kubernetes.io/rule-type': 'PathPrefixStrip' }, 'https://shop.example.com/api/users', {}, [{ path: '/api', service: 'web' }]);
    expect(result.middlewares).toEqual([{ kind: 'strip-prefix', decision: 'modify', detail: 'upstream path /api/users → /users' }]);
    expect(result.outcome.upstreamPath).toBe('/users');
  });

  it('answers 500 for a host outside allowed-hosts', () => {
    expect(walk({ 'ingress.kubernetes.io/allowed-hosts': 'www.example.com' }, 'https://shop.example.com/').outcome).toMatchObject({ status: 500, by: 'security-headers' });
  });

  it('names the forward-auth server and leaves the status to it', () => {
    const result = walk({ 'ingress.kubernetes.io/auth-type': 'forward', 'ingress.kubernetes.io/auth-url': 'https://auth.example.com/verify' }, 'https://shop.example.com/');
    expect(result.middlewares.map((step) => step.decision)).toEqual(['ask']);
    expect(result.outcome.status).toBeUndefined();
    expect(result.outcome.summary).toBe('if the forward-auth server lets it in: → pod web-0 (10.0.0.1:8080), path /');
  });

  it('lists every endpoint of a weighted split with its effective weight', () => {
    const result = walk({ 'ingress.kubernetes.io/service-weights': 'web: 20%' }, 'https://shop.example.com/', {}, [{ path: '/', service: 'web' }, { path: '/', service: 'canary' }]);
    expect(result.outcome.endpoints?.map((endpoint) => [endpoint.pod, endpoint.weight])).toEqual([['web-0', 20_000], ['canary-0', 40_000], ['canary-1', 40_000]]);
    expect(result.outcome.summary).toMatch(/^→ one of 3 endpoints, by weight/);
  });

  it('names the error page that answers an edge refusal', () => {
    const annotations = {
      'ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/8',
      'ingress.kubernetes.io/error-pages': 'denied:\n  status: ["403"]\n  backend: web\n  query: /errors/{status}.html\n',
    };
    expect(walk(annotations, 'https://shop.example.com/').outcome.summary).toBe('403 from 127.0.0.1 (allowed: 10.0.0.0/8), with error page denied (shop/web:80 /errors/403.html)');
  });
});
