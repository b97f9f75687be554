/**
 * An informer for one resource type in one namespace (or all): list, then
 * watch from the list's resourceVersion with bookmarks; resume after a
 * dropped or timed-out watch from the last resourceVersion seen; list again
 * when the API server answers 410 Gone. Failures are retried with the
 * injected backoff and clock. The cache keeps its last content through
 * every failure: a failed relist makes the informer `stale`, never empty.
 * Shaped like client-node's `Informer`/`ObjectCache` (`src/informer.ts`,
 * `src/cache.ts`), with typed events instead of verb strings.
 *
 * @example
 * ```ts
 * const informer = new ListWatchInformer({ resource: INGRESSES, client, labelSelector: 'team=web' });
 * informer.on((event) => event.type === 'change' && schedule());
 * informer.start();
 * ```
 */
import { Backoff } from '../../common/backoff.ts';
import { systemClock, type Clock } from '../../common/clock.ts';
import type { ListWatchClient, WatchHandle } from '../../common/kube/client.ts';
import { statusOf } from '../../common/kube/errors.ts';
import { collectionPath, type WatchedResource } from '../../common/kube/resources.ts';
import { isWatchedObject, type WatchedObject, type WatchEvent } from '../../common/kube/watch-event.ts';
import { ObjectStoreCache, type ObjectCache, type ObjectChange } from './object-cache.ts';

/** Objects per list page (`limit`/`continue`), as client-go's pager. */
export const LIST_PAGE_SIZE = 500;
/** The API server ends a watch after a random 5–10 minutes, as client-go asks. */
export const WATCH_TIMEOUT_MIN_SECONDS = 300;
/** A watch closed sooner than this without delivering anything counts as a failure (no tight reconnect loop). */
export const MIN_HEALTHY_WATCH_MS = 1_000;

/** `initial`: never listed; `synced`: cache complete; `stale`: a needed relist is failing. */
export type InformerState = 'initial' | 'synced' | 'stale';

export type RestartReason = 'expired' | 'closed' | 'timeout' | 'error';

export type InformerEvent =
  | { readonly type: 'change'; readonly changes: readonly ObjectChange[] }
  | { readonly type: 'synced' }
  | { readonly type: 'error'; readonly phase: 'list' | 'watch'; readonly error: unknown; readonly retryInMs: number }
  | { readonly type: 'restart'; readonly reason: RestartReason };

/** An informer over one resource, like client-node's `Informer<T> & ObjectCache<T>`, with typed events. */
export interface Informer extends ObjectCache<WatchedObject> {
  readonly resource: WatchedResource;
  readonly state: InformerState;
  on(listener: (event: InformerEvent) => void): () => void;
  start(): void;
  stop(): Promise<void>;
}

export interface InformerOptions {
  readonly resource: WatchedResource;
  /** Undefined: all namespaces (and cluster-scoped resources). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly client: ListWatchClient;
  readonly clock?: Clock;
  readonly backoff?: Backoff;
  /** Objects per list page; default {@link LIST_PAGE_SIZE}. */
  readonly pageSize?: number;
}

export class ListWatchInformer implements Informer {
  readonly resource: WatchedResource;
  readonly namespace: string | undefined;
  readonly #options: InformerOptions;
  readonly #clock: Clock;
  readonly #backoff: Backoff;
  readonly #cache = new ObjectStoreCache();
  readonly #listeners = new Set<(event: InformerEvent) => void>();
  readonly #stop = new AbortController();
  #state: InformerState = 'initial';
  #resourceVersion = '';
  #watch: WatchHandle | undefined;
  #running: Promise<void> | undefined;

  constructor(options: InformerOptions) {
    this.resource = options.resource;
    this.namespace = options.namespace;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#backoff = options.backoff ?? new Backoff();
  }

  get state(): InformerState {
    return this.#state;
  }

  /** `Ingress in shop`, `IngressClass`, for logs. */
  get description(): string {
    return this.namespace === undefined ? this.resource.kind : `${this.resource.kind} in ${this.namespace}`;
  }

  get(name: string, namespace?: string): WatchedObject | undefined {
    return this.#cache.get(name, namespace);
  }

  list(namespace?: string): readonly WatchedObject[] {
    return this.#cache.list(namespace);
  }

  on(listener: (event: InformerEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#running ??= this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#watch?.abort();
    await this.#running;
  }

  /** One complete list, no watch (`edgress sync --once`); rejects when it fails. */
  async listOnce(): Promise<void> {
    await this.#list();
  }

  async #run(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      if (this.#resourceVersion === '' && !(await this.#relist())) continue;
      await this.#watchOnce();
    }
  }

  async #relist(): Promise<boolean> {
    try {
      await this.#list();
      this.#backoff.reset();
      return true;
    } catch (error) {
      if (this.#state === 'synced') this.#state = 'stale';
      await this.#retryLater('list', error);
      return false;
    }
  }

  async #list(): Promise<void> {
    const items: WatchedObject[] = [];
    let page: { continue?: string; resourceVersion: string } = { resourceVersion: '' };
    do {
      const query = { limit: String(this.#options.pageSize ?? LIST_PAGE_SIZE), ...this.#selector(), ...(page.continue ? { continue: page.continue } : {}) };
      const listed = await this.#options.client.list(collectionPath(this.resource, this.namespace), query);
      // kube-apiserver leaves kind and apiVersion out of list items; the compiler needs them.
      for (const item of listed.items) if (isWatchedObject(item)) items.push({ apiVersion: this.resource.apiVersion, kind: this.resource.kind, ...item });
      page = listed;
    } while (page.continue);
    const changes = this.#cache.replace(items);
    this.#resourceVersion = page.resourceVersion;
    this.#state = 'synced';
    if (changes.length > 0) this.#emit({ type: 'change', changes });
    this.#emit({ type: 'synced' });
  }

  async #watchOnce(): Promise<void> {
    const started = this.#clock.now();
    let delivered = false;
    let expired = false;
    let onStop = () => {};
    const ended = new Promise<unknown>((resolve) => {
      onStop = () => resolve(undefined);
      this.#stop.signal.addEventListener('abort', onStop, { once: true });
      const onEvent = (event: WatchEvent) => {
        delivered = true;
        if (event.type === 'ERROR') expired ||= event.status.code === 410;
        else this.#apply(event);
      };
      void this.#options.client
        .watch(collectionPath(this.resource, this.namespace), this.#watchQuery(), onEvent, resolve)
        .then((handle) => (this.#stop.signal.aborted ? handle.abort() : (this.#watch = handle)), resolve);
    });
    const error = await ended;
    // One watch after another for days: leave no listener behind on the stop signal.
    this.#stop.signal.removeEventListener('abort', onStop);
    this.#watch = undefined;
    if (this.#stop.signal.aborted) return;
    await this.#afterWatch(error, expired, delivered, this.#clock.now() - started);
  }

  async #afterWatch(error: unknown, expired: boolean, delivered: boolean, lastedMs: number): Promise<void> {
    if (expired || statusOf(error) === 410) {
      this.#resourceVersion = '';
      return this.#emit({ type: 'restart', reason: 'expired' });
    }
    if (error instanceof Error && error.name === 'TimeoutError') return this.#emit({ type: 'restart', reason: 'timeout' });
    if (error) {
      this.#emit({ type: 'restart', reason: 'error' });
      return this.#retryLater('watch', error);
    }
    this.#emit({ type: 'restart', reason: 'closed' });
    if (!delivered && lastedMs < MIN_HEALTHY_WATCH_MS) return this.#retryLater('watch', new Error('the watch closed at once'));
    this.#backoff.reset();
  }

  #apply(event: Exclude<WatchEvent, { type: 'ERROR' }>): void {
    if (event.type === 'BOOKMARK') {
      this.#resourceVersion = event.resourceVersion || this.#resourceVersion;
      return;
    }
    const object = { apiVersion: this.resource.apiVersion, kind: this.resource.kind, ...event.object };
    const change = event.type === 'DELETED' ? this.#cache.remove(object) : this.#cache.upsert(object);
    this.#resourceVersion = object.metadata.resourceVersion ?? this.#resourceVersion;
    this.#backoff.reset();
    if (change) this.#emit({ type: 'change', changes: [change] });
  }

  async #retryLater(phase: 'list' | 'watch', error: unknown): Promise<void> {
    const retryInMs = this.#backoff.next();
    this.#emit({ type: 'error', phase, error, retryInMs });
    await this.#clock.sleep(retryInMs, this.#stop.signal);
  }

  #selector(): Record<string, string> {
    return this.#options.labelSelector ? { labelSelector: this.#options.labelSelector } : {};
  }

  #watchQuery(): Record<string, string> {
    const timeout = WATCH_TIMEOUT_MIN_SECONDS + Math.floor(Math.random() * WATCH_TIMEOUT_MIN_SECONDS);
    return { resourceVersion: this.#resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(timeout), ...this.#selector() };
  }

  #emit(event: InformerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
