/**
 * The objects one informer holds, by `namespace/name`, in the shape of
 * client-node's `ObjectCache` (`src/cache.ts`), plus replacing the whole
 * content after a list with the differences reported.
 *
 * @example
 * ```ts
 * const changes = cache.replace(listedItems);
 * cache.get('web', 'shop');
 * ```
 */
import type { ObjectChange as CompilerChange } from '../../../src/compile/incremental/index.ts';
import type { WatchedObject } from '../../common/kube/watch-event.ts';

export interface ObjectCache<T> {
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): readonly T[];
}

/** A change the cache took: the compiler's change type, over watched objects. */
export type ObjectChange = CompilerChange<WatchedObject>;

export class ObjectStoreCache implements ObjectCache<WatchedObject> {
  #objects = new Map<string, WatchedObject>();

  get(name: string, namespace?: string): WatchedObject | undefined {
    return this.#objects.get(keyOf(namespace, name));
  }

  list(namespace?: string): readonly WatchedObject[] {
    const all = [...this.#objects.values()];
    return namespace === undefined ? all : all.filter((object) => object.metadata.namespace === namespace);
  }

  get size(): number {
    return this.#objects.size;
  }

  /** Stores a watched object; undefined when it is the version already held. */
  upsert(object: WatchedObject): ObjectChange | undefined {
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const previous = this.#objects.get(key);
    this.#objects.set(key, object);
    if (!previous) return { type: 'upsert', object };
    return sameVersion(previous, object) ? undefined : { type: 'upsert', object };
  }

  remove(object: WatchedObject): ObjectChange | undefined {
    const key = keyOf(object.metadata.namespace, object.metadata.name);
    const previous = this.#objects.get(key);
    if (!previous) return undefined;
    this.#objects.delete(key);
    return { type: 'delete', object: previous };
  }

  /** Makes the cache hold exactly `objects` (a fresh list) and reports what changed. */
  replace(objects: readonly WatchedObject[]): ObjectChange[] {
    const next = new Map(objects.map((object) => [keyOf(object.metadata.namespace, object.metadata.name), object]));
    const changes: ObjectChange[] = [];
    for (const [key, previous] of this.#objects) if (!next.has(key)) changes.push({ type: 'delete', object: previous });
    for (const [key, object] of next) {
      const previous = this.#objects.get(key);
      if (!previous) changes.push({ type: 'upsert', object });
      else if (!sameVersion(previous, object)) changes.push({ type: 'upsert', object });
    }
    this.#objects = next;
    return changes;
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function sameVersion(a: WatchedObject, b: WatchedObject): boolean {
  return a.metadata.resourceVersion !== undefined && a.metadata.resourceVersion === b.metadata.resourceVersion;
}
