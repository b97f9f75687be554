/**
 * Services, Endpoints, EndpointSlices, Secrets and IngressClasses read into
 * the small models the compiler needs. Endpoints subsets and EndpointSlices
 * both become {@link EndpointGroup}s, holding ready addresses only.
 *
 * @example
 * ```ts
 * readService(object, meta, complain).ports; // [{ name: 'http', port: 80 }]
 * readSlice(object, complain);                // { ports: [...], addresses: [{ ip: '10.0.0.7', pod: 'web-1' }] }
 * ```
 */
import { parseAddress } from '../../net/ip-range.ts';
import { MAX_HOST_LENGTH } from '../../table/constants.ts';
import type { KubeObject } from '../api.ts';
import { quote } from '../diagnostics.ts';
import { asInt, asRecord, asString, optionalArray, type Complain, type JsonRecord } from './fields.ts';
import type { Meta } from './meta.ts';

export interface ServicePort {
  /** `''` for an unnamed port. */
  readonly name: string;
  readonly port: number;
  /** `appProtocol` when set (HTTPRoute backends honour it). */
  readonly appProtocol?: string;
}

export interface ServiceModel {
  readonly namespace: string;
  readonly name: string;
  readonly annotations: Readonly<Record<string, string>>;
  readonly ports: readonly ServicePort[];
  /** Set for `type: ExternalName` Services (`''` when the name is missing). */
  readonly externalName: string | undefined;
}

/** Ports and ready addresses of one Endpoints subset or one EndpointSlice. */
export interface EndpointGroup {
  /** `port` is undefined when a slice leaves it unset. */
  readonly ports: readonly { readonly name: string; readonly port: number | undefined }[];
  readonly addresses: readonly { readonly ip: string; readonly pod: string | undefined }[];
}

export interface SecretModel {
  readonly type: string | undefined;
  readonly data: JsonRecord;
  readonly stringData: JsonRecord;
}

/** A ConfigMap's `data` (string values only; the nginx dialect's `custom-headers` reads it). */
export interface ConfigMapModel {
  readonly data: Readonly<Record<string, unknown>>;
}

export function readConfigMap(object: KubeObject): ConfigMapModel {
  return { data: asRecord(object['data']) ?? {} };
}

export interface IngressClassModel {
  readonly name: string;
  readonly controller: string | undefined;
  readonly isDefault: boolean;
}

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';

export function readService(object: KubeObject, meta: Meta & { namespace: string }, complain: Complain): ServiceModel {
  const spec = asRecord(object['spec']) ?? {};
  const ports = (optionalArray(spec['ports'], 'spec.ports', complain) ?? []).flatMap((value, index) => {
    const entry = asRecord(value);
    const port = asInt(entry?.['port'], 1, 65535);
    if (port === undefined) {
      complain(`spec.ports[${index}].port`, 'must be a port number 1-65535');
      return [];
    }
    const appProtocol = asString(entry?.['appProtocol']);
    return [appProtocol ? { name: asString(entry?.['name']) ?? '', port, appProtocol } : { name: asString(entry?.['name']) ?? '', port }];
  });
  const external = spec['type'] === 'ExternalName';
  return {
    namespace: meta.namespace,
    name: meta.name,
    annotations: meta.annotations,
    ports,
    externalName: external ? readExternalName(spec['externalName'], complain) : undefined,
  };
}

/** A DNS name or IP address; `''` (after a complaint) for anything else, which could not be one URL's host. */
function readExternalName(value: unknown, complain: Complain): string {
  const name = asString(value) ?? '';
  if (name === '') complain('spec.externalName', 'is required for type ExternalName');
  else if (!EXTERNAL_NAME.test(name) && !parseAddress(name)) complain('spec.externalName', `${quote(name)} is not a DNS name or IP address`);
  else return name;
  return '';
}

/** RFC 1123 names of at most MAX_HOST_LENGTH characters, any case, with an optional final dot. */
const EXTERNAL_NAME = new RegExp(`^(?=.{1,${MAX_HOST_LENGTH}}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*\\.?$`);

/** One group per Endpoints subset; `notReadyAddresses` are left out. */
export function readEndpoints(object: KubeObject, complain: Complain): EndpointGroup[] {
  return (optionalArray(object['subsets'], 'subsets', complain) ?? []).map((value, index) => {
    const subset = asRecord(value) ?? {};
    const addresses = optionalArray(subset['addresses'], `subsets[${index}].addresses`, complain) ?? [];
    return {
      ports: readPorts(subset['ports'], `subsets[${index}].ports`, complain),
      addresses: addresses.flatMap((entry, at) => address(asRecord(entry)?.['ip'], asRecord(entry)?.['targetRef'], `subsets[${index}].addresses[${at}].ip`, complain)),
    };
  });
}

/** An EndpointSlice as one group; endpoints with `conditions.ready: false` are left out. */
export function readSlice(object: KubeObject, complain: Complain): EndpointGroup {
  const endpoints = optionalArray(object['endpoints'], 'endpoints', complain) ?? [];
  return {
    ports: readPorts(object['ports'], 'ports', complain),
    addresses: endpoints.flatMap((value, index) => {
      const endpoint = asRecord(value);
      if (asRecord(endpoint?.['conditions'])?.['ready'] === false) return [];
      // The addresses of one endpoint are fungible; consumers use the first.
      return address(asArray0(endpoint?.['addresses']), endpoint?.['targetRef'], `endpoints[${index}].addresses[0]`, complain);
    }),
  };
}

export function readSecret(object: KubeObject): SecretModel {
  return {
    type: asString(object['type']),
    data: asRecord(object['data']) ?? {},
    stringData: asRecord(object['stringData']) ?? {},
  };
}

export function readIngressClass(object: KubeObject, meta: Meta): IngressClassModel {
  return {
    name: meta.name,
    controller: asString(asRecord(object['spec'])?.['controller']),
    isDefault: meta.annotations[DEFAULT_CLASS_ANNOTATION] === 'true',
  };
}

function readPorts(value: unknown, field: string, complain: Complain): EndpointGroup['ports'] {
  return (optionalArray(value, field, complain) ?? []).map((entry) => ({
    name: asString(asRecord(entry)?.['name']) ?? '',
    port: asInt(asRecord(entry)?.['port'], 1, 65535),
  }));
}

/**
 * An endpoint address; only an IP address is one (a name or anything else
 * would become the host of the worker's upstream URL). The pod name is kept
 * when it is a Kubernetes name.
 */
function address(ip: unknown, targetRef: unknown, field: string, complain: Complain): EndpointGroup['addresses'] {
  const text = asString(ip);
  if (!text) return [];
  if (!parseAddress(text)) {
    complain(field, `${quote(text)} is not an IP address; endpoint skipped`);
    return [];
  }
  const pod = asString(asRecord(targetRef)?.['name']);
  return [{ ip: text, pod: pod !== undefined && POD_NAME.test(pod) ? pod : undefined }];
}

const POD_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function asArray0(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : undefined;
}
