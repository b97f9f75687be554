/**
 * The client-certificate facts the platform gives a Worker
 * (`request.cf.tlsClientAuth`, populated when mTLS is set up through API
 * Shield or Access) turned into Traefik 1.7's header values:
 * - `X-Forwarded-Tls-Client-Cert`: each certificate's PEM body (base64 DER,
 *   no BEGIN/END lines, no newlines), Go-query-escaped, joined by `,`, leaf
 *   first — from `certRFC9440` and `certChainRFC9440`;
 * - `X-Forwarded-Tls-Client-Cert-Infos`: `Subject="C=..,CN=..",Issuer="..",NB=<unix>,NA=<unix>,SAN=a,b`,
 *   Go-query-escaped, for the leaf (the platform describes only the leaf);
 *   SANs are read from the leaf's DER (`./san.ts`), so they are missing when
 *   the platform left the DER out (over 10 KB).
 * Only a presented, verified, unrevoked certificate counts, as Traefik only
 * saw certificates its entry point had verified.
 */
import type { DnField } from '../../../src/table/http-middleware.ts';
import { subjectAltNames } from './san.ts';

/** The fields of `tlsClientAuth` this module reads (all strings on the platform). */
export interface ClientCertificateFacts {
  readonly certPresented?: unknown;
  readonly certVerified?: unknown;
  readonly certRevoked?: unknown;
  readonly certSubjectDN?: unknown;
  readonly certSubjectDNRFC2253?: unknown;
  readonly certIssuerDN?: unknown;
  readonly certIssuerDNRFC2253?: unknown;
  readonly certNotBefore?: unknown;
  readonly certNotAfter?: unknown;
  readonly certRFC9440?: unknown;
  readonly certChainRFC9440?: unknown;
}

/** The verified client certificate of a request, if there is one. */
export function verifiedCertificate(request: Request): ClientCertificateFacts | undefined {
  const cf = (request as { cf?: { tlsClientAuth?: unknown } }).cf;
  const facts = cf?.tlsClientAuth;
  if (typeof facts !== 'object' || facts === null) return undefined;
  const auth = facts as ClientCertificateFacts;
  return auth.certPresented === '1' && auth.certVerified === 'SUCCESS' && auth.certRevoked !== '1' ? auth : undefined;
}

/** `X-Forwarded-Tls-Client-Cert`, or undefined when the platform gave no DER (absent, or over its 10 KB limit). */
export function pemHeader(facts: ClientCertificateFacts): string | undefined {
  const leaf = leafDer(facts);
  if (!leaf) return undefined;
  const chain = text(facts.certChainRFC9440).split(',');
  return [leaf, ...chain]
    .map((entry) => entry.trim().replace(/^:|:$/g, ''))
    .filter((body) => /^[A-Za-z0-9+/]+=*$/.test(body))
    .map(goQueryEscape)
    .join(',');
}

export interface InfoFlags {
  readonly notBefore: boolean;
  readonly notAfter: boolean;
  readonly sans: boolean;
  readonly subject: readonly DnField[];
  readonly issuer: readonly DnField[];
}

/** `X-Forwarded-Tls-Client-Cert-Infos` for the leaf, or undefined when nothing asked for is known. */
export function infosHeader(facts: ClientCertificateFacts, flags: InfoFlags): string | undefined {
  const values = [
    dnInfo('Subject', text(facts.certSubjectDNRFC2253) || text(facts.certSubjectDN), flags.subject),
    dnInfo('Issuer', text(facts.certIssuerDNRFC2253) || text(facts.certIssuerDN), flags.issuer),
    flags.notBefore ? timeInfo('NB', facts.certNotBefore) : undefined,
    flags.notAfter ? timeInfo('NA', facts.certNotAfter) : undefined,
    flags.sans ? sanInfo(facts) : undefined,
  ].filter((value) => value !== undefined);
  return values.length > 0 ? goQueryEscape(values.join(',')) : undefined;
}

function dnInfo(prefix: string, dn: string, fields: readonly DnField[]): string | undefined {
  if (fields.length === 0 || dn === '') return undefined;
  // RFC 2253 lists the most specific attribute first; Traefik wrote values in certificate (DER) order.
  const attributes = parseDistinguishedName(dn).reverse();
  const parts: string[] = [];
  for (const field of fields) {
    const values = attributes.filter(([type]) => type === field).map(([, value]) => value);
    if (values.length === 0) continue;
    // Domain components one by one, the others as Traefik's writeParts: `O=a,b`.
    if (field === 'DC') parts.push(...values.map((value) => `DC=${value}`));
    else parts.push(`${field}=${field === 'SN' || field === 'CN' ? values[0] : values.join(',')}`);
  }
  return parts.length > 0 ? `${prefix}="${parts.join(',')}"` : undefined;
}

function sanInfo(facts: ClientCertificateFacts): string | undefined {
  const der = leafDer(facts);
  const names = der ? subjectAltNames(der) : undefined;
  return names === undefined ? undefined : `SAN=${names.join(',')}`;
}

/** The leaf's base64 DER without the RFC 9440 colons; empty when absent. */
function leafDer(facts: ClientCertificateFacts): string {
  return text(facts.certRFC9440).trim().replace(/^:|:$/g, '');
}

function timeInfo(prefix: string, value: unknown): string | undefined {
  const seconds = parseCertificateTime(text(value));
  return seconds === undefined ? undefined : `${prefix}=${seconds}`;
}

const TYPE_NAMES: Readonly<Record<string, DnField>> = {
  CN: 'CN', C: 'C', ST: 'ST', S: 'ST', L: 'L', O: 'O', DC: 'DC', SERIALNUMBER: 'SN', '2.5.4.5': 'SN',
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.8': 'ST', '2.5.4.7': 'L', '2.5.4.10': 'O', '0.9.2342.19200300.100.1.25': 'DC',
};

/**
 * An RFC 2253 distinguished name (`CN=a\,b,O=Org+OU=Unit,C=US`) as
 * `[field, value]` pairs in the order written; attributes Traefik does not
 * report are left out. Escapes (`\,`, `\2C`, UTF-8 hex pairs) and quoted
 * values are decoded; `#`-hex (BER) values are read as strings.
 */
export function parseDistinguishedName(dn: string): [DnField, string][] {
  const pairs: [DnField, string][] = [];
  let at = 0;
  while (at < dn.length) {
    const equals = dn.indexOf('=', at);
    if (equals === -1) break;
    const type = dn.slice(at, equals).trim().toUpperCase().replace(/^OID\./, '');
    const { value, end } = readValue(dn, equals + 1);
    const field = TYPE_NAMES[type];
    if (field) pairs.push([field, value]);
    at = end + 1;
  }
  return pairs;
}

/** One attribute value from `start`, up to an unescaped `,`, `;` or `+`. */
function readValue(dn: string, start: number): { value: string; end: number } {
  let at = start;
  while (dn[at] === ' ') at += 1;
  if (dn[at] === '#') {
    const hex = /^#([0-9A-Fa-f]*)/.exec(dn.slice(at))?.[1] ?? '';
    const end = separatorFrom(dn, at + 1 + hex.length);
    return { value: berString(hex), end };
  }
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  let quoted = false;
  for (; at < dn.length; at++) {
    const char = dn[at] ?? '';
    if (char === '"') {
      quoted = !quoted;
    } else if (char === '\\') {
      const hex = /^[0-9A-Fa-f]{2}/.exec(dn.slice(at + 1))?.[0];
      bytes.push(...(hex ? [Number.parseInt(hex, 16)] : encoder.encode(dn[at + 1] ?? '')));
      at += hex ? 2 : 1;
    } else if (!quoted && (char === ',' || char === ';' || char === '+')) {
      break;
    } else {
      bytes.push(...encoder.encode(char));
    }
  }
  return { value: new TextDecoder().decode(new Uint8Array(bytes)).trim(), end: at };
}

function separatorFrom(dn: string, from: number): number {
  const match = /[,;+]/.exec(dn.slice(from));
  return match ? from + match.index : dn.length;
}

/** A BER-encoded string (tag, length, contents) from hex; its contents read as UTF-8. */
function berString(hex: string): string {
  const bytes = (hex.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16));
  const length = bytes[1] ?? 0;
  const offset = length & 0x80 ? 2 + (length & 0x7f) : 2;
  return new TextDecoder().decode(new Uint8Array(bytes.slice(offset)));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Dec 22 19:39:00 2018 GMT` (the platform's form, OpenSSL's) → Unix seconds. */
export function parseCertificateTime(value: string): number | undefined {
  const match = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(value.trim());
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1] ?? '');
  if (month === -1) return undefined;
  const [day, hour, minute, second, year] = [match[2], match[3], match[4], match[5], match[6]].map(Number) as [number, number, number, number, number];
  return Math.floor(Date.UTC(year, month, day, hour, minute, second) / 1000);
}

/** Go's `url.QueryEscape`: everything but letters, digits and `-_.~` escaped, space as `+`. */
export function goQueryEscape(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
