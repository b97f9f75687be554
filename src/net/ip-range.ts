/**
 * IP addresses and CIDR ranges for allow-lists, parsed strictly with
 * `ipaddr.js`: IPv4 only in dotted four-part decimal (no `0x7f.1`, `127.1`
 * or leading zeros), IPv6 without a zone index. An IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.1`) counts as its IPv4 address, as Go's `net.IPNet` treats
 * it, so a client reaching the edge over a dual-stack socket still matches
 * `10.0.0.0/8`.
 *
 * @example
 * ```ts
 * normalizeRange('10.1.2.3/8');          // '10.0.0.0/8'
 * normalizeRange('2001:DB8::1');          // '2001:db8::1/128'
 * normalizeRange('10.0.0.300');           // undefined
 * const list = new RangeList(['10.0.0.0/8']);
 * list.contains(parseAddress('::ffff:10.9.9.9')!); // true
 * ```
 */
import ipaddr from 'ipaddr.js';

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;
const PREFIX = /^[0-9]{1,3}$/;

/** One address in its plain text form, or undefined when it is not one. */
export function parseAddress(text: string): Address | undefined {
  const address = parseStrict(text);
  return address && isMapped(address) ? address.toIPv4Address() : address;
}

/**
 * A range entry (`a.b.c.d/n`, `v6::/n` or a bare address) in canonical form:
 * network address (host bits cleared) and prefix length; undefined when the
 * entry does not parse. An IPv4-mapped IPv6 range of prefix 96 or more
 * becomes the IPv4 range it covers.
 */
export function normalizeRange(text: string): string | undefined {
  const [addressText = '', prefixText, extra] = text.split('/');
  if (extra !== undefined || (prefixText !== undefined && !PREFIX.test(prefixText))) return undefined;
  const address = parseStrict(addressText);
  if (!address) return undefined;
  const bits = address.kind() === 'ipv4' ? 32 : 128;
  let prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  let network: Address = address;
  if (isMapped(address) && prefix >= 96) {
    network = address.toIPv4Address();
    prefix -= 96;
  }
  const cidr = `${network.toString()}/${prefix}`;
  const masked = network.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
  return `${masked.toString()}/${prefix}`;
}

function parseStrict(text: string): Address | undefined {
  if (!text.includes(':')) return ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.IPv4.parse(text) : undefined;
  if (!IPV6_CHARS.test(text)) return undefined;
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (tail.includes('.') && !ipaddr.IPv4.isValidFourPartDecimal(tail)) return undefined;
  return ipaddr.IPv6.isValid(text) ? ipaddr.IPv6.parse(text) : undefined;
}

function isMapped(address: Address): address is ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress();
}

/** A parsed list of canonical ranges (see {@link normalizeRange}). */
export class RangeList {
  readonly #ranges: readonly [Address, number][];

  /** Throws on an entry that is not canonical: the table is validated before this runs. */
  constructor(ranges: readonly string[]) {
    this.#ranges = ranges.map((range) => {
      if (normalizeRange(range) !== range) throw new Error('allow-list range is not in canonical form');
      return ipaddr.parseCIDR(range);
    });
  }

  contains(address: Address): boolean {
    return this.#ranges.some(([network, prefix]) => network.kind() === address.kind() && address.match(network, prefix));
  }
}
