/**
 * Everything the agent writes to the API server, through client-node's typed
 * API clients: Ingress status and the Gateway API's status (merge patches
 * of the status subresource),
 * Events (create; count updates by merge patch) and the leader Lease
 * (read, create, replace with resourceVersion so that races answer 409).
 * Behind interfaces, so the status, event and leader logic can be tested on
 * its own.
 *
 * @example
 * ```ts
 * const writers = kubeWriters(kubeConfig);
 * await writers.status.writeIngressStatus('shop', 'web', [{ hostname: 'edge.example.com' }]);
 * ```
 */
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';

export interface LoadBalancerIngress {
  readonly ip?: string;
  readonly hostname?: string;
}

export interface IngressStatusWriter {
  writeIngressStatus(namespace: string, name: string, ingress: readonly LoadBalancerIngress[]): Promise<void>;
}

/** A Gateway API object whose status is written, at the version it was read. */
export interface GatewayStatusTarget {
  readonly kind: 'GatewayClass' | 'Gateway' | 'HTTPRoute';
  /** `gateway.networking.k8s.io/v1` or `/v1beta1`, as watched. */
  readonly apiVersion: string;
  readonly namespace?: string;
  readonly name: string;
  /** The version the new status was computed from: a change since answers 409 instead of overwriting it. */
  readonly resourceVersion?: string;
}

export interface GatewayStatusWriter {
  /** Merge-patches `status` (the subresource); rejects with code 409 when the object changed since `resourceVersion`. */
  writeGatewayStatus(target: GatewayStatusTarget, status: Readonly<Record<string, unknown>>): Promise<void>;
}

export interface EventRecord {
  readonly name: string;
  readonly namespace: string;
  readonly involvedObject: { readonly kind: string; readonly namespace?: string; readonly name: string; readonly uid?: string; readonly apiVersion?: string };
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  readonly time: Date;
}

export interface EventWriter {
  /** Creates the Event; rejects with code 409 when one of that name exists. */
  createEvent(event: EventRecord): Promise<void>;
  /** The count of an existing Event, for updating it after a restart. */
  readEventCount(namespace: string, name: string): Promise<number>;
  updateEventCount(namespace: string, name: string, count: number, time: Date): Promise<void>;
}

/** A Lease as leader election sees it; `resourceVersion` makes replacing it conditional. */
export interface LeaseRecord {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: Date;
  readonly renewTime?: Date;
  readonly leaseTransitions?: number;
  readonly resourceVersion?: string;
}

export interface LeaseStore {
  /** Undefined when there is no such Lease (404). */
  read(namespace: string, name: string): Promise<LeaseRecord | undefined>;
  create(namespace: string, name: string, lease: LeaseRecord): Promise<LeaseRecord>;
  /** Rejects with code 409 when the Lease changed since `lease.resourceVersion`. */
  replace(namespace: string, name: string, lease: LeaseRecord): Promise<LeaseRecord>;
}

export interface KubeWriters {
  readonly status: IngressStatusWriter;
  readonly events: EventWriter;
  readonly leases: LeaseStore;
  /** Undefined: Gateway API status is not written. */
  readonly gateway?: GatewayStatusWriter;
}

const MERGE_PATCH = () => setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Shows up as the Events' source and in `kubectl describe`. */
export const EVENT_COMPONENT = 'edgress-sync';

export function kubeWriters(config: KubeConfig): KubeWriters {
  const networking = config.makeApiClient(NetworkingV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const coordination = config.makeApiClient(CoordinationV1Api);
  const custom = config.makeApiClient(CustomObjectsApi);
  return {
    status: {
      async writeIngressStatus(namespace, name, ingress) {
        const body = { status: { loadBalancer: { ingress: ingress.map((entry) => ({ ...entry })) } } };
        await networking.patchNamespacedIngressStatus({ name, namespace, body }, MERGE_PATCH());
      },
    },
    events: {
      async createEvent(event) {
        await core.createNamespacedEvent({ namespace: event.namespace, body: toCoreEvent(event) });
      },
      async readEventCount(namespace, name) {
        return (await core.readNamespacedEvent({ namespace, name })).count ?? 1;
      },
      async updateEventCount(namespace, name, count, time) {
        await core.patchNamespacedEvent({ namespace, name, body: { count, lastTimestamp: time.toISOString() } }, MERGE_PATCH());
      },
    },
    leases: leaseStore(coordination),
    gateway: {
      async writeGatewayStatus(target, status) {
        const [group = '', version = ''] = target.apiVersion.split('/');
        const body = { ...(target.resourceVersion ? { metadata: { resourceVersion: target.resourceVersion } } : {}), status };
        const request = { group, version, plural: GATEWAY_PLURALS[target.kind], name: target.name, body };
        if (target.namespace === undefined) await custom.patchClusterCustomObjectStatus(request, MERGE_PATCH());
        else await custom.patchNamespacedCustomObjectStatus({ ...request, namespace: target.namespace }, MERGE_PATCH());
      },
    },
  };
}

const GATEWAY_PLURALS: Record<GatewayStatusTarget['kind'], string> = { GatewayClass: 'gatewayclasses', Gateway: 'gateways', HTTPRoute: 'httproutes' };

function toCoreEvent(event: EventRecord): CoreV1Event {
  return {
    metadata: { name: event.name, namespace: event.namespace },
    involvedObject: { ...event.involvedObject },
    reason: event.reason,
    message: event.message,
    type: 'Warning',
    count: event.count,
    firstTimestamp: event.time,
    lastTimestamp: event.time,
    source: { component: EVENT_COMPONENT },
    reportingComponent: EVENT_COMPONENT,
  };
}

function leaseStore(api: CoordinationV1Api): LeaseStore {
  const toRecord = (lease: V1Lease): LeaseRecord => ({ ...lease.spec, resourceVersion: lease.metadata?.resourceVersion });
  const toLease = (namespace: string, name: string, record: LeaseRecord): V1Lease => {
    const { resourceVersion, ...spec } = record;
    return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) }, spec };
  };
  return {
    async read(namespace, name) {
      try {
        return toRecord(await api.readNamespacedLease({ namespace, name }));
      } catch (error) {
        if ((error as { code?: unknown }).code === 404) return undefined;
        throw error;
      }
    },
    async create(namespace, name, record) {
      return toRecord(await api.createNamespacedLease({ namespace, body: toLease(namespace, name, record) }));
    },
    async replace(namespace, name, record) {
      return toRecord(await api.replaceNamespacedLease({ namespace, name, body: toLease(namespace, name, record) }));
    },
  };
}
