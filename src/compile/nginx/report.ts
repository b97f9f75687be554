/**
 * What a cluster's ingress-nginx Ingresses will get at the edge, before
 * moving them: per annotation, how many Ingresses use it and whether
 * edgress supports, approximates or ignores it (in the manner of
 * ingress2gateway's conversion report). `edgress compile --ingress-nginx`
 * prints it; `explain` names each Ingress's dialect from {@link ingressDialects}.
 *
 * @example
 * ```ts
 * const report = nginxMigrationReport(objects, { ingressNginx: true });
 * formatMigrationReport(report).join('\n');
 * ```
 */
import type { Dialect, KubeObject, ProviderOptions } from '../api.ts';
import { indexCluster } from '../cluster.ts';
import { DiagnosticSink } from '../diagnostics.ts';
import { dialects } from '../ownership.ts';
import { parseLabelSelector } from '../selector.ts';
import { NGINX_ANNOTATIONS, NGINX_PREFIX, type NginxStatus } from './catalog.ts';

/** `namespace/name` → dialect, for every Ingress that is served. */
export function ingressDialects(objects: readonly KubeObject[], options: ProviderOptions): Map<string, Dialect> {
  const selector = parseLabelSelector(options.labelSelector ?? '');
  const result = new Map<string, Dialect>();
  if (!selector.ok) return result;
  const cluster = indexCluster(objects, options, new DiagnosticSink());
  const dialectOf = dialects(options, cluster.classes, selector.selector);
  for (const ingress of cluster.ingresses) {
    const dialect = dialectOf(ingress);
    if (dialect) result.set(ingress.key, dialect);
  }
  return result;
}

export interface ReportLine {
  /** The annotation name after `nginx.ingress.kubernetes.io/`. */
  readonly name: string;
  readonly status: NginxStatus | 'unknown';
  readonly note: string | undefined;
  /** Ingresses (read in the nginx dialect) that set it. */
  readonly ingresses: number;
}

export interface MigrationReport {
  /** Ingresses read in the nginx dialect. */
  readonly ingresses: number;
  readonly lines: readonly ReportLine[];
}

const STATUS_ORDER: readonly ReportLine['status'][] = ['supported', 'approximated', 'ignored', 'unknown'];

export function nginxMigrationReport(objects: readonly KubeObject[], options: ProviderOptions): MigrationReport {
  const selector = parseLabelSelector(options.labelSelector ?? '');
  if (!selector.ok) return { ingresses: 0, lines: [] };
  const cluster = indexCluster(objects, options, new DiagnosticSink());
  const dialectOf = dialects(options, cluster.classes, selector.selector);
  const counts = new Map<string, number>();
  let ingresses = 0;
  for (const ingress of cluster.ingresses) {
    if (dialectOf(ingress) !== 'nginx') continue;
    ingresses++;
    for (const key of Object.keys(ingress.meta.annotations)) {
      if (key.startsWith(NGINX_PREFIX)) counts.set(key.slice(NGINX_PREFIX.length), (counts.get(key.slice(NGINX_PREFIX.length)) ?? 0) + 1);
    }
  }
  const lines = [...counts].map(([name, count]): ReportLine => {
    const known = NGINX_ANNOTATIONS[name];
    return { name, status: known?.status ?? 'unknown', note: known?.note, ingresses: count };
  });
  lines.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || b.ingresses - a.ingresses || (a.name < b.name ? -1 : 1));
  return { ingresses, lines };
}

/** The report as text lines: a summary, then one line per annotation. */
export function formatMigrationReport(report: MigrationReport): string[] {
  const total = (status: ReportLine['status']) => report.lines.filter((line) => line.status === status).length;
  const width = Math.max(10, ...report.lines.map((line) => line.name.length));
  return [
    `ingress-nginx migration report: ${report.ingresses} Ingress(es) read in the nginx dialect, ${report.lines.length} annotation(s) used`,
    `  supported ${total('supported')}, approximated ${total('approximated')}, ignored ${total('ignored')}, unknown ${total('unknown')}`,
    ...report.lines.map((line) => `  ${line.status.padEnd(12)} ${line.name.padEnd(width)} ${String(line.ingresses).padStart(4)} Ingress(es)${line.note ? `  ${line.note}` : ''}`),
  ];
}
