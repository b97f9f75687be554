/**
 * `metadata` of any object: name, namespace, labels, annotations and age.
 *
 * @example
 * ```ts
 * const meta = readMeta(object, true, complain);
 * meta?.namespace; // 'default' when the manifest names none, as kubectl does
 * ```
 */
import type { KubeObject } from '../api.ts';
import { asRecord, asString, stringMap, type Complain } from './fields.ts';

export interface Meta {
  /** Undefined for cluster-scoped kinds. */
  readonly namespace: string | undefined;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** `creationTimestamp` in ms since the epoch, when present and valid. */
  readonly created: number | undefined;
}

/** Reads `metadata`; undefined (after a complaint) when the object has no name. */
export function readMeta(object: KubeObject, namespaced: boolean, complain: Complain): Meta | undefined {
  const metadata = asRecord(object.metadata);
  const name = asString(metadata?.['name']);
  if (!metadata || !name) {
    complain('metadata.name', 'is required');
    return undefined;
  }
  const namespace = namespaced ? (asString(metadata['namespace']) ?? 'default') : undefined;
  return {
    namespace: namespace === '' ? 'default' : namespace,
    name,
    labels: stringMap(metadata['labels'], 'metadata.labels', complain),
    annotations: stringMap(metadata['annotations'], 'metadata.annotations', complain),
    created: readTimestamp(metadata['creationTimestamp'], complain),
  };
}

function readTimestamp(value: unknown, complain: Complain): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : value instanceof Date ? value.getTime() : NaN;
  if (Number.isNaN(ms)) {
    complain('metadata.creationTimestamp', 'is not an RFC 3339 time; the object counts as newest');
    return undefined;
  }
  return ms;
}

/** The name the compiler gives an object whose `metadata.name` is missing. */
export const UNNAMED = '<unnamed>';
