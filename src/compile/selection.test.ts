import { describe, expect, it } from 'vitest';
import type { KubeObject } from './api.ts';
import { compile } from './index.ts';
import { formatSelectionSummary, selectIngresses, summarizeSelection } from './selection.ts';

const ingress = (name: string, extra: { namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string>; className?: string } = {}): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: extra.namespace ?? 'shop', annotations: extra.annotations ?? {}, labels: extra.labels ?? {} },
  spec: {
    ...(extra.className ? { ingressClassName: extra.className } : {}),
    rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
  },
});
const ingressClass = (name: string, controller: string, isDefault = false): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
  metadata: { name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} },
  spec: { controller },
});

const objects = [
  ingressClass('edgress', 'edgress.dev/ingress-controller'),
  ingressClass('nginx', 'k8s.io/ingress-nginx', true),
  ingress('ours', { className: 'edgress' }),
  ingress('annotated', { annotations: { 'kubernetes.io/ingress.class': 'edge' } }),
  ingress('nginx', { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }),
  ingress('their-class', { className: 'nginx' }),
  ingress('missing-class', { className: 'gone' }),
  ingress('classless'),
  ingress('labelled', { className: 'edgress', labels: { tier: 'internal' } }),
  ingress('elsewhere', { namespace: 'other', className: 'edgress' }),
];

describe('selectIngresses', () => {
  it('gives each Ingress the decision compile() makes, with the reason it is skipped', () => {
    const options = { ingressClass: 'edge', namespaces: ['shop'], labelSelector: '!tier' };
    const selection = selectIngresses(objects, options);
    expect(Object.fromEntries(selection.map((entry) => [entry.key, entry.decision.ours ? 'ours' : entry.decision.reason]))).toEqual({
      'shop/ours': 'ours',
      'shop/annotated': 'ours',
      'shop/nginx': 'other-class',
      'shop/their-class': 'other-controller',
      'shop/missing-class': 'class-not-found',
      'shop/classless': 'no-class',
      'shop/labelled': 'labels',
      'other/elsewhere': 'namespace',
    });
    expect(selection.find((entry) => entry.key === 'shop/missing-class')).toMatchObject({
      hosts: ['missing-class.example.com'],
      decision: { detail: 'ingressClassName "gone" names no IngressClass' },
    });
    const served = selection.filter((entry) => entry.decision.ours).map((entry) => entry.key).sort();
    expect(compile(objects, options).served).toEqual(served);
  });

  it('skips everything when the label selector does not parse', () => {
    expect(selectIngresses(objects, { labelSelector: '(' }).every((entry) => !entry.decision.ours && entry.decision.reason === 'invalid-label-selector')).toBe(true);
  });
});

describe('the summary line', () => {
  it('counts served, serving nothing, skipped by reason and diagnostics by severity', () => {
    const options = { ingressClass: 'edge', namespaces: ['shop'], labelSelector: '!tier' };
    const line = formatSelectionSummary(summarizeSelection(selectIngresses(objects, options), compile(objects, options)));
    expect(line).toBe(
      '8 Ingresses: 2 served, 6 skipped (1 of another class, 1 naming an IngressClass that does not exist, ' +
        "1 of another controller's IngressClass, 1 without a class while edgress is not the default class, " +
        '1 not matching the label selector, 1 outside the watched namespaces); 2 errors, 0 warnings',
    );
  });

  it('counts HTTPRoutes served and not accepted when Gateway API objects are given', () => {
    const gatewayApi: KubeObject[] = [
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'edgress' }, spec: { controllerName: 'edgress.dev/gateway-controller' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'edge', namespace: 'shop' }, spec: { gatewayClassName: 'edgress', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] } },
      ...['served', 'refused'].map((name): KubeObject => ({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace: name === 'served' ? 'shop' : 'other' },
        spec: { parentRefs: [{ name: 'edge', namespace: 'shop' }], rules: [{}] },
      })),
    ];
    const line = formatSelectionSummary(summarizeSelection(selectIngresses(gatewayApi, {}), compile(gatewayApi, {})));
    expect(line).toBe('0 Ingresses: 0 served, 0 skipped; 2 HTTPRoutes: 1 served, 1 not accepted (see the errors); 1 error, 0 warnings');
  });
});
