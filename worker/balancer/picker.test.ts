import { describe, expect, it } from 'vitest';
import type { Service } from '../../src/table/schema.ts';
import { endpointPickerContract } from '../../test/worker/contracts/endpoint-picker.ts';
import { EdgeError } from '../errors.ts';
import { pickerFor, ServersPicker, WeightedPicker, type Endpoint } from './index.ts';

const endpoint = (address: string): Endpoint => ({ address, protocol: 'http' });
const target = { namespace: 'ns', name: 'svc', port: 80 };
const servers = (...entries: [string, number][]): Service => ({
  kind: 'servers',
  protocol: 'http',
  target,
  servers: entries.map(([address, weight]) => ({ address, weight })),
});

endpointPickerContract('ServersPicker', {
  build: () =>
    new ServersPicker([
      { item: endpoint('10.0.0.1:80'), weight: 1 },
      { item: endpoint('10.0.0.9:80'), weight: 0 },
      { item: endpoint('10.0.0.2:80'), weight: 2 },
    ]),
  light: '10.0.0.1:80',
  heavy: '10.0.0.2:80',
});

endpointPickerContract('WeightedPicker', {
  build: () =>
    new WeightedPicker([
      { item: new ServersPicker([{ item: endpoint('10.0.1.1:80'), weight: 5 }]), weight: 1 },
      { item: new ServersPicker([{ item: endpoint('10.0.2.1:80'), weight: 1 }]), weight: 2 },
      { item: new ServersPicker([{ item: endpoint('10.0.3.1:80'), weight: 1 }]), weight: 0 },
    ]),
  light: '10.0.1.1:80',
  heavy: '10.0.2.1:80',
});

endpointPickerContract('pickerFor a weighted service', {
  build: () =>
    pickerFor(
      { kind: 'weighted', services: [{ service: 'one', weight: 1 }, { service: 'two', weight: 2 }] },
      { one: servers(['10.0.4.1:80', 3]), two: servers(['10.0.5.1:80', 1]) },
    ),
  light: '10.0.4.1:80',
  heavy: '10.0.5.1:80',
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

  it('answers 503 for an empty pool and 500 when every weight is 0', () => {
    expect(statusOf(servers())).toBe(503);
    expect(statusOf(servers(['10.0.0.1:80', 0], ['10.0.0.2:80', 0]))).toBe(500);
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
