import { describe, expect, it } from 'vitest';
import { normalizeRange, parseAddress, RangeList } from './ip-range.ts';

describe('normalizeRange', () => {
  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['10.0.0.1', '10.0.0.1/32'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['10.0.0.0/08', '10.0.0.0/8'],
    ['2001:DB8::1', '2001:db8::1/128'],
    ['2001:db8:0:0:0:0:0:0/32', '2001:db8::/32'],
    ['::/0', '::/0'],
    ['::ffff:1.2.3.4', '1.2.3.4/32'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:10.0.0.0/80', '::/80'],
  ])('%s → %s', (entry, range) => {
    expect(normalizeRange(entry)).toBe(range);
  });

  it.each(['', '/8', '1.2.3.4/', '1.2.3.4/33', '1.2.3.4/-1', '1.2.3.4/8/9', '::/129', '127.1', '0x7f.0.0.1', '010.0.0.1', '1.2.3.256', ' 1.2.3.4', 'fe80::1%eth0', '::ffff:0x7f.1.1.1', '1:2:3:4:5:6:7:8:9', 'localhost', '1.2.3.4 /8'])(
    'refuses %j',
    (entry) => {
      expect(normalizeRange(entry)).toBeUndefined();
    },
  );
});

describe('RangeList', () => {
  const list = new RangeList(['10.0.0.0/8', '2001:db8::/32', '192.168.1.1/32']);

  it.each([['10.9.9.9', true], ['::ffff:10.9.9.9', true], ['2001:db8::5', true], ['192.168.1.1', true], ['192.168.1.2', false], ['11.0.0.1', false], ['::1', false], ['::a00:1', false]])(
    '%s → %s',
    (address, inside) => {
      expect(list.contains(parseAddress(address)!)).toBe(inside);
    },
  );

  it('refuses ranges that are not canonical (the table schema checks them first)', () => {
    expect(() => new RangeList(['10.1.0.0/8'])).toThrow();
  });
});
