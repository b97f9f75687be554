/**
 * Listener ports at the edge through `compile()`: a route attached to some
 * but not all of the ports its Gateway listens on for a scheme gets one
 * router per port with a `port` condition; otherwise no port condition
 * (docs/design/decisions.md#decision-21-gateway-listeners-at-the-edge).
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api.ts';
import { compile } from '../index.ts';

const V1 = 'gateway.networking.k8s.io/v1';
const objects = (listeners: unknown[], parentRefs: unknown[]): KubeObject[] => [
  { apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'edgress' }, spec: { controllerName: 'edgress.dev/gateway-controller' } },
  { apiVersion: V1, kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { gatewayClassName: 'edgress', listeners } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } },
  { apiVersion: V1, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec: { parentRefs, rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] } },
];
const ports = (input: KubeObject[]) => compile(input, {}).table.routers.map((router) => [router.host, router.conditions?.port]);
const http = (name: string, port: number, hostname?: string) => ({ name, protocol: 'HTTP', port, ...(hostname ? { hostname } : {}) });

describe('listener ports', () => {
  const listeners = [http('a', 80, 'foo.com'), http('b', 8080, 'foo.com'), http('c', 8080, 'bar.com'), http('d', 8090, 'foo.com')];

  it('limits a route to the ports of the listeners it attached to', () => {
    expect(ports(objects(listeners, [{ name: 'edge', port: 8080 }]))).toEqual([['bar.com', 8080], ['foo.com', 8080]]);
    expect(ports(objects(listeners, [{ name: 'edge', sectionName: 'a' }, { name: 'edge', sectionName: 'd' }]))).toEqual([['foo.com', 80], ['foo.com', 8090]]);
  });

  it('adds no port condition when the route is reached on every port, or the Gateway has one port', () => {
    expect(ports(objects(listeners.slice(0, 2), [{ name: 'edge' }]))).toEqual([['foo.com', undefined]]);
    expect(ports(objects([http('a', 80, 'foo.com'), http('b', 80, 'bar.com')], [{ name: 'edge', sectionName: 'a' }]))).toEqual([['foo.com', undefined]]);
  });

  it('compares ports per scheme, so an HTTPS-only route beside an HTTP listener keeps serving both schemes', () => {
    const mixed = [http('plain', 80), { name: 'tls', protocol: 'HTTPS', port: 443, tls: { certificateRefs: [{ name: 'cert' }] } }];
    expect(ports(objects(mixed, [{ name: 'edge', sectionName: 'tls' }]))).toEqual([['', undefined]]);
  });
});
