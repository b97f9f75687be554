// The contract every EndpointPicker keeps, run against each implementation
// (CONTRIBUTING.md#interfaces-at-the-seams): `pick` never returns an endpoint of `tried`, offers every
// endpoint with weight > 0 before it gives up, then answers undefined, and
// shares picks by weight.
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointPicker } from '../../../worker/balancer/index.ts';

export interface PickerCase {
  /** A picker over endpoints of weights 1 and 2 (and any with weight 0). */
  readonly build: () => EndpointPicker;
  /** The addresses of the weight-1 and weight-2 endpoints. */
  readonly light: string;
  readonly heavy: string;
}

export function endpointPickerContract(name: string, setup: PickerCase): void {
  describe(`EndpointPicker contract: ${name}`, () => {
    it('shares picks 1:2 by weight', () => {
      const picker = setup.build();
      const picks = Array.from({ length: 30 }, () => picker.pick(new Set())?.address);
      expect(picks.filter((address) => address === setup.light)).toHaveLength(10);
      expect(picks.filter((address) => address === setup.heavy)).toHaveLength(20);
    });

    it('never repeats a tried endpoint and offers each positive-weight endpoint once', () => {
      const picker = setup.build();
      const tried = new Set<Endpoint>();
      for (let endpoint = picker.pick(tried); endpoint; endpoint = picker.pick(tried)) {
        expect(tried.has(endpoint)).toBe(false);
        tried.add(endpoint);
      }
      expect([...tried].map((endpoint) => endpoint.address).sort()).toEqual([setup.light, setup.heavy].sort());
    });

    it('keeps serving after a request gave up on every endpoint', () => {
      const picker = setup.build();
      const tried = new Set<Endpoint>();
      for (let endpoint = picker.pick(tried); endpoint; endpoint = picker.pick(tried)) tried.add(endpoint);
      expect(picker.pick(new Set())).toBeDefined();
    });
  });
}
