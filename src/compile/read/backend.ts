/**
 * Ingress backends of every API version, reduced to one shape: a Service and
 * port, a resource reference, or the reason it is unusable.
 *
 * @example
 * ```ts
 * readBackend({ service: { name: 'web', port: { name: 'http' } } }, 'spec.defaultBackend', 'v1');
 * // { kind: 'service', field: 'spec.defaultBackend', name: 'web', port: { name: 'http' } }
 * readBackend({ serviceName: 'web', servicePort: '8080' }, 'spec.backend', 'v1beta1');
 * // port: { number: 8080, name: '8080' } — matches port 8080 or a port named "8080", as Traefik did
 * ```
 */
import { asInt, asRecord, asString } from './fields.ts';

/** A Service port reference; at least one of the two is set. */
export interface PortRef {
  readonly number?: number;
  readonly name?: string;
}

export type BackendRef =
  | { readonly kind: 'service'; readonly field: string; readonly name: string; readonly port: PortRef }
  | { readonly kind: 'resource'; readonly field: string; readonly resource: string }
  | { readonly kind: 'invalid'; readonly field: string; readonly message: string };

/** Which backend shape to expect: v1 `service:` or v1beta1 `serviceName`/`servicePort`. */
export type BackendStyle = 'v1' | 'v1beta1';

/** The port as written in ids and messages: the number when known, else the name. */
export function portText(port: PortRef): string {
  return port.number !== undefined ? String(port.number) : (port.name ?? '');
}

/** Reads one backend object found at `field`. */
export function readBackend(value: unknown, field: string, style: BackendStyle): BackendRef {
  const backend = asRecord(value);
  if (!backend) return { kind: 'invalid', field, message: 'backend must be an object' };
  const resource = asRecord(backend['resource']);
  const hasService = style === 'v1' ? backend['service'] !== undefined : backend['serviceName'] !== undefined;
  if (resource && hasService) return { kind: 'invalid', field, message: 'backend sets both a Service and a resource' };
  if (resource) {
    const kind = asString(resource['kind']) ?? '?';
    return { kind: 'resource', field, resource: `${kind}/${asString(resource['name']) ?? '?'}` };
  }
  return style === 'v1' ? readServiceV1(backend, field) : readServiceV1beta1(backend, field);
}

function readServiceV1(backend: Readonly<Record<string, unknown>>, field: string): BackendRef {
  const service = asRecord(backend['service']);
  const name = asString(service?.['name']);
  if (!service || !name) return { kind: 'invalid', field, message: 'backend needs service.name (or a resource)' };
  const port = asRecord(service['port']);
  const number = port?.['number'];
  const portName = port?.['name'];
  if (number !== undefined && portName !== undefined) {
    return { kind: 'invalid', field, message: 'service.port sets both number and name' };
  }
  if (number !== undefined) {
    const valid = asInt(number, 1, 65535);
    if (valid === undefined) return { kind: 'invalid', field, message: 'service.port.number must be 1-65535' };
    return { kind: 'service', field, name, port: { number: valid } };
  }
  const text = asString(portName);
  if (!text) return { kind: 'invalid', field, message: 'service.port needs a number or a name' };
  return { kind: 'service', field, name, port: { name: text } };
}

function readServiceV1beta1(backend: Readonly<Record<string, unknown>>, field: string): BackendRef {
  const name = asString(backend['serviceName']);
  if (!name) return { kind: 'invalid', field, message: 'backend needs serviceName (or a resource)' };
  const port = backend['servicePort'];
  if (typeof port === 'number') {
    const valid = asInt(port, 1, 65535);
    if (valid === undefined) return { kind: 'invalid', field, message: 'servicePort must be 1-65535' };
    return { kind: 'service', field, name, port: { number: valid } };
  }
  const text = asString(port);
  if (!text) return { kind: 'invalid', field, message: 'backend needs servicePort' };
  // IntOrString given as a string: Traefik compared its IntValue() too.
  const numeric = /^[0-9]{1,5}$/.test(text) ? Number(text) : undefined;
  return numeric !== undefined && numeric >= 1 && numeric <= 65535
    ? { kind: 'service', field, name, port: { number: numeric, name: text } }
    : { kind: 'service', field, name, port: { name: text } };
}
