/**
 * The Gateway API compile seen through `compile()`: attachment, precedence
 * order, status reasons, the controller option, and totality on garbage.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject, ProviderOptions } from '../api.ts';
import { compile } from '../index.ts';
import { conditionOf } from './report.ts';

const V1 = 'gateway.networking.k8s.io/v1';
const gatewayClass = (controllerName = 'edgress.dev/gateway-controller'): KubeObject => ({ apiVersion: V1, kind: 'GatewayClass', metadata: { name: 'edgress' }, spec: { controllerName } });
const gateway = (listeners: unknown[], namespace = 'infra'): KubeObject => ({ apiVersion: V1, kind: 'Gateway', metadata: { name: 'edge', namespace }, spec: { gatewayClassName: 'edgress', listeners } });
const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } };
const route = (name: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: V1, kind: 'HTTPRoute', metadata: { name, namespace: 'shop', ...metadata },
  spec: { parentRefs: [{ name: 'edge', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }], ...spec },
});
const allowAll = { namespaces: { from: 'All' } };

function parentConditions(objects: KubeObject[], name: string, options: ProviderOptions = {}) {
  const result = compile(objects, options);
  return result.gateway?.httpRoutes.find((entry) => entry.name === name)?.parents.map((parent) => ({
    accepted: conditionOf(parent.conditions, 'Accepted')?.reason,
    resolved: conditionOf(parent.conditions, 'ResolvedRefs')?.reason,
  }));
}

describe('attachment', () => {
  const listeners = [
    { name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: allowAll },
    { name: 'b', protocol: 'HTTP', port: 8080, hostname: 'b.example.com', allowedRoutes: allowAll },
  ];

  it('needs sectionName and port to name the same listener when both are given', () => {
    const objects = (ref: Record<string, unknown>) => [gatewayClass(), gateway(listeners), service, route('r', { parentRefs: [{ name: 'edge', namespace: 'infra', ...ref }] })];
    expect(parentConditions(objects({ sectionName: 'a', port: 80 }), 'r')).toEqual([{ accepted: 'Accepted', resolved: 'ResolvedRefs' }]);
    expect(parentConditions(objects({ sectionName: 'a', port: 8080 }), 'r')).toEqual([{ accepted: 'NoMatchingParent', resolved: 'ResolvedRefs' }]);
    expect(parentConditions(objects({ sectionName: 'c' }), 'r')).toEqual([{ accepted: 'NoMatchingParent', resolved: 'ResolvedRefs' }]);
  });

  it('is accepted when one listener of several accepts, and counts only on the listeners that did', () => {
    const result = compile([gatewayClass(), gateway(listeners), service, route('r', { hostnames: ['x.example.com'] })], {});
    expect(conditionOf(result.gateway!.httpRoutes[0]!.parents[0]!.conditions, 'Accepted')?.status).toBe('True');
    expect(result.gateway!.gateways[0]!.listeners.map((listener) => listener.attachedRoutes)).toEqual([1, 0]);
    expect(result.table.routers.map((router) => router.host)).toEqual(['x.example.com']);
  });

  it('selects namespaces by label expressions, None admitting nobody', () => {
    const namespace = (name: string, labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    const selector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }, { key: 'frozen', operator: 'DoesNotExist' }] };
    const objects = (labels: Record<string, string>, from = 'Selector') => [
      gatewayClass(), namespace('shop', labels), service,
      gateway([{ name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from, selector } } }]),
      route('r', {}),
    ];
    expect(parentConditions(objects({ tier: 'web' }), 'r')?.[0]?.accepted).toBe('Accepted');
    expect(parentConditions(objects({ tier: 'web', frozen: 'yes' }), 'r')?.[0]?.accepted).toBe('NotAllowedByListeners');
    expect(parentConditions(objects({ tier: 'db' }), 'r')?.[0]?.accepted).toBe('NotAllowedByListeners');
    expect(parentConditions(objects({ tier: 'web' }, 'None'), 'r')?.[0]?.accepted).toBe('NotAllowedByListeners');
  });

  it('matches a selector on kubernetes.io/metadata.name without Namespace objects', () => {
    const selector = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } };
    const objects = [gatewayClass(), service, gateway([{ name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'Selector', selector } } }]), route('r', {})];
    expect(parentConditions(objects, 'r')?.[0]?.accepted).toBe('Accepted');
  });

  it('serves only Gateways whose class names the configured controller', () => {
    const objects = [gatewayClass('example.com/mine'), gateway([{ name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: allowAll }]), service, route('r', {})];
    expect(compile(objects, {}).table.routers).toEqual([]);
    expect(compile(objects, {}).gateway?.gatewayClasses).toEqual([]);
    expect(compile(objects, { gatewayController: 'example.com/mine' }).table.routers).toHaveLength(1);
  });
});

describe('precedence order in the table', () => {
  it('puts routes oldest first, a route without creationTimestamp last, ties by namespace/name, then rule and match order', () => {
    const rules = [{ matches: [{ path: { value: '/x' } }, { path: { value: '/y' } }], backendRefs: [{ name: 'web', port: 80 }] }, { backendRefs: [{ name: 'web', port: 80 }] }];
    const objects = [
      gatewayClass(), service, gateway([{ name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: allowAll }]),
      route('undated', { rules }),
      route('b', { rules }, { creationTimestamp: '2026-01-01T00:00:00Z' }),
      route('a', { rules }, { creationTimestamp: '2026-01-01T00:00:00Z' }),
      route('oldest', { rules }, { creationTimestamp: '2025-01-01T00:00:00Z' }),
    ];
    const ids = compile(objects, {}).table.routers.map((router) => router.id);
    expect(ids).toEqual(['oldest', 'a', 'b', 'undated'].flatMap((name) => [`shop/${name}#rule0.match0`, `shop/${name}#rule0.match1`, `shop/${name}#rule1.match0`]));
  });
});

describe('status reasons', () => {
  const base = [gatewayClass(), service, gateway([{ name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: allowAll }])];

  it('gives ResolvedRefs the first unusable reference and keeps the route Accepted', () => {
    const rules = [{ backendRefs: [{ kind: 'ConfigMap', name: 'x' }, { name: 'missing', port: 80 }] }];
    expect(parentConditions([...base, route('r', { rules })], 'r')).toEqual([{ accepted: 'Accepted', resolved: 'InvalidKind' }]);
  });

  it('is UnsupportedValue when no rule can be served, and counts no attached route then', () => {
    const result = compile([...base, route('r', { rules: [{ filters: [{ type: 'ExtensionRef', extensionRef: { group: 'x', kind: 'y', name: 'z' } }] }] })], {});
    expect(conditionOf(result.gateway!.httpRoutes[0]!.parents[0]!.conditions, 'Accepted')).toMatchObject({ status: 'False', reason: 'UnsupportedValue' });
    expect(result.gateway!.gateways[0]!.listeners[0]!.attachedRoutes).toBe(0);
    expect(result.httpRoutes).toEqual({ served: [], notAccepted: ['shop/r'] });
  });

  it('stamps conditions with the generation of their object', () => {
    const result = compile([...base, route('r', {}, { generation: 7 })], {});
    expect(result.gateway!.httpRoutes[0]!.parents[0]!.conditions.every((condition) => condition.observedGeneration === 7)).toBe(true);
  });

  it('reports no parent of another controller, and no Gateway API report without Gateway API objects', () => {
    expect(compile([service], {}).gateway).toBeUndefined();
    const theirs = { ...route('r', {}), spec: { parentRefs: [{ name: 'edge', namespace: 'infra', group: 'example.com', kind: 'Mesh' }] } };
    expect(compile([...base, theirs], {}).gateway?.httpRoutes).toEqual([]);
  });
});

describe('listener conflicts', () => {
  it('refuses both listeners when one port has two protocols, and keeps the distinct ones', () => {
    const listeners = [
      { name: 'plain', protocol: 'HTTP', port: 8080 },
      { name: 'tls', protocol: 'HTTPS', port: 8080, tls: { certificateRefs: [{ name: 'cert' }] } },
      { name: 'ok', protocol: 'HTTP', port: 80 },
    ];
    const result = compile([gatewayClass(), gateway(listeners), service, route('r', {})], {});
    const statuses = result.gateway!.gateways[0]!.listeners.map((listener) => [listener.name, conditionOf(listener.conditions, 'Conflicted')?.reason, conditionOf(listener.conditions, 'Accepted')?.status]);
    expect(statuses).toEqual([['plain', 'ProtocolConflict', 'False'], ['tls', 'ProtocolConflict', 'False'], ['ok', 'NoConflicts', 'True']]);
    expect(conditionOf(result.gateway!.gateways[0]!.conditions, 'Accepted')).toMatchObject({ status: 'True', reason: 'ListenersNotValid' });
  });
});

describe('totality', () => {
  it('never throws and never reports an internal error, whatever the Gateway API objects hold', () => {
    const junk = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string(), fc.integer(), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }));
    const listener = fc.record({ name: fc.oneof(fc.constant('a'), junk), protocol: fc.oneof(fc.constantFrom('HTTP', 'HTTPS', 'TCP'), junk), port: fc.oneof(fc.constant(80), junk), hostname: junk, tls: junk, allowedRoutes: junk });
    const rule = fc.record({ matches: fc.oneof(junk, fc.array(fc.record({ path: junk, headers: junk, queryParams: junk, method: junk }))), filters: fc.oneof(junk, fc.array(fc.record({ type: fc.constantFrom('RequestHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS'), requestHeaderModifier: junk, requestRedirect: junk, urlRewrite: junk, requestMirror: junk }))), backendRefs: fc.oneof(junk, fc.array(fc.record({ name: fc.oneof(fc.constant('web'), junk), port: fc.oneof(fc.constant(80), junk), weight: junk, kind: junk, namespace: junk, filters: junk }))) });
    fc.assert(
      fc.property(fc.array(listener, { maxLength: 3 }), fc.array(rule, { maxLength: 3 }), junk, junk, (listeners, rules, hostnames, parentRefs) => {
        const objects = [gatewayClass(), service, gateway(listeners), route('r', { rules, hostnames, ...(parentRefs === undefined ? {} : { parentRefs }) })];
        const result = compile(objects, {});
        expect(result.diagnostics.filter((d) => d.code === 'InternalError')).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fields of the wrong shape fail closed', () => {
  const listeners = [{ name: 'a', protocol: 'HTTP', port: 80, allowedRoutes: allowAll }];
  const hostsOf = (objects: KubeObject[]) => compile(objects, {}).table.routers.map((router) => `${router.host}${'path' in router.match ? router.match.path : ''}`);

  it('hostnames that are not a list match no host, instead of every host', () => {
    const result = compile([gatewayClass(), gateway(listeners), service, route('r', { hostnames: 'shop.example.com' })], {});
    expect(result.table.routers).toEqual([]);
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ object: expect.objectContaining({ name: 'r' }), field: 'spec.hostnames' }));
  });

  it('a match that is not a mapping drops its rule, instead of matching every path', () => {
    expect(hostsOf([gatewayClass(), gateway(listeners), service, route('r', { hostnames: ['a.example.com'], rules: [{ matches: ['/api'], backendRefs: [{ name: 'web', port: 80 }] }] })])).toEqual([]);
  });

  it('filters that are not a list drop their rule, instead of serving it without them', () => {
    const rules = [{ filters: { type: 'RequestHeaderModifier', requestHeaderModifier: { remove: ['Authorization'] } }, backendRefs: [{ name: 'web', port: 80 }] }];
    expect(hostsOf([gatewayClass(), gateway(listeners), service, route('r', { hostnames: ['a.example.com'], rules })])).toEqual([]);
  });

  it('a listener hostname that is not a string is not accepted, instead of covering every host', () => {
    const result = compile([gatewayClass(), gateway([{ ...listeners[0], hostname: 12 }]), service, route('r', {})], {});
    expect(result.table.routers).toEqual([]);
    expect(conditionOf(result.gateway!.gateways[0]!.listeners[0]!.conditions, 'Accepted')?.reason).toBe('UnsupportedValue');
  });

  it('rules that are not a list serve nothing and say so', () => {
    expect(parentConditions([gatewayClass(), gateway(listeners), service, route('r', { rules: 'all' })], 'r')?.[0]?.accepted).toBe('UnsupportedValue');
  });

  it('routes of another controller are counted with that controller', () => {
    const result = compile([gatewayClass('example.com/other'), gateway(listeners), service, route('r', {})], {});
    expect(result.httpRoutes).toMatchObject({ served: [], notAccepted: [], elsewhere: ['shop/r'], controllers: ['example.com/other'] });
  });
});
