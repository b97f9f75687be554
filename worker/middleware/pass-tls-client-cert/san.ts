/**
 * The subject alternative names of an X.509 certificate, read from its DER
 * (the platform gives the leaf as `certRFC9440`, `:base64:`), in the order
 * Traefik wrote them: DNS names, e-mail addresses, IP addresses, URIs.
 * Only the few DER structures on the way to the extension are walked.
 */

interface Tlv {
  readonly tag: number;
  /** Where the contents start and end. */
  readonly start: number;
  readonly end: number;
}

const SAN_OID = [0x55, 0x1d, 0x11]; // 2.5.29.17
const TAGS = { email: 0x81, dns: 0x82, uri: 0x86, ip: 0x87 } as const;

/** The SANs of a certificate given as base64 DER, or undefined when it cannot be read. */
export function subjectAltNames(base64Der: string): string[] | undefined {
  try {
    const der = Uint8Array.from(atob(base64Der), (char) => char.charCodeAt(0));
    const tbs = children(der, read(der, 0))[0];
    if (!tbs) return undefined;
    // tbsCertificate's extensions are its [3] field, a SEQUENCE of Extension.
    const wrapper = children(der, tbs).find((field) => field.tag === 0xa3);
    const list = wrapper && children(der, wrapper)[0];
    for (const extension of list ? children(der, list) : []) {
      const [oid, ...rest] = children(der, extension);
      const value = rest[rest.length - 1];
      if (oid && value && sameBytes(der.subarray(oid.start, oid.end), SAN_OID)) return names(der, read(der, value.start));
    }
    return [];
  } catch {
    return undefined;
  }
}

function names(der: Uint8Array, sequence: Tlv): string[] {
  const all = children(der, sequence);
  const of = (tag: number) => all.filter((name) => name.tag === tag).map((name) => der.subarray(name.start, name.end));
  const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return [...of(TAGS.dns).map(text), ...of(TAGS.email).map(text), ...of(TAGS.ip).map(ipText), ...of(TAGS.uri).map(text)];
}

/** One TLV at `at`; throws when it runs past the data. */
function read(der: Uint8Array, at: number): Tlv {
  const tag = byte(der, at);
  let length = byte(der, at + 1);
  let start = at + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + byte(der, start + i);
    start += count;
  }
  if (start + length > der.length) throw new Error('DER runs past its data');
  return { tag, start, end: start + length };
}

function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const list: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const child = read(der, at);
    list.push(child);
    at = child.end;
  }
  return list;
}

function byte(der: Uint8Array, at: number): number {
  const value = der[at];
  if (value === undefined) throw new Error('DER ends early');
  return value;
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && b.every((value, index) => a[index] === value);
}

/** Go's `net.IP.String()`: dotted IPv4 (also for IPv4-mapped IPv6), else RFC 5952 IPv6. */
export function ipText(bytes: Uint8Array): string {
  const mapped = bytes.length === 16 && bytes.subarray(0, 10).every((value) => value === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (bytes.length === 4 || mapped) return [...bytes.subarray(bytes.length - 4)].join('.');
  if (bytes.length !== 16) return `?${[...bytes].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (best.start === -1) return hex.join(':');
  return `${hex.slice(0, best.start).join(':')}::${hex.slice(best.start + best.length).join(':')}`;
}
