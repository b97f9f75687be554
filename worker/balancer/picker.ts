/**
 * Endpoint choice behind one interface. A picker is built once per table
 * service and keeps its round-robin state for the isolate's lifetime.
 */
import type { Service, ServiceTarget } from '../../src/table/schema.ts';
import { SmoothWeightedRoundRobin, type Weighted } from './swrr.ts';

export type EndpointProtocol = Extract<Service, { kind: 'servers' }>['protocol'];

/** One pod (or ExternalName target) a request can be sent to. */
export interface Endpoint {
  /** `ip:port`, `[ipv6]:port` or `name:port`. */
  readonly address: string;
  readonly protocol: EndpointProtocol;
  readonly pod?: string | undefined;
  /** The Service port the endpoint belongs to (the `tunnel-hostnames` transport reaches the Service, not the pod). */
  readonly target?: ServiceTarget | undefined;
}

/** How one request to an endpoint went: its status (or the edge's 502/504) and latency. */
export interface Observation {
  readonly status: number;
  readonly latencyMs: number;
}

export interface EndpointPicker {
  /**
   * The next endpoint to send to, never one of `tried` (the endpoints this
   * request already failed on); undefined when none is left.
   */
  pick(tried: ReadonlySet<Endpoint>): Endpoint | undefined;
  /** Every endpoint `pick` can return (weight > 0): sticky sessions look cookies up among them. */
  readonly endpoints: readonly Endpoint[];
  /** How a request to one of its endpoints went (`drr` adapts its weights to it). */
  observe?(endpoint: Endpoint, observation: Observation): void;
}

/** Smooth weighted round robin over the endpoints of one pool; weight 0 is never picked. */
export class ServersPicker implements EndpointPicker {
  readonly #rotation: SmoothWeightedRoundRobin<Endpoint>;

  constructor(endpoints: readonly Weighted<Endpoint>[]) {
    this.#rotation = new SmoothWeightedRoundRobin(endpoints);
  }

  pick(tried: ReadonlySet<Endpoint>): Endpoint | undefined {
    return this.#rotation.next(tried.size === 0 ? undefined : (endpoint) => !tried.has(endpoint));
  }

  get endpoints(): readonly Endpoint[] {
    return this.#rotation.items;
  }
}

/**
 * A weighted group of services (Traefik `service-weights`): smooth weighted
 * round robin picks a member, the member picks its endpoint. A member with
 * nothing left to offer sits out the rest of this pick.
 */
export class WeightedPicker implements EndpointPicker {
  readonly #rotation: SmoothWeightedRoundRobin<EndpointPicker>;

  constructor(members: readonly Weighted<EndpointPicker>[]) {
    this.#rotation = new SmoothWeightedRoundRobin(members);
  }

  pick(tried: ReadonlySet<Endpoint>): Endpoint | undefined {
    const exhausted = new Set<EndpointPicker>();
    for (;;) {
      const member = this.#rotation.next(exhausted.size === 0 ? undefined : (picker) => !exhausted.has(picker));
      if (!member) return undefined;
      const endpoint = member.pick(tried);
      if (endpoint) return endpoint;
      exhausted.add(member);
    }
  }

  get endpoints(): readonly Endpoint[] {
    return this.#rotation.items.flatMap((member) => member.endpoints);
  }

  observe(endpoint: Endpoint, observation: Observation): void {
    for (const member of this.#rotation.items) member.observe?.(endpoint, observation);
  }
}
