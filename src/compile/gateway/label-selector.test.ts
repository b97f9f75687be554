import { describe, expect, it } from 'vitest';
import { readLabelSelector } from './label-selector.ts';

const select = (selector: unknown, labels: Record<string, string>): boolean | string => {
  const read = readLabelSelector(selector);
  return read.ok ? read.selector(labels) : read.error;
};

describe('readLabelSelector (metav1.LabelSelector)', () => {
  it('selects everything when empty, as Kubernetes does', () => {
    expect(select({}, {})).toBe(true);
  });

  it('ANDs matchLabels and every expression operator', () => {
    const selector = {
      matchLabels: { team: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'NotIn', values: ['prod'] },
        { key: 'owner', operator: 'Exists' },
        { key: 'frozen', operator: 'DoesNotExist' },
      ],
    };
    expect(select(selector, { team: 'web', tier: 'a', owner: 'x' })).toBe(true);
    expect(select(selector, { team: 'web', tier: 'a', owner: 'x', env: 'prod' })).toBe(false);
    expect(select(selector, { team: 'web', tier: 'c', owner: 'x' })).toBe(false);
    expect(select(selector, { team: 'web', tier: 'a' })).toBe(false);
    expect(select(selector, { team: 'web', tier: 'a', owner: 'x', frozen: '' })).toBe(false);
    expect(select(selector, { team: 'api', tier: 'a', owner: 'x' })).toBe(false);
  });

  it('says what is wrong with a malformed selector', () => {
    expect(select('team=web', {})).toMatch(/must be a label selector/);
    expect(select({ matchLabels: { a: 1 } }, {})).toMatch(/matchLabels\["a"\] must be a string/);
    expect(select({ matchExpressions: [{ key: 'a', operator: 'In' }] }, {})).toMatch(/In needs values/);
    expect(select({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, {})).toMatch(/takes no values/);
    expect(select({ matchExpressions: [{ operator: 'Exists' }] }, {})).toMatch(/needs a key/);
  });
});
