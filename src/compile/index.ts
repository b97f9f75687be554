/**
 * The compiler: Kubernetes objects in, routing table and diagnostics out.
 * Runtime-agnostic (Web APIs only) and total: it never throws, whatever the
 * input; a problem becomes a diagnostic and the rest of the cluster compiles.
 *
 * @example
 * ```ts
 * const { objects, errors } = parseManifests(yamlText, 'ingress.yaml');
 * const { table, diagnostics, served } = compile(objects, { ingressClass: '' });
 * for (const d of diagnostics) console.error(formatDiagnostic(d));
 * ```
 */
import type { CompileResult, Dialect, KubeObject, ProviderOptions } from './api.ts';
import { TABLE_SCHEMA_VERSION } from '../table/schema.ts';
import { indexCluster } from './cluster.ts';
import { DiagnosticSink, quote } from './diagnostics.ts';
import { compileGatewayApi } from './gateway/index.ts';
import { withGatewayApi } from './gateway/merge.ts';
import { nginxCanaries } from './nginx/canary.ts';
import { nginxRegexHosts } from './nginx/regex-hosts.ts';
import { dialects } from './ownership.ts';
import { Pools } from './pools.ts';
import { compileIngress, type CompileContext } from './routes.ts';
import { parseLabelSelector } from './selector.ts';
import { TableBuilder } from './table-builder.ts';

export type { CompileResult, Diagnostic, KubeObject, ObjectRef, ProviderOptions } from './api.ts';
export { DEFAULT_CONTROLLER_NAME, DEFAULT_GATEWAY_CONTROLLER, DEFAULT_NGINX_CONTROLLER, type Dialect } from './api.ts';
export type {
  GatewayClassStatus, GatewayCondition, GatewayStatus, GatewayStatusReport, HTTPRouteStatus, ListenerStatus,
  ParentRefStatusKey, RouteGroupKind, RouteParentStatus,
} from './gateway/report.ts';
export { NGINX_ANNOTATIONS, NGINX_DIALECT_KEYS, NGINX_KNOWN_KEYS, NGINX_PREFIX } from './nginx/catalog.ts';
export { formatMigrationReport, ingressDialects, nginxMigrationReport, type MigrationReport } from './nginx/report.ts';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.ts';
export { formatDiagnostic } from './diagnostics.ts';
export { parseManifests, type ManifestError, type ParsedManifests } from './manifests.ts';
export { parseLabelSelector, type LabelSelector } from './selector.ts';
export {
  formatSelectionSummary, selectIngresses, SKIP_REASONS, summarizeSelection,
  type IngressSelection, type OwnershipDecision, type SelectionSummary, type SkipReason,
} from './selection.ts';

/** The object provider-option diagnostics are about. */
const OPTIONS = { kind: 'ProviderOptions', name: 'provider' } as const;

/**
 * Compiles the objects into a table. Ingresses are compiled oldest first so
 * that duplicates and the default backend go to the oldest, and routers are
 * emitted in that order (the matcher's last tie-break).
 */
export function compile(objects: readonly KubeObject[], options: ProviderOptions): CompileResult {
  const sink = new DiagnosticSink();
  try {
    return compileAll(objects, options, sink);
  } catch (error) {
    sink.about(OPTIONS).error('InternalError', undefined, `compile failed: ${describeError(error)}`);
    return { table: { schema: TABLE_SCHEMA_VERSION, routers: [], middlewares: {}, services: {} }, diagnostics: sink.list, served: [] };
  }
}

function compileAll(objects: readonly KubeObject[], options: ProviderOptions, sink: DiagnosticSink): CompileResult {
  const cluster = indexCluster(objects, options, sink);
  const table = new TableBuilder();
  const pools = new Pools(cluster, sink);
  const served: string[] = [];
  const selector = parseLabelSelector(options.labelSelector ?? '');
  if (!selector.ok) {
    const message = `${quote(options.labelSelector)}: ${selector.error}; no Ingress is served`;
    sink.about(OPTIONS).error('InvalidLabelSelector', 'labelSelector', message);
  } else {
    const dialectOf = dialects(options, cluster.classes, selector.selector);
    const owned = cluster.ingresses.map((ingress) => ({ ingress, dialect: dialectOf(ingress) }));
    const nginx = owned.flatMap(({ ingress, dialect }) => (dialect === 'nginx' ? [ingress] : []));
    const ctx: CompileContext = { cluster, options, pools, table, sink, nginxRegexHosts: nginxRegexHosts(nginx), nginxCanaries: nginxCanaries(nginx) };
    for (const { ingress, dialect } of owned) {
      if (dialect && compileGuarded(ingress, ctx, dialect)) served.push(ingress.key);
    }
  }
  const ingress: CompileResult = { table: table.build(pools.services()), diagnostics: sink.list, served: served.sort() };
  try {
    return withGatewayApi(ingress, compileGatewayApi(objects, cluster, options));
  } catch (error) {
    // A defect in the Gateway API part costs the HTTPRoutes only.
    return { ...ingress, diagnostics: [...ingress.diagnostics, { severity: 'error', code: 'InternalError', object: OPTIONS, message: `compiling Gateway API objects failed: ${describeError(error)}` }] };
  }
}

/** A defect in one Ingress's compile costs that Ingress only. */
function compileGuarded(ingress: Parameters<typeof compileIngress>[0], ctx: CompileContext, dialect: Dialect): boolean {
  try {
    return compileIngress(ingress, ctx, dialect);
  } catch (error) {
    ctx.sink.about(ingress.ref).error('InternalError', undefined, `compiling this Ingress failed: ${describeError(error)}`);
    return false;
  }
}

function describeError(error: unknown): string {
  return quote(error instanceof Error ? error.message : String(error));
}
