/**
 * Kubernetes objects for agent tests, written the way they read in YAML.
 */
import type { StoredObject } from '../kube/store.ts';

export interface IngressSpec {
  readonly namespace?: string;
  readonly host?: string;
  readonly path?: string;
  readonly service?: string;
  readonly port?: number;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly ingressClassName?: string;
}

export function ingress(name: string, spec: IngressSpec = {}): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: spec.namespace ?? 'default', labels: spec.labels ?? {}, annotations: spec.annotations ?? {} },
    spec: {
      ...(spec.ingressClassName ? { ingressClassName: spec.ingressClassName } : {}),
      rules: [
        {
          host: spec.host ?? `${name}.example.com`,
          http: { paths: [{ path: spec.path ?? '/', pathType: 'Prefix', backend: { service: { name: spec.service ?? 'web', port: { number: spec.port ?? 80 } } } }] },
        },
      ],
    },
  };
}

export function service(name: string, options: { namespace?: string; port?: number; loadBalancer?: object[] } = {}): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: options.namespace ?? 'default' },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: options.port ?? 80, targetPort: 'http', protocol: 'TCP' }] },
    ...(options.loadBalancer ? { status: { loadBalancer: { ingress: options.loadBalancer } } } : {}),
  };
}

export function endpointSlice(serviceName: string, addresses: readonly string[], options: { namespace?: string; port?: number; suffix?: string } = {}): StoredObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${serviceName}-${options.suffix ?? 'abc12'}`, namespace: options.namespace ?? 'default', labels: { 'kubernetes.io/service-name': serviceName } },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: options.port ?? 8080, protocol: 'TCP' }],
    endpoints: addresses.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  };
}

export function endpoints(serviceName: string, addresses: readonly string[], options: { namespace?: string; port?: number } = {}): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: serviceName, namespace: options.namespace ?? 'default' },
    subsets: [{ addresses: addresses.map((ip) => ({ ip })), ports: [{ name: 'http', port: options.port ?? 8080, protocol: 'TCP' }] }],
  };
}

export function secret(name: string, data: Record<string, string>, namespace = 'default'): StoredObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')])) };
}

export function ingressClass(name: string, controller: string, isDefault = false): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : {} },
    spec: { controller },
  };
}
