/**
 * The picker of a table service, built on first use and kept per isolate,
 * keyed by the service object (one per table version, so a new table starts
 * fresh round-robin state and an old one is garbage-collected with it).
 *
 * A service that can never answer yields an `EdgeError` instead: an empty
 * pool 503 (Traefik's empty backend), all weights 0 500 (oxy's "all servers
 * have 0 weight").
 */
import { MAX_WEIGHTED_DEPTH } from '../../src/table/constants.ts';
import type { Service } from '../../src/table/schema.ts';
import { EdgeError } from '../base/errors.ts';
import { DrrPicker } from './drr.ts';
import { ServersPicker, WeightedPicker, type EndpointPicker } from './picker.ts';

export { ServersPicker, WeightedPicker, type Endpoint, type EndpointPicker, type Observation } from './picker.ts';

/** Per-isolate balancing settings (`DRR_ADJUST_MS`); the first request's settings build the picker. */
export interface PickerOptions {
  readonly drrAdjustMs: number;
}

const DEFAULT_OPTIONS: PickerOptions = { drrAdjustMs: 10_000 };

const pickers = new WeakMap<Service, EndpointPicker | EdgeError>();

/** The picker for `service`; throws the `EdgeError` the service answers with when it has none. */
export function pickerFor(service: Service, services: Readonly<Record<string, Service>>, options: PickerOptions = DEFAULT_OPTIONS): EndpointPicker {
  const picker = resolve(service, services, 0, options);
  if (picker instanceof EdgeError) throw picker;
  return picker;
}

function resolve(service: Service, services: Readonly<Record<string, Service>>, depth: number, options: PickerOptions): EndpointPicker | EdgeError {
  let picker = pickers.get(service);
  if (!picker) {
    picker =
      service.kind === 'servers'
        ? serversPicker(service, options)
        : service.kind === 'status'
          ? new EdgeError(service.status, undefined, { cause: service.reason })
          : weightedPicker(service, services, depth, options);
    pickers.set(service, picker);
  }
  return picker;
}

function serversPicker(service: Extract<Service, { kind: 'servers' }>, options: PickerOptions): EndpointPicker | EdgeError {
  if (service.servers.length === 0) {
    return new EdgeError(503, undefined, { cause: service.unavailable ?? 'no ready endpoints' });
  }
  if (service.servers.every((server) => server.weight === 0)) {
    return new EdgeError(500, undefined, { cause: 'all servers have 0 weight' });
  }
  const endpoints = service.servers.map((server) => ({
    item: { address: server.address, protocol: service.protocol, pod: server.pod, target: service.target },
    weight: server.weight,
  }));
  return service.balancer?.method === 'drr' ? new DrrPicker(endpoints, { adjustMs: options.drrAdjustMs }) : new ServersPicker(endpoints);
}

function weightedPicker(
  service: Extract<Service, { kind: 'weighted' }>,
  services: Readonly<Record<string, Service>>,
  depth: number,
  options: PickerOptions,
): EndpointPicker | EdgeError {
  if (depth >= MAX_WEIGHTED_DEPTH) return new EdgeError(500, undefined, { cause: 'weighted services nested too deep' });
  const members = service.services.map((member) => {
    const target = services[member.service];
    const picker = target ? resolve(target, services, depth + 1, options) : new EdgeError(500, undefined, { cause: `unknown service ${member.service}` });
    return { item: picker, weight: member.weight };
  });
  const usable = members.filter((member): member is { item: EndpointPicker; weight: number } => !(member.item instanceof EdgeError));
  if (usable.some((member) => member.weight > 0)) return new WeightedPicker(usable);
  // Nothing can answer: unavailable when every member is, otherwise a weight problem.
  const allUnavailable = members.every((member) => member.item instanceof EdgeError && member.item.status === 503);
  return allUnavailable
    ? new EdgeError(503, undefined, { cause: 'no member service has ready endpoints' })
    : new EdgeError(500, undefined, { cause: 'no member service with weight > 0 has endpoints' });
}
