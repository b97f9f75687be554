/**
 * The test API server's storage: objects per resource type, one cluster-wide
 * resourceVersion counter (as etcd's revision), and a change history that
 * watches resume from. History older than the last compaction is gone, so a
 * watch from such a resourceVersion gets `410 Gone`. Custom resources (the
 * Gateway API's) get `metadata.generation` as kube-apiserver keeps it.
 */
import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ResourceType } from './resources.ts';

export interface StoredMeta {
  name: string;
  namespace?: string;
  resourceVersion?: string;
  uid?: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

export interface StoredObject {
  apiVersion?: string;
  kind?: string;
  metadata: StoredMeta;
  [field: string]: unknown;
}

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Change {
  readonly type: ChangeType;
  readonly resource: ResourceType;
  readonly object: StoredObject;
  readonly resourceVersion: number;
}

/** An error the server answers with a `Status` object. */
export class ApiError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/** Changes kept for resuming watches; older ones are compacted away. */
const HISTORY_LIMIT = 10_000;

export class ObjectStore {
  #revision = 1000;
  readonly #objects = new Map<ResourceType, Map<string, StoredObject>>();
  #history: Change[] = [];
  #oldestResumable = 0;
  readonly #listeners = new Set<(change: Change) => void>();

  get revision(): number {
    return this.#revision;
  }

  list(type: ResourceType, namespace?: string): StoredObject[] {
    const all = [...(this.#objects.get(type)?.values() ?? [])];
    return all
      .filter((object) => namespace === undefined || object.metadata.namespace === namespace)
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
      .map((object) => structuredClone(object));
  }

  get(type: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    const found = this.#objects.get(type)?.get(key(namespace, name));
    return found && structuredClone(found);
  }

  create(type: ResourceType, input: StoredObject): StoredObject {
    if (this.get(type, input.metadata.namespace, input.metadata.name)) {
      throw new ApiError(409, 'AlreadyExists', `${type.plural} "${input.metadata.name}" already exists`);
    }
    const object = structuredClone(input);
    object.metadata.uid = object.metadata.uid ?? randomUUID();
    object.metadata.creationTimestamp = object.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (type.crd) object.metadata['generation'] = 1;
    return this.#commit(type, 'ADDED', object);
  }

  /** Replaces an object; with a resourceVersion in the input, only if it is still current (else 409). */
  update(type: ResourceType, input: StoredObject): StoredObject {
    const current = this.get(type, input.metadata.namespace, input.metadata.name);
    if (!current) throw new ApiError(404, 'NotFound', `${type.plural} "${input.metadata.name}" not found`);
    const expected = input.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) {
      throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${type.plural} "${input.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const object = structuredClone(input);
    object.metadata.uid = current.metadata.uid;
    object.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (type.crd) object.metadata['generation'] = generationOf(current) + (specOf(current) === specOf(object) ? 0 : 1);
    return this.#commit(type, 'MODIFIED', object);
  }

  delete(type: ResourceType, namespace: string | undefined, name: string): StoredObject {
    const current = this.get(type, namespace, name);
    if (!current) throw new ApiError(404, 'NotFound', `${type.plural} "${name}" not found`);
    return this.#commit(type, 'DELETED', current);
  }

  /** Changes of one type after `resourceVersion`, or `expired` when they were compacted away. */
  since(type: ResourceType, resourceVersion: number): Change[] | 'expired' {
    if (resourceVersion < this.#oldestResumable) return 'expired';
    return this.#history.filter((change) => change.resource === type && change.resourceVersion > resourceVersion);
  }

  /** Forgets the history: every resourceVersion older than the current one becomes too old to watch from. */
  compact(): void {
    this.#history = [];
    this.#oldestResumable = this.#revision;
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #commit(type: ResourceType, changeType: ChangeType, object: StoredObject): StoredObject {
    this.#revision++;
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    object.metadata.resourceVersion = String(this.#revision);
    let objects = this.#objects.get(type);
    if (!objects) this.#objects.set(type, (objects = new Map()));
    if (changeType === 'DELETED') objects.delete(keyOf(object));
    else objects.set(keyOf(object), object);
    const change: Change = { type: changeType, resource: type, object: structuredClone(object), resourceVersion: this.#revision };
    this.#history.push(change);
    if (this.#history.length > HISTORY_LIMIT) {
      this.#oldestResumable = this.#history.shift()?.resourceVersion ?? this.#oldestResumable;
    }
    for (const listener of this.#listeners) listener(change);
    return structuredClone(object);
  }
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function keyOf(object: StoredObject): string {
  return key(object.metadata.namespace, object.metadata.name);
}

/** `metadata.generation` (custom resources): 1 at creation, one more for every change outside metadata and status. */
function generationOf(object: StoredObject): number {
  const generation = object.metadata['generation'];
  return typeof generation === 'number' ? generation : 1;
}

function specOf(object: StoredObject): string {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = object;
  return JSON.stringify(rest);
}
