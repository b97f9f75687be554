import { describe, expect, it } from 'vitest';
import { changedSpan } from './changed-span.ts';

const [a, b, c, d, x, y] = ['a', 'b', 'c', 'd', 'x', 'y'].map((name) => ({ name }));

describe('changedSpan', () => {
  it('narrows to the middle that is not the same objects', () => {
    expect(changedSpan([a, b, c, d], [a, x, y, c, d])).toEqual({ start: 1, endBefore: 2, endAfter: 3 });
  });

  it('compares by identity, not by value', () => {
    expect(changedSpan([a, b], [{ name: 'a' }, b])).toEqual({ start: 0, endBefore: 1, endAfter: 1 });
  });

  it('is empty for the same list and whole for lists with nothing shared', () => {
    expect(changedSpan([a, b], [a, b])).toEqual({ start: 2, endBefore: 2, endAfter: 2 });
    expect(changedSpan([a, b], [x])).toEqual({ start: 0, endBefore: 2, endAfter: 1 });
  });

  it('never lets the two ends overlap when one list repeats the other', () => {
    expect(changedSpan([a], [a, a])).toEqual({ start: 1, endBefore: 1, endAfter: 2 });
  });
});
