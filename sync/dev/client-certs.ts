/**
 * Client certificates under `edgress dev`. At the edge, Cloudflare verifies
 * a client certificate (mTLS through API Shield or Access) and describes it
 * to the Worker in `request.cf.tlsClientAuth`. The dev front has no TLS, so
 * it stands in for that: `edgress dev --client-certs certs.json` names the
 * certificates a client may present, and a request presents one with the
 * dev-only header `X-Edgress-Dev-Client-Cert: <name>`.
 *
 * The header is always removed before the worker sees it, and without
 * `--client-certs` (or for an unknown name) the request has no certificate,
 * so a client can only present what whoever started `edgress dev` listed —
 * as at the edge, where it can only present a certificate it holds.
 *
 * The file maps names to `tlsClientAuth` fields; what is left out takes the
 * value of a verified certificate without details:
 *
 * ```json
 * { "alice": { "certSubjectDNRFC2253": "CN=alice,O=Example,C=US", "certNotAfter": "Jan  1 00:00:00 2030 GMT" },
 *   "mallory": { "certVerified": "FAILED:self signed certificate" } }
 * ```
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';

/** The request header that presents a certificate listed with `--client-certs`. */
export const DEV_CLIENT_CERT_HEADER = 'x-edgress-dev-client-cert';

export type ClientCertificates = ReadonlyMap<string, Readonly<Record<string, string | boolean>>>;

/** What the platform gives a Worker when no certificate was presented. */
export const NO_CLIENT_CERTIFICATE = { certPresented: '0', certVerified: 'NONE', certRevoked: '0' } as const;

const VERIFIED_DEFAULTS: Readonly<Record<string, string | boolean>> = {
  certPresented: '1',
  certVerified: 'SUCCESS',
  certRevoked: '0',
  certIssuerDN: '',
  certSubjectDN: '',
  certIssuerDNRFC2253: '',
  certSubjectDNRFC2253: '',
  certIssuerDNLegacy: '',
  certSubjectDNLegacy: '',
  certSerial: '',
  certIssuerSerial: '',
  certSKI: '',
  certIssuerSKI: '',
  certFingerprintSHA1: '',
  certFingerprintSHA256: '',
  certNotBefore: '',
  certNotAfter: '',
  certRFC9440: '',
  certRFC9440TooLarge: false,
  certChainRFC9440: '',
  certChainRFC9440TooLarge: false,
};

/** Reads and checks a `--client-certs` file; throws a message naming what is wrong. */
export async function readClientCertificates(path: string): Promise<ClientCertificates> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: must map certificate names to objects`);
  const certificates = new Map<string, Record<string, string | boolean>>();
  for (const [name, facts] of Object.entries(parsed)) {
    if (typeof facts !== 'object' || facts === null || Array.isArray(facts)) throw new Error(`${path}: ${JSON.stringify(name)} must be an object`);
    const entry: Record<string, string | boolean> = { ...VERIFIED_DEFAULTS };
    for (const [field, value] of Object.entries(facts as Record<string, unknown>)) {
      if (!(field in VERIFIED_DEFAULTS)) throw new Error(`${path}: ${JSON.stringify(name)}: ${JSON.stringify(field)} is not a tlsClientAuth field`);
      if (typeof value !== typeof VERIFIED_DEFAULTS[field]) throw new Error(`${path}: ${JSON.stringify(name)}.${field} must be a ${typeof VERIFIED_DEFAULTS[field]}`);
      entry[field] = value as string | boolean;
    }
    certificates.set(name, entry);
  }
  return certificates;
}

/** The `tlsClientAuth` of a request: the certificate its dev header presents, if listed. */
export function tlsClientAuthFor(req: http.IncomingMessage, certificates: ClientCertificates | undefined): Readonly<Record<string, string | boolean>> {
  const presented = req.headers[DEV_CLIENT_CERT_HEADER];
  const name = Array.isArray(presented) ? presented[0] : presented;
  return (name !== undefined && certificates?.get(name)) || NO_CLIENT_CERTIFICATE;
}
