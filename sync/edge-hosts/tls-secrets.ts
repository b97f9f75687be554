/**
 * `--edge-tls upload-secrets`: the Secrets named in served Ingresses'
 * `spec.tls` become custom certificates of the zones their hosts are in
 * (Business plan and above; this sends private keys to Cloudflare, which is
 * why it is opt-in). Custom certificates carry no tags, so ownership is a TXT
 * record per zone and Secret, `_edgress-cert-<hash>.<zone>`, naming the owner,
 * the certificate id and the leaf's fingerprint:
 * - a Secret without a claim is claimed first (`certificate=pending`), then
 *   uploaded, then the claim names the id; a pending claim whose upload got
 *   through finds its certificate again by hosts;
 * - a renewed Secret (new fingerprint) replaces the certificate (a PATCH
 *   answers with a new id) and the claim follows;
 * - a claim whose Secret is no longer served deletes the certificate, then itself.
 *
 * @example
 * ```ts
 * const { certificates, problems } = desiredCertificates(table, cache, state.zones);
 * const plan = planCertificates(certificates, state, 'prod');
 * ```
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { Table } from '../../src/table/schema.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';
import type { DnsRecord, EdgeState, RecordInput, Zone } from './model.ts';
import { ownerComment } from './ownership.ts';
import { zoneOf } from './zones.ts';

/** Cloudflare refuses custom certificates that expire sooner than this. */
export const MIN_VALIDITY_MS = 14 * 24 * 3_600_000;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?-----END CERTIFICATE-----/;

export interface DesiredCertificate {
  /** `namespace/name` of the Secret. */
  readonly secret: string;
  readonly zone: Zone;
  /** The leaf only (bundling `ubiquitous` adds the chain). */
  readonly certificate: string;
  readonly privateKey: string;
  readonly fingerprint: string;
  readonly hosts: readonly string[];
  /** Served Ingresses naming the Secret (for Events). */
  readonly ingresses: readonly string[];
}

export interface CertificateClaim {
  readonly record: DnsRecord;
  readonly secret: string;
  /** `pending` until the upload is known to have succeeded. */
  readonly certificateId: string;
  readonly fingerprint: string;
}

export interface CertificateProblem {
  readonly ingress: string;
  readonly message: string;
}

export interface CertificatePlan {
  readonly upload: readonly { readonly desired: DesiredCertificate; readonly claim?: CertificateClaim; readonly adoptId?: string }[];
  readonly replace: readonly { readonly desired: DesiredCertificate; readonly claim: CertificateClaim }[];
  readonly remove: readonly CertificateClaim[];
}

export function desiredCertificates(table: Table | undefined, lookup: ObjectLookup, zones: readonly Zone[], now: number): { certificates: DesiredCertificate[]; problems: CertificateProblem[] } {
  const certificates = new Map<string, DesiredCertificate>();
  const problems: CertificateProblem[] = [];
  for (const ingress of new Set((table?.routers ?? []).map((router) => router.source))) {
    const [namespace = '', name = ''] = ingress.split('/');
    const tls = (lookup.find('Ingress', namespace, name)?.['spec'] as { tls?: unknown } | undefined)?.tls;
    for (const entry of Array.isArray(tls) ? (tls as { hosts?: unknown; secretName?: unknown }[]) : []) {
      if (typeof entry.secretName !== 'string') continue;
      const secret = `${namespace}/${entry.secretName}`;
      const read = readSecret(lookup, namespace, entry.secretName, now);
      if ('problem' in read) {
        problems.push({ ingress, message: `Secret ${secret} not uploaded: ${read.problem}` });
        continue;
      }
      const hosts = Array.isArray(entry.hosts) ? entry.hosts.filter((host): host is string => typeof host === 'string').map((host) => host.toLowerCase()) : [];
      for (const host of hosts) {
        const zone = zoneOf(host, zones);
        const key = `${zone?.id} ${secret}`;
        const known = certificates.get(key);
        if (zone) certificates.set(key, { secret, zone, ...read, ingresses: [...new Set([...(known?.ingresses ?? []), ingress])] });
      }
    }
  }
  return { certificates: [...certificates.values()], problems };
}

function readSecret(lookup: ObjectLookup, namespace: string, name: string, now: number): { certificate: string; privateKey: string; fingerprint: string; hosts: string[] } | { problem: string } {
  const data = lookup.find('Secret', namespace, name)?.['data'] as Record<string, unknown> | undefined;
  if (!data) return { problem: 'not found' };
  const decode = (key: string) => (typeof data[key] === 'string' ? Buffer.from(data[key], 'base64').toString('utf8') : '');
  const leaf = PEM_CERTIFICATE.exec(decode('tls.crt'))?.[0];
  const privateKey = decode('tls.key');
  if (!leaf || !privateKey.includes('PRIVATE KEY')) return { problem: 'tls.crt or tls.key is not PEM' };
  let parsed: X509Certificate;
  try {
    parsed = new X509Certificate(leaf);
  } catch {
    return { problem: 'tls.crt is not a valid certificate' };
  }
  if (Date.parse(parsed.validTo) - now < MIN_VALIDITY_MS) return { problem: `it expires ${parsed.validTo}, within 14 days (Cloudflare refuses it)` };
  const hosts = (parsed.subjectAltName ?? '').split(', ').filter((san) => san.startsWith('DNS:')).map((san) => san.slice(4).toLowerCase());
  return { certificate: leaf + '\n', privateKey, fingerprint: parsed.fingerprint256.replace(/:/g, '').toLowerCase(), hosts };
}

export function claimName(owner: string, secret: string, zone: Zone): string {
  return `_edgress-cert-${createHash('sha256').update(`${owner} ${secret}`).digest('hex').slice(0, 12)}.${zone.name}`;
}

export function claimRecord(owner: string, desired: DesiredCertificate, certificateId: string): RecordInput {
  const content = `"heritage=edgress,owner=${owner},certificate=${certificateId},secret=${desired.secret},sha256=${desired.fingerprint}"`;
  return { name: claimName(owner, desired.secret, desired.zone), type: 'TXT', content, proxied: false, comment: ownerComment(owner) };
}

export function certificateClaims(state: EdgeState, owner: string): CertificateClaim[] {
  return state.records.flatMap((record) => {
    if (record.type !== 'TXT' || !record.name.startsWith('_edgress-cert-')) return [];
    const fields = new Map(record.content.replace(/^"|"$/g, '').split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as const));
    if (fields.get('heritage') !== 'edgress' || fields.get('owner') !== owner) return [];
    return [{ record, secret: fields.get('secret') ?? '', certificateId: fields.get('certificate') ?? '', fingerprint: fields.get('sha256') ?? '' }];
  });
}

export function planCertificates(desired: readonly DesiredCertificate[], state: EdgeState, owner: string): CertificatePlan {
  const claims = certificateClaims(state, owner);
  const claimed = new Set(claims.map((claim) => claim.certificateId));
  const claimOf = (wanted: DesiredCertificate) => claims.find((claim) => claim.secret === wanted.secret && claim.record.zoneId === wanted.zone.id);
  const exists = (id: string) => state.certificates.some((certificate) => certificate.id === id);
  const upload: CertificatePlan['upload'][number][] = [];
  const replace: CertificatePlan['replace'][number][] = [];
  for (const wanted of desired) {
    const claim = claimOf(wanted);
    if (!claim) upload.push({ desired: wanted });
    else if (claim.certificateId === 'pending' || !exists(claim.certificateId)) {
      // An upload that went through before its claim was completed is found by its names.
      const orphan = state.certificates.find((certificate) => certificate.zoneId === wanted.zone.id && !claimed.has(certificate.id) && sameHosts(certificate.hosts, wanted.hosts));
      upload.push({ desired: wanted, claim, ...(orphan && claim.fingerprint === wanted.fingerprint ? { adoptId: orphan.id } : {}) });
    } else if (claim.fingerprint !== wanted.fingerprint) replace.push({ desired: wanted, claim });
  }
  const wanted = new Set(desired.map((certificate) => `${certificate.zone.id} ${certificate.secret}`));
  return { upload, replace, remove: claims.filter((claim) => !wanted.has(`${claim.record.zoneId} ${claim.secret}`)) };
}

function sameHosts(a: readonly string[], b: readonly string[]): boolean {
  return [...a].sort().join(',') === [...b].sort().join(',');
}
