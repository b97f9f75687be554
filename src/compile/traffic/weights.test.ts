import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRejected } from '../../../test/unit/parsed.ts';
import { allocateWeights, formatPercentage, parsePercentage, parseServiceWeights, WHOLE } from './weights.ts';

describe('parsePercentage (Traefik percentage_test.go)', () => {
  it.each([
    ['1%', 1000],
    ['0.5', 500],
    ['99.9%', 99900],
    ['12.5', 12500],
    ['75', 75000],
    ['100%', 100000],
    ['1000%', 1000000],
    ['0.0001%', 0],
    ['12.3456%', 12345],
    ['1e1', 10000],
    ['-10%', -10000],
  ])('%s → %d', (text, value) => {
    expect(parsePercentage(text)).toBe(value);
  });

  it.each(['%', 'foo', '', ' 10%', '10%%', 'NaN', 'Inf', '1,5', '0x10'])('rejects %j', (text) => {
    expect(parsePercentage(text)).toBeUndefined();
  });

  it('prints with three decimals', () => {
    expect(formatPercentage(12345)).toBe('12.345%');
    expect(formatPercentage(150000)).toBe('150.000%');
  });
});

describe('parseServiceWeights', () => {
  it('reads percentages with and without %, numbers included', () => {
    const parsed = parseServiceWeights('a: 10%\nb: 20\nc: 12.5\n');
    expect(parsed).toEqual({ ok: true, weights: new Map([['a', 10000], ['b', 20000], ['c', 12500]]) });
  });

  it('parses lists over 100 % (the sum is checked per path)', () => {
    expect(parseServiceWeights('a: 80%\nb: 80%').ok).toBe(true);
  });

  it('gives no fixed weights for an empty annotation', () => {
    expect(parseServiceWeights('')).toEqual({ ok: true, weights: new Map() });
  });

  it.each([
    ['a:', 'invalid percentage value ""'],
    ['a: [1', 'invalid YAML'],
    ['- a', 'must be a YAML map'],
    ['a: x%', 'invalid percentage value "x%"'],
    ['a: -5', 'negative percentage'],
    ['a: {b: 1}', 'invalid percentage value ""'],
  ])('rejects %j', (text, error) => {
    expectRejected(parseServiceWeights(text), error);
  });
});

describe('allocateWeights (Traefik TestComputeServiceWeights)', () => {
  const weights = (entries: Record<string, number>) => new Map(Object.entries(entries));

  it('splits a listed share over its instances and gives the rest to the omitted service', () => {
    expect(allocateWeights([{ service: 'a', instances: 2 }, { service: 'b', instances: 1 }], weights({ a: 10000 }))).toEqual({
      ok: true,
      members: [{ service: 'a', perInstance: 5000 }, { service: 'b', perInstance: 90000 }],
    });
  });

  it('gives an omitted fourth service the 0 % left', () => {
    const members = [{ service: 'a', instances: 2 }, { service: 'b', instances: 1 }, { service: 'c', instances: 4 }, { service: 'd', instances: 1 }];
    const allocation = allocateWeights(members, weights({ a: 20000, b: 40000, c: 40000 }));
    expect(allocation.ok && allocation.members.map((m) => m.perInstance)).toEqual([10000, 40000, 10000, 0]);
  });

  it('splits the remainder over all omitted services by instance count', () => {
    const allocation = allocateWeights([{ service: 'a', instances: 1 }, { service: 'b', instances: 2 }, { service: 'c', instances: 1 }], weights({ a: 40000 }));
    expect(allocation.ok && allocation.members.map((m) => m.perInstance)).toEqual([40000, 20000, 20000]);
  });

  it('shares 100 % by instance without listed services', () => {
    const allocation = allocateWeights([{ service: 'a', instances: 2 }, { service: 'b', instances: 1 }], weights({}));
    expect(allocation.ok && allocation.members.map((m) => m.perInstance)).toEqual([33333, 33333]);
  });

  it('refuses sums over 100 % and sums under 100 % with nothing omitted', () => {
    expect(allocateWeights([{ service: 'a', instances: 1 }, { service: 'b', instances: 1 }], weights({ a: 70000, b: 80000 }))).toEqual({
      ok: false,
      error: 'percentage value 150.000% must not exceed 100%',
    });
    const under = allocateWeights([{ service: 'a', instances: 1 }], weights({ a: 50000 }));
    expect(under.ok).toBe(false);
  });

  it('gives services without instances weight 0', () => {
    const allocation = allocateWeights([{ service: 'a', instances: 0 }, { service: 'b', instances: 1 }], weights({ a: 30000 }));
    expect(allocation.ok && allocation.members.map((m) => m.perInstance)).toEqual([0, 70000]);
  });

  it('property: valid shares always sum to the whole, less at most one unit per instance', () => {
    const group = fc.array(fc.record({ instances: fc.integer({ min: 1, max: 20 }), share: fc.option(fc.integer({ min: 0, max: WHOLE }), { nil: undefined }) }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(group, (entries) => {
        const members = entries.map((entry, index) => ({ service: `s${index}`, instances: entry.instances }));
        const listed = new Map(entries.flatMap((entry, index) => (entry.share === undefined ? [] : [[`s${index}`, entry.share] as [string, number]])));
        const allocation = allocateWeights(members, listed);
        const sum = [...listed.values()].reduce((a, b) => a + b, 0);
        const omitted = entries.some((entry) => entry.share === undefined);
        if (sum > WHOLE || (!omitted && sum < WHOLE)) return !allocation.ok;
        if (!allocation.ok) return false;
        const total = allocation.members.reduce((acc, member, index) => acc + member.perInstance * (entries[index]?.instances ?? 0), 0);
        const instances = entries.reduce((acc, entry) => acc + entry.instances, 0);
        return total <= WHOLE && total > WHOLE - instances && allocation.members.every((member) => member.perInstance >= 0);
      }),
    );
  });

  it('property: a percentage keeps its first three decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (thousandths) => {
        const text = `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`;
        const parsed = parsePercentage(`${text}%`) ?? -1;
        // Go's float truncation may lose the last unit, never more.
        return parsed === thousandths || parsed === thousandths - 1;
      }),
    );
  });
});
