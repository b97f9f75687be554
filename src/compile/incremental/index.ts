/**
 * The incremental compiler: holds the objects and each Ingress's compiled
 * result, and on a change recompiles only the Ingresses it affects. The
 * result is always the one `compile(objects())` gives, diagnostics and their
 * order included (property-tested in `./incremental.test.ts`).
 *
 * An Ingress is recompiled when its object changes, when an object it read
 * changes (Service, endpoints, Secret; an IngressClass change re-decides
 * ownership of all), or when what older Ingresses decided for it changed:
 * the owner of a claim, the default backend's winner, who first used a
 * Service or pool (see `./registries.ts`). Ingresses are visited oldest
 * first, as `compile()` visits them, so one pass settles every decision.
 * A pool whose endpoints changed is rebuilt; its users recompile only when
 * the problem or size they were given changed.
 *
 * Gateway API objects (and Namespaces) are held beside the store; while any
 * is held, a change to one of them, a Service, endpoints or a Secret
 * recompiles the whole Gateway API part, which is then merged as `compile()`
 * merges it (correct first: HTTPRoutes are not yet compiled one by one).
 *
 * @example
 * ```ts
 * const compiler = createIncrementalCompiler({ ingressClass: '' });
 * compiler.update(objects.map((object) => ({ type: 'upsert', object })));
 * const { table } = compiler.update([{ type: 'upsert', object: changedSlice }]);
 * compiler.sync(informerObjects); // diffs by identity (and resourceVersion), then updates
 * ```
 */
import type { CompileResult, KubeObject, ProviderOptions } from '../api.ts';
import { TABLE_SCHEMA_VERSION } from '../../table/schema.ts';
import { quote } from '../diagnostics.ts';
import { watchedNamespaces } from '../cluster.ts';
import { CompiledIngresses } from './compiled.ts';
import type { IngressSelection } from '../selection.ts';
import { ObjectStore, emptyTouched, type Touched } from './store.ts';
import { compileGatewayApi, type GatewayPart } from '../gateway/index.ts';
import { withGatewayApi } from '../gateway/merge.ts';
import { gatewayInputKey, isGatewayInput } from '../gateway/objects.ts';

/**
 * An object added or changed (`upsert`), or removed (`delete`: kind and
 * metadata suffice; the object last held). The agent's informers report
 * their changes in this shape, so they go to {@link IncrementalCompiler.update}
 * as they are.
 */
export interface ObjectChange<T extends KubeObject = KubeObject> {
  readonly type: 'upsert' | 'delete';
  readonly object: T;
}

export interface IncrementalCompiler {
  /** Applies the changes in order; objects are matched by kind, namespace and name. */
  update(changes: readonly ObjectChange[]): CompileResult;
  /**
   * Makes the held objects exactly `objects`: an object is unchanged when it
   * is the one held (or has the same `metadata.resourceVersion`), so an
   * informer cache can be handed over whole on every pass.
   */
  sync(objects: readonly KubeObject[]): CompileResult;
  /** The objects held, in the order first seen: `compile(objects())` equals the last result. */
  objects(): KubeObject[];
  /** Every Ingress held and whether it is served (`selectIngresses(objects())` within the watched namespaces), at no parsing cost. */
  selection(): IngressSelection[];
}

export function createIncrementalCompiler(options: ProviderOptions): IncrementalCompiler {
  return new Compiler(options);
}

const OPTIONS = { kind: 'ProviderOptions', name: 'provider' } as const;

class Compiler implements IncrementalCompiler {
  readonly #options: ProviderOptions;
  readonly #store: ObjectStore;
  #compiled: CompiledIngresses;
  #last: CompileResult | undefined;
  /** The Ingress part of the last result (what `#compiled` gave). */
  #ingress: CompileResult | undefined;
  /** Gateway API objects and Namespaces, by key, in the order first seen. */
  readonly #gateway = new Map<string, KubeObject>();
  /** The Gateway API part compiled last, and whether a change it reads (Gateway API objects, Services, endpoints, Secrets) came since. */
  #gatewayPart: GatewayPart | undefined;
  #gatewayDirty = true;
  /** The Ingress result `#last` was merged from. */
  #mergedFrom: CompileResult | undefined;
  /** Held objects by identity, and the pass that last saw them (`sync`). */
  readonly #held = new Map<KubeObject, { key: string; seen: number }>();
  #pass = 0;

  constructor(options: ProviderOptions) {
    this.#options = options;
    this.#store = new ObjectStore(watchedNamespaces(options));
    this.#compiled = new CompiledIngresses(this.#store, options);
  }

  objects(): KubeObject[] {
    return [...this.#store.objects(), ...this.#gateway.values()];
  }

  #keyOf(object: KubeObject): string | undefined {
    return isGatewayInput(object) ? `G:${gatewayInputKey(object)}` : this.#store.keyOf(object);
  }

  #get(key: string): KubeObject | undefined {
    return key.startsWith('G:') ? this.#gateway.get(key) : this.#store.get(key);
  }

  selection(): IngressSelection[] {
    return this.#compiled.selection();
  }

  update(changes: readonly ObjectChange[]): CompileResult {
    const touched = emptyTouched();
    for (const { type, object } of changes) {
      const key = this.#keyOf(object);
      if (key === undefined) continue;
      const held = this.#get(key);
      if (held) this.#held.delete(held);
      if (key.startsWith('G:')) {
        this.#gatewayDirty = true;
        if (type === 'delete') this.#gateway.delete(key);
        else {
          this.#gateway.set(key, object);
          this.#held.set(object, { key, seen: this.#pass });
        }
      } else if (type === 'delete') this.#store.delete(key, touched);
      else {
        this.#store.upsert(object, touched);
        this.#held.set(object, { key, seen: this.#pass });
      }
    }
    return this.#settle(touched);
  }

  sync(objects: readonly KubeObject[]): CompileResult {
    const pass = ++this.#pass;
    const changes: ObjectChange[] = [];
    for (const object of objects) {
      const held = this.#held.get(object);
      if (held) {
        held.seen = pass;
        continue;
      }
      const key = this.#keyOf(object);
      const previous = key === undefined ? undefined : this.#get(key);
      // The object it replaces is not a deletion.
      const replaced = previous && this.#held.get(previous);
      if (replaced) replaced.seen = pass;
      if (previous && sameVersion(previous, object)) {
        this.#held.delete(previous);
        this.#held.set(object, { key: key!, seen: pass });
        if (key!.startsWith('G:')) this.#gateway.set(key!, object);
        else this.#store.replaceObject(key!, object);
      } else if (key !== undefined) changes.push({ type: 'upsert', object });
    }
    for (const [object, held] of this.#held) if (held.seen !== pass) changes.push({ type: 'delete', object });
    return this.update(changes);
  }

  #settle(touched: Touched): CompileResult {
    try {
      this.#ingress = this.#compiled.apply(touched) ?? this.#ingress;
      for (const dep of touched.deps) if (!dep.startsWith('M:')) this.#gatewayDirty = true;
      this.#last = this.#gateway.size === 0 ? this.#ingress : this.#withGateway(this.#ingress!);
    } catch (error) {
      this.#last = this.#recover(error);
    }
    return this.#last!;
  }

  /** A defect in the bookkeeping: start again from the objects held; if that fails too, what `compile()` answers. */
  #recover(error: unknown): CompileResult {
    try {
      this.#compiled = new CompiledIngresses(this.#store, this.#options);
      this.#ingress = this.#compiled.apply(this.#store.everything())!;
      this.#gatewayDirty = true;
      return this.#gateway.size === 0 ? this.#ingress : this.#withGateway(this.#ingress);
    } catch {
      const message = `compile failed: ${quote(error instanceof Error ? error.message : String(error))}`;
      return {
        table: { schema: TABLE_SCHEMA_VERSION, routers: [], middlewares: {}, services: {} },
        diagnostics: [{ severity: 'error', code: 'InternalError', object: OPTIONS, message }],
        served: [],
      };
    }
  }

  /** The Gateway API part compiled from the objects held, merged as `compile()` merges it. */
  #withGateway(ingress: CompileResult): CompileResult {
    if (!this.#gatewayDirty && ingress === this.#mergedFrom && this.#last) return this.#last;
    try {
      if (this.#gatewayDirty || !this.#gatewayPart) this.#gatewayPart = compileGatewayApi([...this.#gateway.values()], this.#store, this.#options);
      this.#gatewayDirty = false;
      this.#mergedFrom = ingress;
      return withGatewayApi(ingress, this.#gatewayPart);
    } catch (error) {
      this.#gatewayDirty = true;
      this.#gatewayPart = undefined;
      this.#mergedFrom = undefined;
      const message = `compiling Gateway API objects failed: ${quote(error instanceof Error ? error.message : String(error))}`;
      return { ...ingress, diagnostics: [...ingress.diagnostics, { severity: 'error', code: 'InternalError', object: OPTIONS, message }] };
    }
  }
}

function sameVersion(a: KubeObject, b: KubeObject): boolean {
  const version = (object: KubeObject) => (object.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
  const held = version(a);
  return typeof held === 'string' && held !== '' && held === version(b);
}
