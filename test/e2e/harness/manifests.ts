/**
 * Kubernetes objects for the pods of a test, written as the API server would
 * hold them: a Service per name and an EndpointSlice listing its pods.
 */
import { dump } from 'js-yaml';
import type { Pod } from './pods.ts';

export interface ServiceSpec {
  readonly namespace?: string;
  /** Service port (default 8080) and its name (default `http`). */
  readonly port?: number;
  readonly portName?: string;
}

export function serviceObjects(name: string, pods: readonly Pod[], spec: ServiceSpec = {}): object[] {
  const namespace = spec.namespace ?? 'default';
  const port = spec.port ?? 8080;
  const portName = spec.portName ?? 'http';
  const own = pods.filter((pod) => pod.service === name);
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: { app: name }, ports: [{ name: portName, port, targetPort: portName, protocol: 'TCP' }] },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${name}-abc12`, namespace, labels: { 'kubernetes.io/service-name': name } },
      addressType: 'IPv4',
      ports: [{ name: portName, port: own[0]?.port ?? 1, protocol: 'TCP' }],
      endpoints: own.map((pod) => ({
        addresses: [pod.ip],
        conditions: { ready: true },
        targetRef: { kind: 'Pod', name: pod.name, namespace },
      })),
    },
  ];
}

/** A multi-document YAML stream. */
export function toYaml(objects: readonly object[]): string {
  return objects.map((object) => dump(object, { lineWidth: -1 })).join('---\n');
}
