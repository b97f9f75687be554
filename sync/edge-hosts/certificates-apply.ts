/**
 * Carries out a {@link CertificatePlan} (`./tls-secrets.ts`), claim first on
 * upload and claim last on removal, so a certificate edgress uploaded is
 * always findable by its claim.
 *
 * @example
 * ```ts
 * const results = await applyCertificates(edge, plan, 'prod');
 * ```
 */
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import type { EdgeApi } from './cloudflare-edge-api.ts';
import { claimRecord, type CertificateClaim, type CertificatePlan, type DesiredCertificate } from './tls-secrets.ts';

export interface CertificateResult {
  readonly secret: string;
  readonly zone: string;
  readonly ingresses: readonly string[];
  readonly action: 'upload' | 'replace' | 'remove';
  readonly error?: string;
}

export async function applyCertificates(edge: EdgeApi, plan: CertificatePlan, owner: string): Promise<CertificateResult[]> {
  const results: CertificateResult[] = [];
  const run = async (desired: Pick<DesiredCertificate, 'secret' | 'ingresses'> & { zone: { name: string } }, action: CertificateResult['action'], work: () => Promise<void>) => {
    try {
      await work();
      results.push({ secret: desired.secret, zone: desired.zone.name, ingresses: desired.ingresses, action });
    } catch (error) {
      results.push({ secret: desired.secret, zone: desired.zone.name, ingresses: desired.ingresses, action, error: describeApiError(error) });
    }
  };
  for (const { desired, claim, adoptId } of plan.upload) {
    await run(desired, 'upload', async () => {
      const pending = claim?.record ?? (await edge.batch(desired.zone.id, [], [claimRecord(owner, desired, 'pending')]))[0];
      const id = adoptId ?? (await edge.uploadCertificate({ zoneId: desired.zone.id, certificate: desired.certificate, privateKey: desired.privateKey })).id;
      await edge.batch(desired.zone.id, pending ? [pending] : [], [claimRecord(owner, desired, id)]);
    });
  }
  for (const { desired, claim } of plan.replace) {
    await run(desired, 'replace', async () => {
      const replaced = await edge.replaceCertificate(claim.certificateId, { zoneId: desired.zone.id, certificate: desired.certificate, privateKey: desired.privateKey });
      await edge.batch(desired.zone.id, [claim.record], [claimRecord(owner, desired, replaced.id)]);
    });
  }
  for (const claim of plan.remove) {
    await run({ secret: claim.secret, ingresses: [], zone: { name: claim.record.name.slice(claim.record.name.indexOf('.') + 1) } }, 'remove', () => removeClaimed(edge, claim));
  }
  return results;
}

async function removeClaimed(edge: EdgeApi, claim: CertificateClaim): Promise<void> {
  if (claim.certificateId !== 'pending') {
    await edge.deleteCertificate(claim.record.zoneId, claim.certificateId).catch((error: unknown) => {
      // Already gone (deleted by hand): only the claim is left to remove.
      if (!(typeof error === 'object' && error !== null && 'status' in error && (error as { status?: unknown }).status === 404)) throw error;
    });
  }
  await edge.batch(claim.record.zoneId, [claim.record], []);
}

export function describeCertificatePlan(plan: CertificatePlan): string[] {
  return [
    ...plan.upload.map(({ desired, adoptId }) => `certificate ${adoptId ? `claim uploaded ${adoptId}` : 'upload'} Secret ${desired.secret} to zone ${desired.zone.name} (${desired.hosts.join(', ')}; sends its private key)`),
    ...plan.replace.map(({ desired, claim }) => `certificate replace ${claim.certificateId} with renewed Secret ${desired.secret} (zone ${desired.zone.name})`),
    ...plan.remove.map((claim) => `certificate delete ${claim.certificateId} (Secret ${claim.secret} no longer served)`),
  ];
}
