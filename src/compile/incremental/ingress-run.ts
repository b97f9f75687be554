/**
 * Compiles one Ingress on its own, as the full compile would at its place
 * in age order, and records everything that place gave it: which objects it
 * read (`S:`/`E:`/`X:` keys), and what it saw of older Ingresses (the owner
 * of each of its claims, the default backend's winner, whether a Service or
 * pool was used first by an older Ingress, and the pools' problems and
 * sizes). When none of that changes, neither does its result.
 *
 * @example
 * ```ts
 * const result = runIngress(ingress, { store, options, shared });
 * result.routers;   // as compile() emits them for this Ingress
 * result.claims;    // [{ key, routerId, observed }]
 * ```
 */
import type { Diagnostic, Dialect, ProviderOptions } from '../api.ts';
import type { Middleware } from '../../table/middleware.ts';
import type { PathMatch, Router, Scheme, Service } from '../../table/schema.ts';
import type { Protocol } from '../annotations/routing.ts';
import type { ClusterObjects, EndpointSource } from '../cluster.ts';
import { DiagnosticSink, quote } from '../diagnostics.ts';
import { poolRef, poolRequest, type BuiltPool, type PoolRef, type PoolRequest, type PoolResolver } from '../pools.ts';
import type { PortRef } from '../read/backend.ts';
import type { IngressModel } from '../read/ingress.ts';
import type { ConfigMapModel, SecretModel, ServiceModel } from '../read/objects.ts';
import type { CanarySpec } from '../nginx/canary.ts';
import { compileIngress } from '../routes.ts';
import { claimKey, orderedMiddlewareIds, type RouteTable } from '../table-builder.ts';
import type { ServiceTraffic } from '../traffic/service.ts';
import { joined } from '../text.ts';

/** A claim of the Ingress: its first router on the key, and the older owner it met (undefined: it holds the key). */
export interface ClaimUse {
  readonly key: string;
  readonly routerId: string;
  readonly observed: string | undefined;
}

/** A pool the Ingress resolved: its own request, and the problem and size it was given. */
export interface PoolUse {
  readonly id: string;
  readonly argsKey: string;
  readonly request: PoolRequest;
  readonly problem: BuiltPool['problem'];
  readonly size: number;
}

/** A Service whose traffic annotations the Ingress read; `older` when an older Ingress read them first. */
export interface ServiceUse {
  readonly service: string;
  readonly older: boolean;
}

export interface IngressResult {
  /** The model compiled: its age places the result among the others. */
  readonly model: IngressModel;
  readonly served: boolean;
  readonly routers: readonly Router[];
  readonly defaultRouter: Router | undefined;
  /** Middlewares by id, and weighted services by id, this Ingress stored. */
  readonly middlewares: ReadonlyMap<string, Middleware>;
  readonly services: ReadonlyMap<string, Service>;
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: readonly string[];
  readonly claims: readonly ClaimUse[];
  /** Set when the Ingress asked for the default backend's winner; `observed` is its source. */
  readonly defaultUse: { readonly observed: string | undefined } | undefined;
  readonly serviceUses: readonly ServiceUse[];
  readonly poolUses: readonly PoolUse[];
}

/** What older Ingresses decided, as the incremental compiler's registries know it. */
export interface OlderIngresses {
  claimOwner(key: string, age: IngressModel): string | undefined;
  defaultWinner(age: IngressModel): Router | undefined;
  serviceUsedBefore(service: string, age: IngressModel): boolean;
  poolView(id: string, age: IngressModel, own: { readonly argsKey: string; readonly request: PoolRequest }): BuiltPool;
  traffic(service: ServiceModel): { readonly traffic: ServiceTraffic; readonly diagnostics: readonly Diagnostic[] };
}

export interface RunContext {
  readonly store: ClusterObjects;
  readonly options: ProviderOptions;
  readonly older: OlderIngresses;
  readonly dialect: Dialect;
  readonly nginxRegexHosts: ReadonlySet<string>;
  readonly nginxCanaries: ReadonlyMap<string, CanarySpec>;
}

const NO_MIDDLEWARES: ReadonlyMap<string, Middleware> = new Map();
/** The dependency on every Ingress (error pages that name another rule's backend). */
export const ANY_INGRESS = 'I:*';
const NO_SERVICES: ReadonlyMap<string, Service> = new Map();

/** Compiles `ingress` alone; a defect costs this Ingress only, as in `compile()`. */
export function runIngress(ingress: IngressModel, context: RunContext): IngressResult {
  const run = new IngressRun(ingress, context);
  let served = false;
  try {
    served = compileIngress(
      ingress,
      { cluster: run, options: context.options, pools: run, table: run, sink: run.sink, nginxRegexHosts: context.nginxRegexHosts, nginxCanaries: context.nginxCanaries },
      context.dialect,
    );
  } catch (error) {
    const message = quote(error instanceof Error ? error.message : String(error));
    run.sink.about(ingress.ref).error('InternalError', undefined, `compiling this Ingress failed: ${message}`);
  }
  return run.result(served);
}

/** One Ingress's view of the table, the pools and the cluster, recording what it reads. */
class IngressRun implements RouteTable, PoolResolver, ClusterObjects {
  readonly sink = new DiagnosticSink();
  readonly #ingress: IngressModel;
  readonly #context: RunContext;
  readonly #deps = new Set<string>();
  readonly #routers: Router[] = [];
  #middlewares: Map<string, Middleware> | undefined;
  #services: Map<string, Service> | undefined;
  #defaultRouter: Router | undefined;
  #defaultUse: { observed: string | undefined } | undefined;
  /** Claim key → what a repeated claim answers: the older owner, else this Ingress's first router. */
  readonly #claimAnswers = new Map<string, string>();
  readonly #claims: ClaimUse[] = [];
  readonly #pools: PoolUse[] = [];
  readonly #built = new Map<string, BuiltPool>();
  readonly #serviceUses = new Map<string, ServiceUse>();

  constructor(ingress: IngressModel, context: RunContext) {
    this.#ingress = ingress;
    this.#context = context;
  }

  result(served: boolean): IngressResult {
    return {
      model: this.#ingress,
      served,
      routers: this.#routers,
      defaultRouter: this.#defaultRouter,
      middlewares: this.#middlewares ?? NO_MIDDLEWARES,
      services: this.#services ?? NO_SERVICES,
      diagnostics: this.sink.list,
      deps: [...this.#deps],
      claims: this.#claims,
      defaultUse: this.#defaultUse,
      serviceUses: [...this.#serviceUses.values()],
      poolUses: this.#pools,
    };
  }

  // ClusterObjects: reads are recorded, so a change to what was read recompiles this Ingress.
  service(namespace: string, name: string): ServiceModel | undefined {
    this.#deps.add(joined('S:', namespace, '/', name));
    return this.#context.store.service(namespace, name);
  }

  endpoints(namespace: string, name: string): EndpointSource | undefined {
    this.#deps.add(joined('E:', namespace, '/', name));
    return this.#context.store.endpoints(namespace, name);
  }

  secret(namespace: string, name: string): SecretModel | undefined {
    this.#deps.add(joined('X:', namespace, '/', name));
    return this.#context.store.secret(namespace, name);
  }

  /** `I:*`: any change to any Ingress recompiles this one. */
  ingressModels(): Iterable<IngressModel> {
    this.#deps.add(ANY_INGRESS);
    return this.#context.store.ingressModels();
  }

  configMap(namespace: string, name: string): ConfigMapModel | undefined {
    this.#deps.add(joined('M:', namespace, '/', name));
    return this.#context.store.configMap(namespace, name);
  }

  // RouteTable
  claim(host: string, match: PathMatch, schemes: readonly Scheme[] | undefined, routerId: string): string | undefined {
    const key = claimKey(host, match, schemes);
    const answer = this.#claimAnswers.get(key);
    if (answer !== undefined) return answer;
    const observed = this.#context.older.claimOwner(key, this.#ingress);
    this.#claims.push({ key, routerId, observed });
    this.#claimAnswers.set(key, observed ?? routerId);
    return observed;
  }

  middlewareIds(middlewares: readonly Middleware[]): string[] {
    return orderedMiddlewareIds(middlewares, (id, middleware) => (this.#middlewares ??= new Map()).set(id, middleware));
  }

  addRouter(router: Router): void {
    this.#routers.push(router);
  }

  addService(id: string, service: Service): void {
    (this.#services ??= new Map()).set(id, service);
  }

  get defaultRouter(): Router | undefined {
    if (this.#defaultRouter) return this.#defaultRouter;
    const winner = this.#context.older.defaultWinner(this.#ingress);
    this.#defaultUse ??= { observed: winner?.source };
    return winner;
  }

  set defaultRouter(router: Router | undefined) {
    this.#defaultRouter = router;
  }

  // PoolResolver: the Service is read (recorded); the pool is the one the first user built.
  resolve(namespace: string, backend: { readonly name: string; readonly port: PortRef }, protocol: Protocol | 'invalid' | undefined): PoolRef {
    const request = poolRequest(this, namespace, backend, protocol);
    const traffic = request.service && this.#trafficOf(request.service);
    let pool = this.#built.get(request.id);
    if (!pool) {
      const own = { argsKey: requestKey(request), request };
      pool = this.#context.older.poolView(request.id, this.#ingress, own);
      this.#built.set(request.id, pool);
      this.#pools.push({ id: pool.id, ...own, problem: pool.problem, size: pool.service.servers.length });
    }
    return poolRef(pool, traffic);
  }

  /** The Service's traffic annotations; their problems are reported by the oldest Ingress using the Service. */
  #trafficOf(service: ServiceModel): ServiceTraffic {
    const read = this.#context.older.traffic(service);
    const key = joined(service.namespace, '/', service.name);
    if (!this.#serviceUses.has(key)) {
      const older = this.#context.older.serviceUsedBefore(key, this.#ingress);
      this.#serviceUses.set(key, { service: key, older });
      if (!older) this.sink.list.push(...read.diagnostics);
    }
    return read.traffic;
  }
}

/**
 * What a pool's content depends on besides its id: the Service port found
 * (by position), else the port as written, and the protocol.
 */
export function requestKey(request: PoolRequest): string {
  const index = request.port && request.service ? request.service.ports.indexOf(request.port) : -1;
  const written = index < 0 ? `${request.backend.port.number ?? ''}/${request.backend.port.name ?? ''}` : '';
  return joined(index, '|', written, '|', request.protocol ?? '');
}
