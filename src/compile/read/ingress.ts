/**
 * Ingress objects of the three API versions (`networking.k8s.io/v1`,
 * `networking.k8s.io/v1beta1`, `extensions/v1beta1`) read into one model.
 * Malformed parts are reported and dropped; the rest of the object stays.
 *
 * @example
 * ```ts
 * const ingress = readIngress(object, meta, 'v1', complain);
 * ingress?.rules[0]?.paths?.[0]?.backend; // { kind: 'service', name: 'web', port: { number: 80 }, ... }
 * ```
 */
import type { KubeObject, ObjectRef } from '../api.ts';
import { readBackend, type BackendRef, type BackendStyle } from './backend.ts';
import { asRecord, asString, optionalArray, type Complain, type JsonRecord } from './fields.ts';
import type { Meta } from './meta.ts';
import { joined } from '../text.ts';

/** Ingress API versions the compiler reads, by the backend shape they use. */
export const INGRESS_API_VERSIONS: Readonly<Record<string, BackendStyle>> = {
  'networking.k8s.io/v1': 'v1',
  'networking.k8s.io/v1beta1': 'v1beta1',
  'extensions/v1beta1': 'v1beta1',
};

export interface PathModel {
  readonly field: string;
  /** `''` when the manifest has no path. */
  readonly path: string;
  readonly pathType: string | undefined;
  readonly backend: BackendRef;
}

export interface RuleModel {
  readonly field: string;
  /** `''` (any host) when the manifest has none. */
  readonly host: string;
  /** Undefined when the rule has no `http` section. */
  readonly paths: readonly (PathModel | undefined)[] | undefined;
}

export interface TlsModel {
  readonly field: string;
  readonly secretName: string | undefined;
}

export interface IngressModel {
  readonly ref: ObjectRef;
  /** `namespace/name`. */
  readonly key: string;
  readonly meta: Meta & { readonly namespace: string };
  readonly style: BackendStyle;
  readonly className: string | undefined;
  readonly defaultBackend: BackendRef | undefined;
  readonly rules: readonly (RuleModel | undefined)[];
  readonly tls: readonly TlsModel[];
}

/** Reads an Ingress whose metadata was already read. */
export function readIngress(
  object: KubeObject,
  meta: Meta & { readonly namespace: string },
  style: BackendStyle,
  complain: Complain,
): IngressModel {
  const spec = asRecord(object['spec']);
  if (!spec) complain('spec', 'is required');
  const className = spec?.['ingressClassName'];
  if (className !== undefined && className !== null && typeof className !== 'string') {
    complain('spec.ingressClassName', 'must be a string');
  }
  const backendField = style === 'v1' ? 'defaultBackend' : 'backend';
  const backend = spec?.[backendField];
  return {
    ref: { kind: 'Ingress', namespace: meta.namespace, name: meta.name },
    key: joined(meta.namespace, '/', meta.name),
    meta,
    style,
    className: asString(className) || undefined,
    defaultBackend: backend === undefined || backend === null ? undefined : readBackend(backend, joined('spec.', backendField), style),
    rules: (optionalArray(spec?.['rules'], 'spec.rules', complain) ?? []).map((rule, index) =>
      readRule(rule, joined('spec.rules[', index, ']'), style, complain),
    ),
    tls: readTls(spec, complain),
  };
}

function readRule(value: unknown, field: string, style: BackendStyle, complain: Complain): RuleModel | undefined {
  const rule = asRecord(value);
  const host = rule?.['host'] ?? '';
  if (!rule || typeof host !== 'string') {
    complain(rule ? `${field}.host` : field, rule ? 'must be a string' : 'must be an object');
    return undefined;
  }
  const http = rule['http'];
  if (http === undefined || http === null) return { field, host, paths: undefined };
  const paths = optionalArray(asRecord(http)?.['paths'], `${field}.http.paths`, complain) ?? [];
  return {
    field,
    host,
    paths: paths.map((path, index) => readPath(path, joined(field, '.http.paths[', index, ']'), style, complain)),
  };
}

function readPath(value: unknown, field: string, style: BackendStyle, complain: Complain): PathModel | undefined {
  const entry = asRecord(value);
  const path = entry?.['path'] ?? '';
  const pathType = entry?.['pathType'] ?? undefined;
  if (!entry || typeof path !== 'string' || (pathType !== undefined && pathType !== null && typeof pathType !== 'string')) {
    complain(field, entry ? 'path and pathType must be strings' : 'must be an object');
    return undefined;
  }
  return {
    field,
    path,
    pathType: asString(pathType),
    backend: readBackend(entry['backend'], joined(field, '.backend'), style),
  };
}

function readTls(spec: JsonRecord | undefined, complain: Complain): TlsModel[] {
  const entries = optionalArray(spec?.['tls'], 'spec.tls', complain) ?? [];
  return entries.flatMap((value, index) => {
    const field = `spec.tls[${index}]`;
    const entry = asRecord(value);
    if (!entry) {
      complain(field, 'must be an object');
      return [];
    }
    return [{ field: joined(field, '.secretName'), secretName: asString(entry['secretName']) || undefined }];
  });
}
