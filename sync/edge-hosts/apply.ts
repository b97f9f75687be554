/**
 * Carries out an {@link EdgePlan} in the order that keeps every host either
 * fully claimed or not at all:
 * 1. Custom Domains and routes that go (detached hosts, and our own leftovers
 *    on hosts that change mode) are removed;
 * 2. DNS records change per zone in batches (one transaction each: a claim
 *    TXT and the record it claims appear and disappear together);
 * 3. routes and Custom Domains are created, only for hosts whose records
 *    were written.
 * A host whose step fails is left for the next cycle (the claim stays, so
 * the agent finds and finishes it); a Custom Domain or route refused with
 * 409 is a conflict, and the records written for that host in this cycle
 * (its new claim) are deleted again, so a refused host stays as we found it.
 * Detached hosts go through the same steps, so their claim goes last.
 *
 * @example
 * ```ts
 * const results = await applyPlan(edge, [...plan.detach, ...plan.attach], settings);
 * ```
 */
import { BATCH_RECORDS, type EdgeApi } from './cloudflare-edge-api.ts';
import type { DnsRecord, EdgeHostsSettings } from './model.ts';
import type { HostChanges } from './plan.ts';
import { describeApiError } from '../publish/cloudflare/request-gate.ts';

export type HostResult =
  | { readonly host: string; readonly kind: 'done' }
  | { readonly host: string; readonly kind: 'failed'; readonly error: string }
  | { readonly host: string; readonly kind: 'conflict'; readonly error: string };

export async function applyPlan(edge: EdgeApi, hosts: readonly HostChanges[], settings: EdgeHostsSettings): Promise<HostResult[]> {
  const failed = new Map<string, HostResult>();
  const fail = (host: string, error: unknown) => failed.set(host, { host, kind: conflict(error) ? 'conflict' : 'failed', error: describeApiError(error) });
  for (const changes of hosts) {
    try {
      if (changes.domainDetach) await edge.detachDomain(changes.domainDetach);
      if (changes.routeDelete) await edge.deleteRoute(changes.routeDelete);
    } catch (error) {
      fail(changes.host, error);
    }
  }
  const written = new Map<string, DnsRecord[]>();
  for (const chunk of batches(hosts.filter((changes) => !failed.has(changes.host)))) {
    try {
      const posted = await edge.batch(chunk.zoneId, chunk.hosts.flatMap((changes) => changes.dnsDeletes), chunk.hosts.flatMap((changes) => changes.dnsPosts));
      for (const changes of chunk.hosts) {
        const names = new Set(changes.dnsPosts.map((record) => record.name));
        written.set(changes.host, posted.filter((record) => names.has(record.name)));
      }
    } catch (error) {
      for (const changes of chunk.hosts) fail(changes.host, error);
    }
  }
  for (const changes of hosts) {
    if (failed.has(changes.host)) continue;
    try {
      if (changes.routeCreate) await edge.createRoute(changes.zone.id, changes.routeCreate, settings.workerName);
      if (changes.domainAttach) await edge.attachDomain(changes.zone, changes.host, settings.workerName, changes.domainAttach.override);
    } catch (error) {
      fail(changes.host, error);
      const claim = written.get(changes.host) ?? [];
      // A failure to undo leaves our claim beside a conflict: harmless, and the host is reported as a conflict either way.
      if (conflict(error) && claim.length > 0) await edge.batch(changes.zone.id, claim, []).catch(() => undefined);
    }
  }
  return hosts.map((changes) => failed.get(changes.host) ?? { host: changes.host, kind: 'done' });
}

/** Hosts grouped per zone into batches of at most {@link BATCH_RECORDS} records; a host's records stay in one batch. */
function batches(hosts: readonly HostChanges[]): { zoneId: string; hosts: HostChanges[] }[] {
  const result: { zoneId: string; hosts: HostChanges[]; size: number }[] = [];
  for (const changes of hosts) {
    const size = changes.dnsDeletes.length + changes.dnsPosts.length;
    if (size === 0) continue;
    const open = result.find((chunk) => chunk.zoneId === changes.zone.id && chunk.size + size <= BATCH_RECORDS);
    if (open) {
      open.hosts.push(changes);
      open.size += size;
    } else result.push({ zoneId: changes.zone.id, hosts: [changes], size });
  }
  return result;
}

/** Cloudflare refuses a Custom Domain on a host with records or another Worker with 409 (codes 100116, 100117). */
function conflict(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && (error as { status?: unknown }).status === 409;
}
