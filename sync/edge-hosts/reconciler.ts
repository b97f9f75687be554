/**
 * Keeps the edge in step with the table in force, once per publish cycle:
 * reads the account (zones, records, routes, Custom Domains, certificates)
 * at most once per cycle, plans (`./plan.ts`), applies (`./apply.ts`) and
 * turns the outcome into host reports and Warning Events.
 *
 * Requests stay few: the listing is cached and reused while the hosts are
 * unchanged and nothing was written; after a write or a failure the next
 * cycle lists again, and every `resyncMs` a full listing repairs drift (a
 * record deleted by hand comes back; one changed by hand is a conflict).
 * After a failure the edge is retried with backoff ({@link EDGE_RETRY_MS}),
 * or at once when the hosts change.
 * With `dryRun` the plan is printed and nothing is written.
 *
 * @example
 * ```ts
 * const edge = new EdgeHostsReconciler({ api, settings, clock, log, maxRemovalShare: 0.5, allowMassRemoval: false });
 * const outcome = await edge.reconcile(tableInForce, cache);
 * await events.record([...compileDiagnostics, ...outcome.diagnostics], cache);
 * ```
 */
import type { Diagnostic } from '../../src/compile/api.ts';
import type { Table } from '../../src/table/schema.ts';
import type { Clock } from '../common/clock.ts';
import type { Logger } from '../common/log.ts';
import type { ObjectLookup } from '../common/kube/object-lookup.ts';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';
import { applyPlan, type HostResult } from './apply.ts';
import type { EdgeApi } from './cloudflare-edge-api.ts';
import { applyCertificates, describeCertificatePlan, type CertificateResult } from './certificates-apply.ts';
import { describeChanges, EDGE_HOST_CODES, reportDiagnostics } from './describe.ts';
import { desiredCertificates, planCertificates, type DesiredCertificate } from './tls-secrets.ts';
import { desiredHosts } from './desired.ts';
import type { DesiredHost, EdgeHostsSettings, EdgeState } from './model.ts';
import { planEdgeHosts, type HostReport } from './plan.ts';
import { zoneOf, isWildcard } from './zones.ts';

/** A full listing at least this often repairs drift made by hand. */
export const EDGE_RESYNC_MS = 5 * 60_000;
/** After a failed cycle the edge is left alone this long, doubling per failure up to the resync (a 403 must not eat the request budget). */
export const EDGE_RETRY_MS = 10_000;

export interface EdgeHostsOptions {
  readonly api: EdgeApi;
  readonly settings: EdgeHostsSettings;
  readonly clock: Clock;
  readonly log: Logger;
  readonly maxRemovalShare: number;
  readonly allowMassRemoval: boolean;
  readonly resyncMs?: number;
  /** Print the planned changes instead of making them. */
  readonly dryRun?: { readonly print: (line: string) => void };
}

export interface EdgeOutcome {
  /** Listing or some change failed; the next cycle tries again. */
  readonly failed: boolean;
  readonly reports: readonly HostReport[];
  readonly diagnostics: readonly Diagnostic[];
  /** Changes made (or, dry-run, planned). */
  readonly changes: number;
}

export class EdgeHostsReconciler {
  readonly #options: EdgeHostsOptions;
  #state: EdgeState | undefined;
  #listedAt = Number.NEGATIVE_INFINITY;
  #stale = true;
  #last: { key: string; outcome: EdgeOutcome } | undefined;
  #failures = 0;
  #retryAt = Number.NEGATIVE_INFINITY;

  constructor(options: EdgeHostsOptions) {
    this.#options = options;
  }

  /** Reports of the last reconcile (for explain-like output and tests). */
  get reports(): readonly HostReport[] {
    return this.#last?.outcome.reports ?? [];
  }

  async reconcile(table: Table | undefined, lookup: ObjectLookup): Promise<EdgeOutcome> {
    const { clock, log } = this.#options;
    const desired = desiredHosts(table, lookup);
    const key = JSON.stringify([desired, this.#certificates(table, lookup, this.#state).certificates.map((certificate) => [certificate.secret, certificate.zone.id, certificate.fingerprint])]);
    const due = this.#stale || clock.now() - this.#listedAt >= (this.#options.resyncMs ?? EDGE_RESYNC_MS);
    if (this.#last?.key === key && (this.#last.outcome.failed ? clock.now() < this.#retryAt : !due)) return this.#last.outcome;
    let state: EdgeState;
    try {
      state = due || !this.#state ? await this.#list(desired) : this.#state;
    } catch (error) {
      this.#stale = true;
      log.error('edge-hosts-list-failed', { error: describeApiError(error), hint: 'nothing was changed at the edge; retrying later' });
      return this.#remember(key, { failed: true, reports: this.#last?.outcome.reports ?? [], diagnostics: this.#last?.outcome.diagnostics ?? [], changes: 0 });
    }
    const { settings, maxRemovalShare, allowMassRemoval } = this.#options;
    const plan = planEdgeHosts(desired, state, { settings, maxRemovalShare, allowMassRemoval });
    const hosts = [...plan.detach, ...plan.attach];
    const certificates = this.#certificates(table, lookup, state);
    const certificatePlan = planCertificates(certificates.certificates, state, settings.ownerId);
    const certificateChanges = certificatePlan.upload.length + certificatePlan.replace.length + certificatePlan.remove.length;
    if (this.#options.dryRun) {
      const print = this.#options.dryRun.print;
      for (const changes of hosts) for (const line of describeChanges(changes, settings.workerName)) print(`dry-run: ${line}`);
      for (const line of describeCertificatePlan(certificatePlan)) print(`dry-run: ${line}`);
      for (const report of plan.reports) if (report.status !== 'attaching' && report.status !== 'served') print(`dry-run: ${report.status} ${report.host}: ${report.detail}`);
      return this.#remember(key, { failed: false, reports: plan.reports, diagnostics: [...reportDiagnostics(plan.reports), ...certificates.diagnostics], changes: hosts.length + certificateChanges });
    }
    const results = hosts.length > 0 ? await applyPlan(this.#options.api, hosts, settings) : [];
    const uploads = certificateChanges > 0 ? await applyCertificates(this.#options.api, certificatePlan, settings.ownerId) : [];
    // What we wrote is read back next cycle rather than patched into the cache.
    this.#stale = hosts.length > 0 || certificateChanges > 0;
    const reports = plan.reports.map((report) => withResult(report, results));
    const failed = results.some((result) => result.kind === 'failed') || uploads.some((upload) => upload.error !== undefined);
    this.#logOutcome(reports, results, uploads, hosts.length > 0 || due);
    const diagnostics = [...reportDiagnostics(reports), ...certificates.diagnostics, ...uploads.flatMap(uploadDiagnostics)];
    return this.#remember(key, { failed, reports, diagnostics, changes: hosts.length + certificateChanges });
  }

  #logOutcome(reports: readonly HostReport[], results: readonly HostResult[], uploads: readonly CertificateResult[], summary: boolean): void {
    const { log, settings, maxRemovalShare } = this.#options;
    for (const upload of uploads) if (upload.error) log.warn('edge-certificate-failed', { secret: upload.secret, zone: upload.zone, action: upload.action, error: upload.error });
    for (const result of results) if (result.kind !== 'done') log.warn('edge-host-failed', { host: result.host, conflict: result.kind === 'conflict', error: result.error, hint: 'retried next cycle' });
    const held = reports.filter((report) => report.status === 'detach-held').map((report) => report.host);
    if (held.length > 0) log.error('edge-detach-held', { reason: 'mass removal', hosts: held, maxRemovalShare, hint: 'the hosts stay attached; pass --allow-mass-removal to detach them' });
    if (!summary) return;
    const counts = Object.fromEntries(['served', 'attaching', 'conflict', 'no-zone', 'detaching', 'detach-held'].map((status) => [status, reports.filter((report) => report.status === status).length]));
    log.info('edge-hosts', { mode: settings.mode, ...counts, failed: results.filter((result) => result.kind === 'failed').length });
  }

  /** `--edge-tls upload-secrets`: the served Ingresses' spec.tls Secrets, per zone; nothing otherwise. */
  #certificates(table: Table | undefined, lookup: ObjectLookup, state: EdgeState | undefined): { certificates: DesiredCertificate[]; diagnostics: Diagnostic[] } {
    if (this.#options.settings.tls !== 'upload-secrets' || !state) return { certificates: [], diagnostics: [] };
    const { certificates, problems } = desiredCertificates(table, lookup, state.zones, this.#options.clock.now());
    return { certificates, diagnostics: problems.map(({ ingress, message }) => ingressDiagnostic(ingress, message)) };
  }

  async #list(desired: readonly DesiredHost[]): Promise<EdgeState> {
    const routed = this.#options.settings.mode === 'routes' ? desired : desired.filter((host) => isWildcard(host.host));
    const state = await this.#options.api.readState({
      coverageZones: (zone) => this.#options.settings.tls === 'upload-secrets' || routed.some((host) => zoneOf(host.host, [zone]) !== undefined),
    });
    this.#state = state;
    this.#listedAt = this.#options.clock.now();
    this.#stale = false;
    return state;
  }

  #remember(key: string, outcome: EdgeOutcome): EdgeOutcome {
    this.#last = { key, outcome };
    this.#failures = outcome.failed ? this.#failures + 1 : 0;
    const resync = this.#options.resyncMs ?? EDGE_RESYNC_MS;
    this.#retryAt = this.#options.clock.now() + Math.min(EDGE_RETRY_MS * 2 ** Math.max(0, this.#failures - 1), resync);
    return outcome;
  }
}

function uploadDiagnostics(upload: CertificateResult): Diagnostic[] {
  if (!upload.error) return [];
  return upload.ingresses.map((ingress) => ingressDiagnostic(ingress, `uploading Secret ${upload.secret} to zone ${upload.zone} as a custom certificate failed: ${upload.error} (custom certificates need a Business plan or above)`));
}

function ingressDiagnostic(ingress: string, message: string): Diagnostic {
  const [namespace = '', name = ''] = ingress.split('/');
  return { severity: 'warning', code: EDGE_HOST_CODES.certificate, object: { kind: 'Ingress', namespace, name }, field: 'spec.tls', message };
}

function withResult(report: HostReport, results: readonly HostResult[]): HostReport {
  const result = results.find((candidate) => candidate.host === report.host);
  if (!result || result.kind === 'done') return report.status === 'attaching' ? { ...report, status: 'served' } : report;
  if (result.kind === 'conflict') return { ...report, status: 'conflict', detail: `${report.host}: Cloudflare refused it (${result.error}): left untouched. To hand it to edgress, annotate the Ingress edgress.dev/adopt-host: "true"` };
  return { ...report, detail: `${report.detail}; failed: ${result.error} (retried next cycle)` };
}
