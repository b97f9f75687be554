/**
 * Edge-host plans and reports in words: one line per Cloudflare change (for
 * `--dry-run` and logs) and per host (for `edgress explain`), and the Warning
 * Events a host's Ingresses get.
 *
 * @example
 * ```ts
 * describeChanges(changes, 'edgress'); // ['dns create AAAA shop.example.com 100:: proxied (zone example.com)', …]
 * ```
 */
import type { Diagnostic } from '../../src/compile/api.ts';
import type { HostChanges, HostReport } from './plan.ts';

/** Event reasons of edge hosts. */
export const EDGE_HOST_CODES = { conflict: 'EdgeHostConflict', noZone: 'EdgeHostNoZone', notCovered: 'EdgeTLSNotCovered', certificate: 'EdgeTLSCertificate' } as const;

export function describeChanges(changes: HostChanges, worker: string): string[] {
  const zone = `(zone ${changes.zone.name})`;
  return [
    ...(changes.domainDetach ? [`domain detach ${changes.domainDetach.hostname} from Worker ${changes.domainDetach.service} ${zone}`] : []),
    ...(changes.routeDelete ? [`route delete ${changes.routeDelete.pattern} ${zone}`] : []),
    ...changes.dnsDeletes.map((record) => `dns delete ${record.type} ${record.name} ${record.content} ${zone}`),
    ...changes.dnsPosts.map((record) => `dns create ${record.type} ${record.name} ${record.content}${record.proxied ? ' proxied' : ''} ${zone}`),
    ...(changes.routeCreate ? [`route create ${changes.routeCreate} to Worker ${worker} ${zone}`] : []),
    ...(changes.domainAttach ? [`domain attach ${changes.host} to Worker ${worker}${changes.domainAttach.override ? ' (adopted from another Worker)' : ''} ${zone}`] : []),
  ];
}

/** Lines of `edgress explain` for one host. */
export function describeReport(report: HostReport): string[] {
  return [
    `edge host:   ${report.host}${report.zone ? ` (zone ${report.zone})` : ''}: ${report.status}${report.via ? ` via ${report.via}` : ''}`,
    `  ${report.detail}`,
    ...(report.tls ? [`  tls: ${report.tls.detail}`] : report.via === 'custom-domain' ? ['  tls: the Custom Domain has a certificate of its own'] : []),
  ];
}

/** Warning Events for the Ingresses and HTTPRoutes of hosts in conflict, in no zone, or without a certificate. */
export function reportDiagnostics(reports: readonly HostReport[]): Diagnostic[] {
  return reports.flatMap((report) => {
    const found: { code: string; message: string }[] = [];
    if (report.status === 'conflict') found.push({ code: EDGE_HOST_CODES.conflict, message: report.detail });
    if (report.status === 'no-zone') found.push({ code: EDGE_HOST_CODES.noZone, message: report.detail });
    if (report.tls && !report.tls.covered && report.status !== 'conflict') found.push({ code: EDGE_HOST_CODES.notCovered, message: report.tls.detail });
    const objects = [...report.ingresses.map((key) => ['Ingress', key, 'spec.rules[].host']), ...(report.httpRoutes ?? []).map((key) => ['HTTPRoute', key, 'spec.hostnames'])];
    return objects.flatMap(([kind = '', key = '', field]) => {
      const [namespace = '', name = ''] = key.split('/');
      return found.map(({ code, message }): Diagnostic => ({ severity: 'warning', code, object: { kind, namespace, name }, field, message }));
    });
  });
}
