// The contract every endpoint picker keeps (CONTRIBUTING.md#interfaces-at-the-seams),
// run against each implementation as the forwarder meets it: the picker
// `pickerFor` builds for a table service. A caller sees picks shared by
// weight, weight 0 never picked, no endpoint a request already tried, 503 for
// a pool without endpoints, 500 when every weight is 0, and sticky sessions
// pinned to the endpoint their cookie names.
import { describe, expect, it } from 'vitest';
import type { Endpoint, EndpointPicker } from '../../../worker/balancer/index.ts';
import { stickySession } from '../../../worker/balancer/sticky.ts';
import { EdgeError } from '../../../worker/base/errors.ts';

/** The address of the endpoint of `weights[index]`. */
export const endpointAddress = (index: number): string => `10.0.${index}.1:80`;

export interface PickerImplementation {
  /**
   * The picker of a table service with one endpoint (`endpointAddress(i)`) per
   * weight; throws the `EdgeError` the service answers with when it has none.
   */
  readonly build: (weights: readonly number[]) => EndpointPicker;
}

const STICKY = { cookie: '_pin', secure: true, httpOnly: true } as const;
const SECRET = 'contract-secret';

/** The status a caller answers with when `build` yields no picker, or 'picker'. */
function outcome(build: () => EndpointPicker): number | 'picker' {
  try {
    build();
    return 'picker';
  } catch (error) {
    if (error instanceof EdgeError) return error.status;
    throw error;
  }
}

function addresses(picker: EndpointPicker, picks: number): string[] {
  return Array.from({ length: picks }, () => picker.pick(new Set())?.address ?? 'none');
}

const count = (list: readonly string[], value: string) => list.filter((item) => item === value).length;

export function endpointPickerContract(name: string, implementation: PickerImplementation): void {
  describe(`endpoint picker contract: ${name}`, () => {
    it('shares picks by weight over whole cycles', () => {
      const picks = addresses(implementation.build([1, 2, 3]), 60);
      expect([0, 1, 2].map((index) => count(picks, endpointAddress(index)))).toEqual([10, 20, 30]);
    });

    it('never picks an endpoint of weight 0, nor offers it to sticky sessions', () => {
      const picker = implementation.build([1, 0, 2]);
      const picks = addresses(picker, 30);
      expect(count(picks, endpointAddress(1))).toBe(0);
      expect(count(picks, endpointAddress(0)) + count(picks, endpointAddress(2))).toBe(30);
      expect(picker.endpoints.map((endpoint) => endpoint.address).sort()).toEqual([endpointAddress(0), endpointAddress(2)]);
    });

    it('offers each endpoint once per request, never one it tried, then nothing', () => {
      const picker = implementation.build([1, 2, 1]);
      const tried = new Set<Endpoint>();
      for (let endpoint = picker.pick(tried); endpoint; endpoint = picker.pick(tried)) {
        expect(tried.has(endpoint)).toBe(false);
        tried.add(endpoint);
      }
      expect([...tried].map((endpoint) => endpoint.address).sort()).toEqual([0, 1, 2].map(endpointAddress));
      expect(picker.pick(tried)).toBeUndefined();
    });

    it('keeps serving the next request after one gave up on every endpoint', () => {
      const picker = implementation.build([1, 1]);
      const tried = new Set<Endpoint>();
      for (let endpoint = picker.pick(tried); endpoint; endpoint = picker.pick(tried)) tried.add(endpoint);
      expect(picker.pick(new Set())?.address).toMatch(/^10\.0\.[01]\.1:80$/);
    });

    it('answers 503 for a pool without endpoints and 500 when every weight is 0', () => {
      expect(outcome(() => implementation.build([]))).toBe(503);
      expect(outcome(() => implementation.build([0, 0]))).toBe(500);
      expect(outcome(() => implementation.build([0, 1]))).toBe('picker');
    });

    it('pins a sticky session to the endpoint its cookie names until that endpoint fails', async () => {
      const picker = implementation.build([1, 1, 1]);
      const first = await stickySession(STICKY, picker, new Headers(), SECRET);
      const chosen = first.pinned(new Set()) ?? picker.pick(new Set());
      expect(chosen).toBeDefined();
      const setCookie = first.finish(new Response('ok'), chosen!).headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^_pin=[\w-]+; Path=\/; Secure; HttpOnly$/);
      const cookie = setCookie.split(';')[0]!;

      for (let request = 0; request < 6; request++) {
        const session = await stickySession(STICKY, picker, new Headers({ cookie }), SECRET);
        const endpoint = session.pinned(new Set()) ?? picker.pick(new Set());
        expect(endpoint?.address).toBe(chosen!.address);
        expect(session.finish(new Response('ok'), endpoint!).headers.get('set-cookie')).toBeNull();
      }

      // The pinned endpoint failed for this request: another one answers and the cookie moves to it.
      const retry = await stickySession(STICKY, picker, new Headers({ cookie }), SECRET);
      const tried = new Set([chosen!]);
      const next = retry.pinned(tried) ?? picker.pick(tried);
      expect(next?.address).not.toBe(chosen!.address);
      expect(retry.finish(new Response('ok'), next!).headers.get('set-cookie')).not.toBe(setCookie);
    });

    it('gives a forged sticky cookie a fresh pick and a new cookie', async () => {
      const picker = implementation.build([1, 1]);
      const session = await stickySession(STICKY, picker, new Headers({ cookie: `_pin=${endpointAddress(0)}` }), SECRET);
      expect(session.pinned(new Set())).toBeUndefined();
      const endpoint = picker.pick(new Set())!;
      expect(session.finish(new Response('ok'), endpoint).headers.get('set-cookie')).toMatch(/^_pin=[\w-]+;/);
    });
  });
}
