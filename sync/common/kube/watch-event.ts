/**
 * A typed union over client-node's untyped watch callback
 * (`(phase: string, apiObj: any, watchObj?: any) => void`).
 *
 * @example
 * ```ts
 * watch.watch(path, query, (phase, object) => {
 *   const event = toWatchEvent(phase, object);
 *   if (event?.type === 'BOOKMARK') resourceVersion = event.resourceVersion;
 * }, done);
 * ```
 */
import type { KubeObject } from '../../../src/compile/api.ts';

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
  readonly uid?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A Kubernetes object with the metadata the agent relies on. */
export interface WatchedObject extends KubeObject {
  readonly metadata: ObjectMeta;
}

/** The `Status` the API server sends in an ERROR event (410 Gone: the resourceVersion is too old). */
export interface WatchStatus {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

export type WatchEvent =
  | { readonly type: 'ADDED' | 'MODIFIED' | 'DELETED'; readonly object: WatchedObject }
  | { readonly type: 'BOOKMARK'; readonly resourceVersion: string }
  | { readonly type: 'ERROR'; readonly status: WatchStatus };

/** Undefined for phases and objects that are not a valid watch event. */
export function toWatchEvent(phase: string, object: unknown): WatchEvent | undefined {
  if (phase === 'ERROR') return { type: 'ERROR', status: isRecord(object) ? readStatus(object) : {} };
  if (phase === 'BOOKMARK') {
    // A bookmark's object carries only metadata.resourceVersion.
    const metadata = isRecord(object) && isRecord(object['metadata']) ? object['metadata'] : {};
    return typeof metadata['resourceVersion'] === 'string' ? { type: 'BOOKMARK', resourceVersion: metadata['resourceVersion'] } : undefined;
  }
  if (!isWatchedObject(object)) return undefined;
  if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED') return { type: phase, object };
  return undefined;
}

export function isWatchedObject(value: unknown): value is WatchedObject {
  return isRecord(value) && isRecord(value['metadata']) && typeof value['metadata']['name'] === 'string';
}

function readStatus(object: Record<string, unknown>): WatchStatus {
  return {
    ...(typeof object['code'] === 'number' ? { code: object['code'] } : {}),
    ...(typeof object['reason'] === 'string' ? { reason: object['reason'] } : {}),
    ...(typeof object['message'] === 'string' ? { message: object['message'] } : {}),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
