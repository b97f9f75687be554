/**
 * Watch streams as kube-apiserver sends them: a 200 with headers flushed at
 * once, then one JSON event per line (`ADDED`, `MODIFIED`, `DELETED`,
 * `BOOKMARK` when asked for with `allowWatchBookmarks`, or an `ERROR` Status
 * with code 410 when the resourceVersion is too old). A watch ends after
 * `timeoutSeconds`, or when the test drops it.
 */
import type { ServerResponse } from 'node:http';
import { apiVersionOf, type ResourceType } from './resources.ts';
import { parseSelector } from './selector.ts';
import type { Change, ObjectStore, StoredObject } from './store.ts';

export interface WatchRequest {
  readonly type: ResourceType;
  readonly namespace?: string;
  readonly resourceVersion: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly allowBookmarks: boolean;
  readonly timeoutSeconds?: number;
}

export interface ActiveWatch {
  readonly request: WatchRequest;
  bookmark(): void;
  /** Ends the stream cleanly (the client sees the body end). */
  end(): void;
}

export function startWatch(store: ObjectStore, request: WatchRequest, res: ServerResponse, onEnd: () => void): ActiveWatch {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  const matches = objectFilter(request);
  const send = (type: string, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');
  let unsubscribe = () => {};
  let timer: NodeJS.Timeout | undefined;
  const end = () => {
    unsubscribe();
    clearTimeout(timer);
    if (!res.writableEnded) res.end();
    onEnd();
  };
  const deliver = (change: Change) => {
    if (change.resource !== request.type) return;
    if (matches(change.object)) send(change.type, change.object);
    // An object that stops matching a selector leaves the watcher's view.
    else if (change.type === 'MODIFIED' && request.labelSelector) send('DELETED', change.object);
  };
  const backlog = initialEvents(store, request, matches);
  if (backlog === 'expired') {
    send('ERROR', goneStatus(request.resourceVersion, store.revision));
    end();
    return { request, bookmark: () => {}, end: () => {} };
  }
  for (const change of backlog) deliver(change);
  unsubscribe = store.subscribe(deliver);
  if (request.timeoutSeconds) timer = setTimeout(end, request.timeoutSeconds * 1000);
  res.on('close', end);
  const bookmark = () => {
    if (!request.allowBookmarks || res.writableEnded) return;
    send('BOOKMARK', { kind: request.type.kind, apiVersion: apiVersionOf(request.type), metadata: { resourceVersion: String(store.revision) } });
  };
  return { request, bookmark, end };
}

/** resourceVersion "" or "0": the current state as ADDED events first (what kube-apiserver does). */
function initialEvents(store: ObjectStore, request: WatchRequest, matches: (object: StoredObject) => boolean): Change[] | 'expired' {
  if (request.resourceVersion === '' || request.resourceVersion === '0') {
    return store
      .list(request.type, request.namespace)
      .filter(matches)
      .map((object) => ({ type: 'ADDED', resource: request.type, object, resourceVersion: Number(object.metadata.resourceVersion) }));
  }
  return store.since(request.type, Number(request.resourceVersion));
}

export function objectFilter(request: Pick<WatchRequest, 'namespace' | 'labelSelector' | 'fieldSelector'>): (object: StoredObject) => boolean {
  const labels = parseSelector(request.labelSelector ?? '');
  const fields = (request.fieldSelector ?? '').split(',').filter(Boolean).map((term) => term.split('='));
  return (object) =>
    (request.namespace === undefined || object.metadata.namespace === request.namespace) &&
    labels(object.metadata.labels ?? {}) &&
    fields.every(([field, value]) => (field === 'metadata.name' ? object.metadata.name : object.metadata.namespace) === value);
}

export function goneStatus(resourceVersion: string, current: number): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `too old resource version: ${resourceVersion} (${current})`,
    reason: 'Expired',
    code: 410,
  };
}
