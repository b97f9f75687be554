/**
 * Manifests and checks for the ingress-nginx dialect's end-to-end tests:
 * an Ingress of namespace default with one rule, annotated
 * `kubernetes.io/ingress.class: nginx` unless told otherwise.
 */
import { expect } from 'vitest';
import type { Reply } from './edgress.ts';

export interface PathSpec {
  readonly path: string;
  readonly pathType?: string;
  readonly service?: string;
}

/** The annotation prefix of ingress-nginx. */
export const N = 'nginx.ingress.kubernetes.io/';

export function nginxIngress(
  name: string,
  annotations: Readonly<Record<string, string>>,
  host: string,
  paths: readonly PathSpec[] = [{ path: '/' }],
  extra: object = {},
  classAnnotation = true,
): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: { ...(classAnnotation ? { 'kubernetes.io/ingress.class': 'nginx' } : {}), ...annotations } },
    spec: {
      ...extra,
      rules: [{
        host,
        http: {
          paths: paths.map(({ path, pathType, service }) => ({
            path, pathType: pathType ?? 'ImplementationSpecific', backend: { service: { name: service ?? 'web', port: { number: 8080 } } },
          })),
        },
      }],
    },
  };
}

/** The reply is a redirect with this status and Location. */
export function expectRedirect(reply: Reply, status: number, location: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers['location']).toBe(location);
}
