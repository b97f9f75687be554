import { describe, expect, it } from 'vitest';
import { canonicalHeaderName, parseGoBool, parseGoInt, parseHeaderMap, parseList, parseYamlBlock } from './values.ts';

describe('parseGoBool (strconv.ParseBool)', () => {
  it.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('%s is true', (value) => expect(parseGoBool(value)).toBe(true));
  it.each(['0', 'f', 'F', 'FALSE', 'false', 'False'])('%s is false', (value) => expect(parseGoBool(value)).toBe(false));
  it.each(['', 'yes', 'tRUE', ' true', 'herpderp', '2'])('%j is invalid', (value) => expect(parseGoBool(value)).toBeUndefined());
});

describe('parseGoInt (strconv.Atoi)', () => {
  it.each([
    ['10', 10],
    ['+7', 7],
    ['-3', -3],
    ['08', 8],
  ])('%s → %d', (value, expected) => expect(parseGoInt(value)).toBe(expected));
  it.each(['', ' 1', '1.5', '1e3', '0x10', 'ten', '99999999999999999999'])('%j is invalid', (value) =>
    expect(parseGoInt(value)).toBeUndefined(),
  );
});

describe('parseList', () => {
  it('splits, trims and drops empty entries', () => expect(parseList(' 10.0.0.0/8 , ,fe80::/16,')).toEqual(['10.0.0.0/8', 'fe80::/16']));
  it('is empty for an empty value', () => expect(parseList('')).toEqual([]));
});

describe('parseHeaderMap', () => {
  it('splits on || and the first colon, canonicalising names', () => {
    expect(parseHeaderMap('x-custom-a: 1 || X-B:http://x:8080 ||content-type:text/plain')).toEqual({
      headers: [['X-Custom-A', '1'], ['X-B', 'http://x:8080'], ['Content-Type', 'text/plain']],
      skipped: [],
    });
  });
  it('skips entries without a colon', () => expect(parseHeaderMap('X-A:1||broken')).toEqual({ headers: [['X-A', '1']], skipped: ['broken'] }));
  it('keeps an empty value (it deletes the header)', () => expect(parseHeaderMap('X-A:')?.headers).toEqual([['X-A', '']]));
  it('is off for an empty value or no valid entry', () => {
    expect(parseHeaderMap('')).toBeUndefined();
    expect(parseHeaderMap('nothing here')).toBeUndefined();
  });
  it('leaves names with invalid characters as written', () => expect(canonicalHeaderName('bad name')).toBe('bad name'));
});

describe('parseYamlBlock', () => {
  it('parses lower-case Traefik keys', () => {
    expect(parseYamlBlock('extractorfunc: client.ip\nrateset:\n  r1: {period: 10s, average: 100}')).toEqual({
      ok: true,
      value: { extractorfunc: 'client.ip', rateset: { r1: { period: '10s', average: 100 } } },
    });
  });
  it('gives undefined for an empty or comment-only value', () => {
    expect(parseYamlBlock('')).toEqual({ ok: true, value: undefined });
    expect(parseYamlBlock('# nothing')).toEqual({ ok: true, value: undefined });
  });
  it('reports malformed YAML without throwing', () => {
    const result = parseYamlBlock('a: [1, 2');
    expect(result.ok).toBe(false);
  });
});
