/**
 * Whether an active edge certificate covers a host served through a Worker
 * route. A certificate name covers a host when it is the host itself, or
 * `*.<parent>` for a host exactly one label below `<parent>` (so Universal
 * SSL, `example.com` + `*.example.com`, does not cover `a.b.example.com`, and
 * a wildcard host `*.b.example.com` needs a certificate for that very name).
 *
 * @example
 * ```ts
 * nameCovers('*.example.com', 'shop.example.com'); // true
 * nameCovers('*.example.com', 'a.shop.example.com'); // false
 * ```
 */
import type { CertificatePack, CustomCertificate, Zone } from './model.ts';

export interface TlsCoverage {
  readonly covered: boolean;
  /** What covers it (`universal certificate pack`, `custom certificate 1a2b`), or the fix. */
  readonly detail: string;
}

export function nameCovers(name: string, host: string): boolean {
  const lowerName = name.toLowerCase();
  if (lowerName === host) return true;
  if (!lowerName.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && !host.startsWith('*.') && host.slice(dot + 1) === lowerName.slice(2);
}

export function routeCoverage(host: string, zone: Zone, packs: readonly CertificatePack[], certificates: readonly CustomCertificate[]): TlsCoverage {
  const pack = packs.find((candidate) => candidate.zoneId === zone.id && candidate.status === 'active' && candidate.hosts.some((name) => nameCovers(name, host)));
  if (pack) return { covered: true, detail: `covered by the zone's ${pack.type} certificate pack` };
  const custom = certificates.find((candidate) => candidate.zoneId === zone.id && candidate.status === 'active' && candidate.hosts.some((name) => nameCovers(name, host)));
  if (custom) return { covered: true, detail: `covered by custom certificate ${custom.id}` };
  return { covered: false, detail: `no active edge certificate covers ${host}: clients get a TLS error. Fix: ${fixFor(host, zone)}` };
}

function fixFor(host: string, zone: Zone): string {
  const shallower = `use a name one label below ${zone.name}`;
  const acm = `order an advanced certificate for ${host} (Advanced Certificate Manager)`;
  const upload = 'or upload the Ingress spec.tls Secret (--edge-tls upload-secrets, Business plan and above)';
  if (host.startsWith('*.')) return `${acm}, ${shallower}, ${upload}`;
  return `--edge-hosts custom-domains (a certificate per host), ${acm}, ${shallower}, ${upload}`;
}
