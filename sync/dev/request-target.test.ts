// The Host values `edgress dev`'s front accepts (SECURITY.md, findings and fixes): a host of
// non-empty labels, one trailing dot at most, a port of 0-65535, and the
// same answer as the worker's own check for every value the front accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRoutableHost } from '../../src/match/normalize.ts';
import { isHostValue } from './request-target.ts';

describe('isHostValue', () => {
  it.each(['basic.example.com', 'basic.example.com.', 'basic.example.com:8787', 'basic.example.com:', '[::1]:8787', 'localhost', ''])('%s is a host', (value) => {
    expect(isHostValue(value)).toBe(true);
  });

  it.each(['name:70000', 'a.b:65536', '.example', 'a..example', 'a.b..', '[::1]:70000', 'a b', 'u@a.b', 'a.b/x', 'a.b, c.d', 'a.b:80:80'])('%s is not', (value) => {
    expect(isHostValue(value)).toBe(false);
  });

  it('never accepts what the worker would refuse', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.:[\]_-]{0,24}$/), (value) => {
        if (isHostValue(value)) expect(isRoutableHost(value)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes every port up to 65535 and none above', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (port) => {
        expect(isHostValue(`a.example:${port}`)).toBe(port <= 65535);
      }),
    );
  });
});
