import { describe, expect, it } from 'vitest';
import { EMPTY_HISTORY, MAX_HISTORY_ENTRIES, parseHistory, pruned, recordInForce, retainedEntries, serializeHistory } from './history.ts';

const entry = (version: string) => ({ version, pointer: `{"version":"${version}"}`, routes: 1 });

describe('table history', () => {
  it('puts the new table first and marks the one it replaces', () => {
    const one = recordInForce(EMPTY_HISTORY, entry('a'), 100);
    const two = recordInForce(one, entry('b'), 200);
    expect(two.entries).toEqual([
      { ...entry('b'), since: 200 },
      { ...entry('a'), since: 100, supersededAt: 200 },
    ]);
    // Back to a: it moves first, once.
    expect(recordInForce(two, entry('a'), 300).entries.map((e) => [e.version, e.since, e.supersededAt])).toEqual([
      ['a', 300, undefined],
      ['b', 200, 300],
    ]);
  });

  it('retains the last N and those replaced within the grace period', () => {
    let history = EMPTY_HISTORY;
    for (const [index, version] of ['a', 'b', 'c', 'd', 'e'].entries()) history = recordInForce(history, entry(version), index * 1000);
    // e (now), d (replaced at 4000), c (3000), b (2000), a (1000); now = 4500
    expect(retainedEntries(history, { keep: 2, graceMs: 1_600, now: 4_500 }).map((e) => e.version)).toEqual(['e', 'd', 'c']);
    expect(pruned(history, { keep: 1, graceMs: 0, now: 4_500 }).entries.map((e) => e.version)).toEqual(['e']);
  });

  it('reads what it wrote, and treats anything else as empty', () => {
    const history = recordInForce(EMPTY_HISTORY, entry('a'), 1);
    expect(parseHistory(serializeHistory(history))).toEqual(history);
    for (const text of [null, '', 'not json', '{"schema":2,"entries":[]}']) expect(parseHistory(text)).toEqual(EMPTY_HISTORY);
  });

  it(`never holds more than ${MAX_HISTORY_ENTRIES} entries`, () => {
    let history = EMPTY_HISTORY;
    for (let i = 0; i < MAX_HISTORY_ENTRIES + 5; i++) history = recordInForce(history, entry(`v${i}`), i);
    expect(history.entries).toHaveLength(MAX_HISTORY_ENTRIES);
  });
});
