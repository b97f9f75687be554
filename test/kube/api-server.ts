/**
 * A Kubernetes API server for tests: plain HTTP on 127.0.0.1, reached
 * through a kubeconfig with `insecure-skip-tls-verify: true` (client-node's
 * condition for plain HTTP), speaking the real protocol for the resources in
 * `./resources.ts`: discovery, list, watch, CRUD, status subresources. Tests
 * drive the cluster through `apply`/`remove` and inject faults.
 *
 * @example
 * ```ts
 * const api = await TestApiServer.start();
 * api.apply(ingress('web'));
 * const stop = api.fail({ kind: 'Secret', verb: 'list', status: 403 });
 * api.installGatewayApi(); // the Gateway API CRDs appear
 * await api.restart({ compact: true });
 * ```
 */
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handle, readBody, verbOf, type Verb } from './handlers.ts';
import { discovery } from './discovery.ts';
import { writeKubeconfig } from './kubeconfig.ts';
import { parseResourcePath, RESOURCES, type ResourceType } from './resources.ts';
import { ApiError, ObjectStore, type StoredObject } from './store.ts';
import { startWatch, type ActiveWatch } from './watch.ts';

export interface FaultRule {
  /** Resource kind (`Secret`), or every kind. */
  readonly kind?: string;
  readonly verb?: Verb;
  /** Answer with this status (403, 500, ...). */
  readonly status?: number;
  /** Never answer (a timeout from the client's side). */
  readonly hang?: boolean;
  /** Only for requests carrying this bearer token (one client among several). */
  readonly token?: string;
  /** Apply this many times, then stop (default: until removed). */
  times?: number;
}

export interface RequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly verb?: Verb;
  readonly kind?: string;
  readonly subresource?: string;
  status?: number;
  readonly body?: unknown;
}

export interface TestApiServerOptions {
  /** Serve discovery.k8s.io/v1 EndpointSlices (default true); without, clients must use Endpoints. */
  readonly endpointSlices?: boolean;
  /** Bearer token every request must carry (default: any). */
  readonly token?: string;
  /** The Gateway API CRDs are installed from the start (default false; see `installGatewayApi`). */
  readonly gatewayApi?: boolean;
}

export class TestApiServer {
  readonly store = new ObjectStore();
  readonly requests: RequestRecord[] = [];
  #kubeconfig = '';
  readonly #base: readonly ResourceType[];
  #gatewayApi: boolean;
  readonly #server: http.Server;
  readonly #events = new EventEmitter();
  readonly #watches = new Set<ActiveWatch>();
  readonly #hanging = new Set<http.ServerResponse>();
  #faults: FaultRule[] = [];
  #port = 0;
  readonly #token: string | undefined;

  private constructor(options: TestApiServerOptions, served: readonly ResourceType[]) {
    this.#token = options.token;
    this.#base = served;
    this.#gatewayApi = options.gatewayApi === true;
    this.#server = http.createServer((req, res) => void this.#route(req, res));
  }

  static async start(options: TestApiServerOptions = {}): Promise<TestApiServer> {
    const served = options.endpointSlices === false ? RESOURCES.filter((type) => type.kind !== 'EndpointSlice') : RESOURCES;
    const server = new TestApiServer(options, served);
    await server.resume();
    server.#kubeconfig = await writeKubeconfig(server.url, options.token ?? 'test-token');
    return server;
  }

  /** Installs the Gateway API CRDs: discovery lists the group, its resources are served. */
  installGatewayApi(): void {
    this.#gatewayApi = true;
  }

  /** Deletes the Gateway API CRDs and, as kube-apiserver does, every object of their kinds; their watches end. */
  uninstallGatewayApi(): void {
    for (const type of this.#base.filter((candidate) => candidate.crd === 'gateway-api')) {
      for (const object of this.store.list(type)) this.store.delete(type, object.metadata.namespace, object.metadata.name);
      this.dropWatches(type.kind);
    }
    this.#gatewayApi = false;
  }

  get gatewayApiInstalled(): boolean {
    return this.#gatewayApi;
  }

  /** Path of a kubeconfig file that points at this server. */
  get kubeconfig(): string {
    return this.#kubeconfig;
  }

  /** A kubeconfig with its own bearer token, so faults can target one client. */
  kubeconfigFor(token: string): Promise<string> {
    return writeKubeconfig(this.url, token);
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /**
   * Creates the object, or replaces it when it exists. The status is replaced
   * only when the object carries one (as a controller would write it);
   * otherwise it stays, as with kubectl apply.
   */
  apply(object: StoredObject): StoredObject {
    const type = this.#type(object.kind);
    const current = this.store.get(type, object.metadata.namespace, object.metadata.name);
    if (!current) return this.store.create(type, object);
    const status = 'status' in object || !('status' in current) ? {} : { status: current['status'] };
    return this.store.update(type, { ...object, ...status, metadata: { ...object.metadata, resourceVersion: '' } });
  }

  remove(kind: string, namespace: string | undefined, name: string): void {
    this.store.delete(this.#type(kind), namespace, name);
  }

  object(kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.store.get(this.#type(kind), namespace, name);
  }

  objects(kind: string, namespace?: string): StoredObject[] {
    return this.store.list(this.#type(kind), namespace);
  }

  /** Injects a fault; returns a function that removes it. */
  fail(rule: FaultRule): () => void {
    this.#faults.push(rule);
    return () => (this.#faults = this.#faults.filter((fault) => fault !== rule));
  }

  /** Forgets the watch history (as etcd compaction): resuming from an older resourceVersion gets 410. */
  compact(): void {
    this.store.compact();
  }

  /** Sends a BOOKMARK on every watch that asked for them. */
  bookmark(): void {
    for (const watch of this.#watches) watch.bookmark();
  }

  /** Ends watch streams cleanly, as the API server does at its timeout. */
  dropWatches(kind?: string): void {
    for (const watch of [...this.#watches]) if (kind === undefined || watch.request.type.kind === kind) watch.end();
  }

  activeWatches(kind?: string): number {
    return [...this.#watches].filter((watch) => kind === undefined || watch.request.type.kind === kind).length;
  }

  /** Resolves once at least `count` watches of the kind are open. */
  async waitForWatches(kind: string, count = 1, timeoutMs = 10_000): Promise<void> {
    const signal = AbortSignal.timeout(timeoutMs);
    while (this.activeWatches(kind) < count) await once(this.#events, 'watch', { signal });
  }

  /** Resolves at the next request matching the predicate (after it was answered). */
  async nextRequest(predicate: (record: RequestRecord) => boolean, timeoutMs = 10_000): Promise<RequestRecord> {
    const signal = AbortSignal.timeout(timeoutMs);
    for (;;) {
      const [record] = (await once(this.#events, 'request', { signal })) as [RequestRecord];
      if (predicate(record)) return record;
    }
  }

  /** The API server going down: connections cut, port closed. */
  async stop(): Promise<void> {
    for (const watch of [...this.#watches]) watch.end();
    for (const res of this.#hanging) res.destroy();
    this.#hanging.clear();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** Listening again, on the same port. */
  async resume(): Promise<void> {
    this.#server.listen(this.#port, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Down and up again; with `compact`, no watch can resume across the restart. */
  async restart(options: { compact?: boolean } = {}): Promise<void> {
    await this.stop();
    if (options.compact) this.compact();
    await this.resume();
  }

  close(): Promise<void> {
    return this.stop();
  }

  async #route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = parseResourcePath(url.pathname, this.#served);
    const verb = path && verbOf(req.method ?? 'GET', path, url.searchParams);
    const body = await readBody(req);
    const record: RequestRecord = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, verb, kind: path?.type.kind, subresource: path?.subresource, body };
    this.requests.push(record);
    res.on('finish', () => this.#events.emit('request', record));
    const reply = (status: number, payload: unknown) => {
      record.status = status;
      if (res.headersSent) return void res.destroy();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    };
    try {
      if (this.#token !== undefined && req.headers.authorization !== `Bearer ${this.#token}`) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      const fault = this.#fault(path?.type.kind, verb, req.headers.authorization?.replace(/^Bearer /, ''));
      if (fault?.hang) return void this.#hanging.add(res);
      if (fault) throw new ApiError(fault.status ?? 500, fault.status === 403 ? 'Forbidden' : 'InternalError', `injected ${fault.status ?? 500} for ${verb ?? 'request'} ${path?.type.plural ?? url.pathname}`);
      if (!path || !verb) return reply(...discovery(url.pathname, this.#served));
      if (verb === 'watch') return void this.#watch(path.type, path.namespace, url.searchParams, res, record);
      const answer = handle(this.store, verb, path, url.searchParams, body, req.headers['content-type'] ?? '');
      reply(answer.status, answer.body);
    } catch (error) {
      const status = error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error));
      reply(status.status, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: status.message, reason: status.reason, code: status.status });
    }
  }

  #watch(type: ResourceType, namespace: string | undefined, query: URLSearchParams, res: http.ServerResponse, record: RequestRecord): void {
    record.status = 200;
    const timeout = Number(query.get('timeoutSeconds') ?? 0);
    const request = {
      type,
      namespace,
      resourceVersion: query.get('resourceVersion') ?? '',
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      allowBookmarks: query.get('allowWatchBookmarks') === 'true',
      timeoutSeconds: timeout > 0 ? timeout : undefined,
    };
    let watch: ActiveWatch | undefined;
    // An expired resourceVersion ends the stream before startWatch returns.
    watch = startWatch(this.store, request, res, () => watch && this.#watches.delete(watch));
    if (!res.writableEnded) this.#watches.add(watch);
    this.#events.emit('watch', type.kind);
  }

  #fault(kind: string | undefined, verb: Verb | undefined, token: string | undefined): FaultRule | undefined {
    const applies = (rule: FaultRule) => (rule.kind === undefined || rule.kind === kind) && (rule.verb === undefined || rule.verb === verb) && (rule.token === undefined || rule.token === token);
    const fault = this.#faults.find(applies);
    if (fault && fault.times !== undefined && --fault.times <= 0) this.#faults = this.#faults.filter((rule) => rule !== fault);
    return fault;
  }

  get #served(): readonly ResourceType[] {
    return this.#gatewayApi ? this.#base : this.#base.filter((type) => type.crd === undefined);
  }

  #type(kind: string | undefined): ResourceType {
    const type = RESOURCES.find((candidate) => candidate.kind === kind);
    if (!type) throw new Error(`the test API server does not serve ${kind}`);
    if (type.crd && !this.#gatewayApi) throw new Error(`${kind}: the Gateway API CRDs are not installed (installGatewayApi())`);
    return type;
  }
}
