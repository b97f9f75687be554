/**
 * The incremental compiler's inputs: every object by `Kind/namespace/name`,
 * in the order first seen (the order a full compile of `objects()` reads
 * them), each read once into its model with the problems found reading it,
 * and the cluster view compiled Ingresses read (Services, endpoints by
 * Service, Secrets, IngressClasses). Applying a change says what it touched:
 * Ingress keys, and `S:`/`E:`/`X:` keys of Services, endpoints (by Service)
 * and Secrets.
 *
 * @example
 * ```ts
 * const store = new ObjectStore(watchedNamespaces(options));
 * const touched = emptyTouched();
 * store.upsert(serviceObject, touched); // touched.deps has 'S:shop/web'
 * store.service('shop', 'web')?.ports;
 * ```
 */
import type { Diagnostic, KubeObject } from '../api.ts';
import type { ClusterObjects, EndpointSource } from '../cluster.ts';
import { DiagnosticSink, quote } from '../diagnostics.ts';
import type { Complain } from '../read/fields.ts';
import type { IngressModel } from '../read/ingress.ts';
import { readMeta } from '../read/meta.ts';
import { objectHead, readModel, type ObjectModel } from '../read/model.ts';
import type { ConfigMapModel, EndpointGroup, IngressClassModel, SecretModel, ServiceModel } from '../read/objects.ts';
import { joined } from '../text.ts';

/** What applying changes touched. */
export interface Touched {
  /** `namespace/name` of Ingresses whose model appeared, changed or went. */
  readonly ingresses: Set<string>;
  /** `S:` Service, `E:` endpoints of a Service, `X:` Secret, `M:` ConfigMap, each `namespace/name`. */
  readonly deps: Set<string>;
  classes: boolean;
  /** Problems found reading objects changed. */
  diagnostics: boolean;
}

export function emptyTouched(): Touched {
  return { ingresses: new Set(), deps: new Set(), classes: false, diagnostics: false };
}

interface Stored {
  readonly seq: number;
  object: KubeObject;
  model: ObjectModel | undefined;
  diagnostics: readonly Diagnostic[];
}

/** A slice of a Service, with the position its object holds in the input. */
interface SliceEntry {
  readonly seq: number;
  readonly group: EndpointGroup;
}

export class ObjectStore implements ClusterObjects {
  ingressModels(): Iterable<IngressModel> {
    return this.ingresses.values();
  }

  readonly #watched: ReadonlySet<string> | undefined;
  readonly #objects = new Map<string, Stored>();
  #seq = 0;
  readonly #diagnosed = new Set<Stored>();
  readonly ingresses = new Map<string, IngressModel>();
  readonly classes = new Map<string, IngressClassModel>();
  readonly #services = new Map<string, ServiceModel>();
  readonly #endpoints = new Map<string, EndpointGroup[]>();
  readonly #slices = new Map<string, Map<string, SliceEntry>>();
  readonly #secrets = new Map<string, SecretModel>();
  readonly #configMaps = new Map<string, ConfigMapModel>();
  /** Endpoint views handed out, by Service; dropped when its endpoints change (null: none). */
  readonly #views = new Map<string, EndpointSource | null>();

  constructor(watched: ReadonlySet<string> | undefined) {
    this.#watched = watched;
  }

  /** The key changes are matched by; undefined for objects the compiler ignores. */
  keyOf(object: KubeObject): string | undefined {
    const head = objectHead(object, this.#watched);
    return head && joined(head.kind, '/', head.ref.namespace ?? '', '/', head.ref.name);
  }

  /** The object stored under `key`. */
  get(key: string): KubeObject | undefined {
    return this.#objects.get(key)?.object;
  }

  /** Every object, in the order first seen. */
  objects(): KubeObject[] {
    return [...this.#objects.values()].map((stored) => stored.object);
  }

  /** Holds `object` for `key` without reading it: the caller knows it is the same version. */
  replaceObject(key: string, object: KubeObject): void {
    const stored = this.#objects.get(key);
    if (stored) stored.object = object;
  }

  /** Everything, as touched: what a compile from nothing starts with. */
  everything(): Touched {
    return { ingresses: new Set(this.ingresses.keys()), deps: new Set(), classes: true, diagnostics: true };
  }

  upsert(object: KubeObject, touched: Touched): void {
    const head = objectHead(object, this.#watched);
    if (!head) return;
    const key = joined(head.kind, '/', head.ref.namespace ?? '', '/', head.ref.name);
    const sink = new DiagnosticSink();
    const reporter = sink.about(head.ref);
    const complain: Complain = (field, message) => reporter.error('InvalidObject', field, message);
    const meta = readMeta(object, head.namespaced, complain);
    let model: ObjectModel | undefined;
    try {
      model = meta && readModel(head.kind, object, meta, complain);
    } catch (error) {
      reporter.error('InternalError', undefined, `reading this object failed: ${quote(error instanceof Error ? error.message : String(error))}`);
    }
    let stored = this.#objects.get(key);
    if (stored) {
      this.#unindex(stored, touched);
      Object.assign(stored, { object, model, diagnostics: sink.list });
    } else {
      stored = { seq: this.#seq++, object, model, diagnostics: sink.list };
      this.#objects.set(key, stored);
    }
    this.#index(stored, touched);
  }

  delete(key: string, touched: Touched): void {
    const stored = this.#objects.get(key);
    if (!stored) return;
    this.#unindex(stored, touched);
    this.#objects.delete(key);
  }

  /** Problems found reading the objects, in input order. */
  diagnostics(): Diagnostic[] {
    return [...this.#diagnosed].sort((a, b) => a.seq - b.seq).flatMap((stored) => stored.diagnostics);
  }

  service(namespace: string, name: string): ServiceModel | undefined {
    return this.#services.get(`${namespace}/${name}`);
  }

  secret(namespace: string, name: string): SecretModel | undefined {
    return this.#secrets.get(`${namespace}/${name}`);
  }

  configMap(namespace: string, name: string): ConfigMapModel | undefined {
    return this.#configMaps.get(`${namespace}/${name}`);
  }

  endpoints(namespace: string, name: string): EndpointSource | undefined {
    const key = `${namespace}/${name}`;
    let view = this.#views.get(key);
    if (view === undefined) {
      view = this.#endpointView(key);
      this.#views.set(key, view);
    }
    return view ?? undefined;
  }

  #endpointView(key: string): EndpointSource | null {
    const slices = this.#slices.get(key);
    if (slices && slices.size > 0) {
      const groups = [...slices.values()].sort((a, b) => a.seq - b.seq).map((slice) => slice.group);
      return { source: 'EndpointSlice', groups };
    }
    const subsets = this.#endpoints.get(key);
    return subsets ? { source: 'Endpoints', groups: subsets } : null;
  }

  #index(stored: Stored, touched: Touched): void {
    if (stored.diagnostics.length > 0) {
      this.#diagnosed.add(stored);
      touched.diagnostics = true;
    }
    const model = stored.model;
    if (!model) return;
    switch (model.kind) {
      case 'Ingress':
        this.ingresses.set(model.key, model.ingress);
        return void touched.ingresses.add(model.key);
      case 'Service':
        this.#services.set(model.key, model.service);
        return void touched.deps.add(`S:${model.key}`);
      case 'Endpoints':
        this.#endpoints.set(model.key, model.groups);
        return this.#endpointsChanged(model.key, touched);
      case 'EndpointSlice': {
        let slices = this.#slices.get(model.service);
        if (!slices) this.#slices.set(model.service, (slices = new Map()));
        slices.set(model.key, { seq: stored.seq, group: model.group });
        return this.#endpointsChanged(model.service, touched);
      }
      case 'Secret':
        this.#secrets.set(model.key, model.secret);
        return void touched.deps.add(`X:${model.key}`);
      case 'ConfigMap':
        this.#configMaps.set(model.key, model.configMap);
        return void touched.deps.add(`M:${model.key}`);
      case 'IngressClass':
        this.classes.set(model.key, model.ingressClass);
        touched.classes = true;
    }
  }

  #unindex(stored: Stored, touched: Touched): void {
    if (this.#diagnosed.delete(stored)) touched.diagnostics = true;
    const model = stored.model;
    if (!model) return;
    switch (model.kind) {
      case 'Ingress':
        this.ingresses.delete(model.key);
        return void touched.ingresses.add(model.key);
      case 'Service':
        this.#services.delete(model.key);
        return void touched.deps.add(`S:${model.key}`);
      case 'Endpoints':
        this.#endpoints.delete(model.key);
        return this.#endpointsChanged(model.key, touched);
      case 'EndpointSlice': {
        const slices = this.#slices.get(model.service);
        slices?.delete(model.key);
        if (slices?.size === 0) this.#slices.delete(model.service);
        return this.#endpointsChanged(model.service, touched);
      }
      case 'Secret':
        this.#secrets.delete(model.key);
        return void touched.deps.add(`X:${model.key}`);
      case 'ConfigMap':
        this.#configMaps.delete(model.key);
        return void touched.deps.add(`M:${model.key}`);
      case 'IngressClass':
        this.classes.delete(model.key);
        touched.classes = true;
    }
  }

  #endpointsChanged(service: string, touched: Touched): void {
    this.#views.delete(service);
    touched.deps.add(`E:${service}`);
  }
}
