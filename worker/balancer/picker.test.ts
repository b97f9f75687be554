import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/table/schema.ts';
import { endpointAddress, endpointPickerContract } from '../../test/worker/contracts/endpoint-picker.ts';
import { EdgeError } from '../base/errors.ts';
import { DrrPicker } from './drr.ts';
import { pickerFor, ServersPicker, WeightedPicker, type EndpointPicker } from './index.ts';

const target = { namespace: 'ns', name: 'svc', port: 80 };
const servers = (...entries: [string, number][]): Service => ({
  kind: 'servers',
  protocol: 'http',
  target,
  servers: entries.map(([address, weight]) => ({ address, weight })),
});

const pool = (weights: readonly number[], balancer?: { method: 'wrr' | 'drr' }): Service => ({
  ...servers(...weights.map((weight, index): [string, number] => [endpointAddress(index), weight])),
  ...(balancer ? { balancer } : {}),
});

/** The picker `pickerFor` builds for `service`, after checking it is of the class under test. */
function built(service: Service, services: Record<string, Service>, kind: abstract new (...args: never[]) => EndpointPicker): EndpointPicker {
  const picker = pickerFor(service, services);
  expect(picker).toBeInstanceOf(kind);
  return picker;
}

endpointPickerContract('a pool (ServersPicker, smooth weighted round robin)', {
  build: (weights) => built(pool(weights), {}, ServersPicker),
});

endpointPickerContract('a drr pool (DrrPicker)', {
  build: (weights) => built(pool(weights, { method: 'drr' }), {}, DrrPicker),
});

endpointPickerContract('a weighted group of one-endpoint pools (WeightedPicker)', {
  build: (weights) => {
    const members = Object.fromEntries(weights.map((_, index) => [`m${index}`, servers([endpointAddress(index), 1])]));
    const group: Service = { kind: 'weighted', services: weights.map((weight, index) => ({ service: `m${index}`, weight })) };
    return built(group, members, WeightedPicker);
  },
});

describe('pickerFor', () => {
  const statusOf = (service: Service, services: Record<string, Service> = {}) => {
    try {
      pickerFor(service, services);
      return 'picker';
    } catch (error) {
      return error instanceof EdgeError ? error.status : error;
    }
  };

  it('keeps one picker, and its rotation, per service object', () => {
    const service = servers(['10.0.0.1:80', 1], ['10.0.0.2:80', 1]);
    const first = pickerFor(service, {}).pick(new Set());
    const second = pickerFor(service, {}).pick(new Set());
    expect([first?.address, second?.address]).toEqual(['10.0.0.1:80', '10.0.0.2:80']);
  });

  it('answers 503 for a group whose members are all empty, 500 for zero weights or a cycle', () => {
    const group = (a: number, b: number): Service => ({
      kind: 'weighted',
      services: [{ service: 'a', weight: a }, { service: 'b', weight: b }],
    });
    expect(statusOf(group(1, 1), { a: servers(), b: servers() })).toBe(503);
    expect(statusOf(group(0, 0), { a: servers(['10.0.0.1:80', 1]), b: servers() })).toBe(500);
    expect(statusOf(group(1, 1), { a: servers(), b: servers(['10.0.0.1:80', 1]) })).toBe('picker');
    const loop: Service = { kind: 'weighted', services: [{ service: 'loop', weight: 1 }] };
    expect(statusOf(loop, { loop })).toBe(500);
  });
});
