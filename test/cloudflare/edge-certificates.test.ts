/**
 * `--edge-tls upload-secrets` against the Cloudflare API stand-in: an Ingress
 * spec.tls Secret becomes a custom certificate of its host's zone, a renewed
 * Secret replaces it, an unused one is deleted; below the Business plan the
 * Ingress gets a Warning naming why.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectLookup } from '../../sync/common/kube/object-lookup.ts';
import type { WatchedObject } from '../../sync/common/kube/watch-event.ts';
import { jsonLogger } from '../../sync/common/log.ts';
import { CloudflareEdgeApi } from '../../sync/edge-hosts/cloudflare-edge-api.ts';
import { EdgeHostsReconciler } from '../../sync/edge-hosts/reconciler.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, InstantClock, startStandIn, tableWith } from './helpers.ts';

let cloudflare: CloudflareApiStandIn;
let clock: InstantClock;

beforeEach(async () => {
  cloudflare = await startStandIn();
  clock = new InstantClock();
  clock.advance(Date.now() - clock.now());
});
afterEach(() => cloudflare.close());

/** A self-signed leaf for `hosts` and its key, made by openssl. */
function certificate(hosts: readonly string[]): { crt: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'edgress-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '90', '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${hosts.map((host) => `DNS:${host}`).join(',')}`, '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'crt.pem')], { stdio: 'ignore' });
    return { crt: readFileSync(join(dir, 'crt.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Ingress default/site with spec.tls naming Secret site-tls (when `tls`), and that Secret. */
function cluster(tls: { crt: string; key: string } | undefined): ObjectLookup {
  return {
    find: (kind, namespace, name) => {
      if (kind === 'Ingress' && name === 'site') return { kind, metadata: { name, namespace }, spec: tls ? { tls: [{ hosts: ['shop.example.com'], secretName: 'site-tls' }] } : {} } as unknown as WatchedObject;
      if (kind === 'Secret' && name === 'site-tls' && tls) return { kind, metadata: { name, namespace }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from(tls.crt).toString('base64'), 'tls.key': Buffer.from(tls.key).toString('base64') } } as unknown as WatchedObject;
      return undefined;
    },
  };
}

const reconciler = () =>
  new EdgeHostsReconciler({
    api: new CloudflareEdgeApi(connect(cloudflare, clock)),
    settings: { mode: 'routes', workerName: 'W', ownerId: 'O', tls: 'upload-secrets' },
    clock,
    log: jsonLogger(() => {}),
    maxRemovalShare: 0.5,
    allowMassRemoval: true,
  });

const fingerprint = (crt: string) => new X509Certificate(crt).fingerprint256;
const stored = () => [...cloudflare.edge.certificates.values()];

describe('--edge-tls upload-secrets', { timeout: 30_000 }, () => {
  it('uploads a spec.tls Secret, replaces it when renewed, deletes it when no longer used', async () => {
    cloudflare.edge.addZone('example.com', { plan: 'business' });
    const edge = reconciler();
    const first = certificate(['shop.example.com']);
    const uploaded = await edge.reconcile(tableWith(['shop.example.com']), cluster(first));
    expect(uploaded.failed).toBe(false);
    expect(stored()).toMatchObject([{ hosts: ['shop.example.com'], fingerprint: fingerprint(first.crt), private_key_sent: true }]);
    const firstId = stored()[0]?.id;
    expect([...cloudflare.edge.records.values()].find((record) => record.name.startsWith('_edgress-cert-'))?.content).toContain(`certificate=${firstId}`);

    const renewed = certificate(['shop.example.com']);
    await edge.reconcile(tableWith(['shop.example.com']), cluster(renewed));
    expect(stored()).toMatchObject([{ fingerprint: fingerprint(renewed.crt) }]);
    expect(stored()[0]?.id).not.toBe(firstId);
    const claims = [...cloudflare.edge.records.values()].filter((record) => record.name.startsWith('_edgress-cert-'));
    expect(claims).toHaveLength(1);
    expect(claims[0]?.content).toContain(`certificate=${stored()[0]?.id}`);

    await edge.reconcile(tableWith(['shop.example.com']), cluster(undefined));
    expect(stored()).toEqual([]);
    expect([...cloudflare.edge.records.values()].filter((record) => record.name.startsWith('_edgress-cert-'))).toEqual([]);
    // The routed host is now covered by nothing but Universal SSL, which covers it.
    expect(edge.reports[0]?.tls?.covered).toBe(true);
  });

  it('below the Business plan: nothing uploaded, a Warning on the Ingress says why', async () => {
    cloudflare.edge.addZone('example.com');
    const outcome = await reconciler().reconcile(tableWith(['shop.example.com']), cluster(certificate(['shop.example.com'])));
    expect(stored()).toEqual([]);
    expect(outcome.diagnostics).toEqual([
      expect.objectContaining({ code: 'EdgeTLSCertificate', object: { kind: 'Ingress', namespace: 'default', name: 'site' }, message: expect.stringContaining('PlanLevelNotAllowed') }),
    ]);
  });

  it('an upload that got through before its claim was completed is found again, not uploaded twice', async () => {
    cloudflare.edge.addZone('example.com', { plan: 'business' });
    const tls = certificate(['shop.example.com']);
    // Batches: the host's records, the pending claim, then the completed claim, which fails.
    cloudflare.fail({ method: 'POST', path: /\/dns_records\/batch$/, status: 500, after: 2 });
    const edge = reconciler();
    expect((await edge.reconcile(tableWith(['shop.example.com']), cluster(tls))).failed).toBe(true);
    expect(stored()).toHaveLength(1);
    expect([...cloudflare.edge.records.values()].find((record) => record.name.startsWith('_edgress-cert-'))?.content).toContain('certificate=pending');
    cloudflare.clearFailures();
    clock.advance(60_000);
    expect((await edge.reconcile(tableWith(['shop.example.com']), cluster(tls))).failed).toBe(false);
    expect(cloudflare.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/custom_certificates'))).toHaveLength(1);
    expect(stored()).toHaveLength(1);
    expect([...cloudflare.edge.records.values()].find((record) => record.name.startsWith('_edgress-cert-'))?.content).toContain(`certificate=${stored()[0]?.id}`);
  });
});
