/**
 * Listener isolation through `compile()` and the matcher: a route attached
 * to a less specific listener never answers for a host that a more specific
 * listener of the same Gateway and port covers, whether its hostnames name
 * that host or not (gateway-api conformance/tests/gateway-http-listener-isolation.go).
 */
import { describe, expect, it } from 'vitest';
import { selectRoute } from '../../match/select.ts';
import { MemoryTableStore } from '../../store/store.ts';
import type { KubeObject } from '../api.ts';
import { compile } from '../index.ts';

const V1 = 'gateway.networking.k8s.io/v1';
const allowAll = { namespaces: { from: 'All' } };
const listeners = [
  { name: 'any', protocol: 'HTTP', port: 80, allowedRoutes: allowAll },
  { name: 'wild', protocol: 'HTTP', port: 80, hostname: '*.example.com', allowedRoutes: allowAll },
  { name: 'abc', protocol: 'HTTP', port: 80, hostname: 'abc.foo.example.com', allowedRoutes: allowAll },
  { name: 'other-port', protocol: 'HTTP', port: 8080, hostname: 'other.example.com', allowedRoutes: allowAll },
];
const base: KubeObject[] = [
  { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'edgress' }, spec: { controllerName: 'edgress.dev/gateway-controller' } },
  { apiVersion: V1, kind: 'Gateway', metadata: { name: 'edge', namespace: 'infra' }, spec: { gatewayClassName: 'edgress', listeners } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
];
const route = (name: string, sectionName: string, hostnames: string[] = []): KubeObject => ({
  apiVersion: V1, kind: 'HTTPRoute', metadata: { name, namespace: 'shop' },
  spec: { parentRefs: [{ name: 'edge', namespace: 'infra', sectionName }], hostnames, rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] },
});

async function answers(objects: KubeObject[], host: string): Promise<string> {
  const store = new MemoryTableStore(compile([...base, ...objects], {}).table);
  const lookup = await store.forHost(host);
  const selection = lookup && selectRoute(lookup.view, '/', 'http', new Request(`http://${host}/`));
  if (!selection) return '404';
  const service = selection.route.service;
  return service.kind === 'status' ? String(service.status) : selection.route.router.source;
}

describe('listener isolation', () => {
  it('keeps hosts of a more specific listener from a route naming them on a less specific one', async () => {
    const objects = [route('any', 'any', ['bar.com', '*.example.com', 'abc.foo.example.com'])];
    expect(await answers(objects, 'bar.com')).toBe('shop/any');
    expect(await answers(objects, 'x.example.com')).toBe('404');
    expect(await answers(objects, 'abc.foo.example.com')).toBe('404');
  });

  it('answers 404 for a more specific listener without routes instead of falling to a broader hostname', async () => {
    const objects = [route('host-less', 'any'), route('wild', 'wild', ['*.example.com'])];
    expect(await answers(objects, 'bar.com')).toBe('shop/host-less');
    expect(await answers(objects, 'x.example.com')).toBe('shop/wild');
    expect(await answers(objects, 'abc.foo.example.com')).toBe('404');
  });

  it('lets each listener serve its own hosts, and ignores listeners of other ports', async () => {
    const objects = [route('host-less', 'any'), route('wild', 'wild'), route('abc', 'abc')];
    expect(await answers(objects, 'abc.foo.example.com')).toBe('shop/abc');
    expect(await answers(objects, 'x.foo.example.com')).toBe('shop/wild');
    expect(await answers(objects, 'other.example.com')).toBe('shop/wild');
  });

  it('adds nothing to a Gateway whose listeners do not nest', () => {
    const table = compile([...base.slice(0, 1), { ...base[1]!, spec: { gatewayClassName: 'edgress', listeners: listeners.slice(1, 2) } }, base[2]!, route('wild', 'wild')], {}).table;
    expect(table.routers.map((router) => router.host)).toEqual(['*.example.com']);
  });
});
