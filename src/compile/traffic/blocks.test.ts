import { describe, expect, it } from 'vitest';
import { expectRejected } from '../../../test/unit/parsed.ts';
import { parseBuffering, parseExtractor, parseRateLimit } from './blocks.ts';
import { parseGoDuration } from '../duration.ts';

describe('parseExtractor', () => {
  it('knows client.ip, request.host and request.header.<name>', () => {
    expect(parseExtractor('client.ip')).toEqual({ type: 'client.ip' });
    expect(parseExtractor('request.host')).toEqual({ type: 'request.host' });
    expect(parseExtractor('request.header.X-Api-Key')).toEqual({ type: 'request.header', name: 'X-Api-Key' });
  });

  it.each(['', 'client.port', 'request.header.', 'request.header.a b', 'Client.IP'])('rejects %j', (text) => {
    expect(parseExtractor(text)).toBeUndefined();
  });
});

describe('parseGoDuration', () => {
  it.each([
    ['10s', 10_000],
    ['1m30s', 90_000],
    ['1.5h', 5_400_000],
    ['100ms', 100],
    ['1500us', 1.5],
    ['0', 0],
    ['-2s', -2000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '10', 's', '10 s', '1d', '.s', '1s2'])('rejects %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });
});

describe('parseRateLimit', () => {
  it('reads named rates; a bare period is seconds; the last rate of a period wins', () => {
    const parsed = parseRateLimit('extractorfunc: client.ip\nrateset:\n  a: {period: 10s, average: 100, burst: 200}\n  b: {period: 10, average: 5, burst: 6}\n  c: {period: 1m, average: 1, burst: 1}');
    expect(parsed).toEqual({
      ok: true,
      value: { kind: 'rate-limit', extractor: { type: 'client.ip' }, rates: [{ periodMs: 10_000, average: 5, burst: 6 }, { periodMs: 60_000, average: 1, burst: 1 }] },
    });
  });

  it('is off without a rateset, whatever the extractor', () => {
    expect(parseRateLimit('extractorfunc: nonsense')).toEqual({ ok: true, value: undefined });
    expect(parseRateLimit('rateset: {}')).toEqual({ ok: true, value: undefined });
    expect(parseRateLimit('')).toEqual({ ok: true, value: undefined });
  });

  it('ignores camelCase keys, as yaml.v2 into untagged structs did', () => {
    expect(parseRateLimit('extractorFunc: client.ip\nrateSet:\n  a: {period: 1s, average: 1, burst: 1}')).toEqual({ ok: true, value: undefined });
  });

  it.each([
    ['extractorfunc: client.port\nrateset: {a: {period: 1s, average: 1, burst: 1}}', 'extractorfunc "client.port"'],
    ['rateset: {a: {period: 1s, average: 1, burst: 1}}', 'extractorfunc ""'],
    ['extractorfunc: client.ip\nrateset: {a: {period: 1x, average: 1, burst: 1}}', 'period "1x"'],
    ['extractorfunc: client.ip\nrateset: {a: {period: 0s, average: 1, burst: 1}}', 'period "0s"'],
    ['extractorfunc: client.ip\nrateset: {a: {period: 1s, average: 0, burst: 1}}', 'average and burst'],
    ['extractorfunc: client.ip\nrateset: {a: {period: 1s, average: 1, burst: -1}}', 'average and burst'],
    ['extractorfunc: client.ip\nrateset: {a: {period: 1s, average: 1.5, burst: 1}}', 'average and burst'],
    ['extractorfunc: client.ip\nrateset: {a: 5}', 'must be a map'],
    ['extractorfunc: client.ip\nrateset: [1]', 'rateset must be a map'],
    ['extractorfunc: [client.ip', 'invalid YAML'],
    ['- a', 'must be a YAML map'],
  ])('rejects %j', (text, error) => {
    expectRejected(parseRateLimit(text), error);
  });
});

describe('parseBuffering', () => {
  it('reads the limits, 0 for missing ones, and the retry expression', () => {
    expect(parseBuffering('maxrequestbodybytes: 10\nmemresponsebodybytes: 5\nretryexpression: IsNetworkError() && Attempts() <= 2')).toEqual({
      ok: true,
      value: {
        kind: 'buffering', maxRequestBodyBytes: 10, memRequestBodyBytes: 0, maxResponseBodyBytes: 0, memResponseBodyBytes: 5,
        retry: {
          source: 'IsNetworkError() && Attempts() <= 2',
          predicate: { type: 'and', left: { type: 'flag', fn: 'IsNetworkError' }, right: { type: 'compare', op: '<=', left: { type: 'metric', fn: 'Attempts', args: [] }, right: { type: 'number', value: 2 } } },
        },
      },
    });
  });

  it('treats negative limits as none', () => {
    const parsed = parseBuffering('maxrequestbodybytes: -1');
    expect(parsed.ok && parsed.value.maxRequestBodyBytes).toBe(0);
  });

  it.each([
    ['maxrequestbodybytes: lots', 'maxrequestbodybytes must be an integer'],
    ['maxresponsebodybytes: 1.5', 'maxresponsebodybytes must be an integer'],
    ['retryexpression: Attempts() <', 'retryexpression'],
    ['retryexpression: NetworkErrorRatio() > 1', 'unknown function'],
    ['maxrequestbodybytes: [1', 'invalid YAML'],
    ['just text', 'must be a YAML map'],
  ])('rejects %j', (text, error) => {
    expectRejected(parseBuffering(text), error);
  });
});
