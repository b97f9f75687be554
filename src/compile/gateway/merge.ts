/**
 * The Ingress result and the Gateway API part in one table: Ingress routers
 * first, then HTTPRoute routers; middlewares and services by id (a pool both
 * sides use is built the same by both, so it is one entry). An HTTPRoute
 * match equal to an Ingress route (same host, path match and schemes, and no
 * method, header or query condition) is left out with a `ShadowedRoute`
 * warning: the Ingress answers
 * (docs/design/decisions.md#decision-20-an-ingress-route-wins-an-equal-httproute-match).
 * Both the full and the incremental compiler merge with this, so their
 * results stay equal.
 *
 * @example
 * ```ts
 * const result = withGatewayApi(ingressResult, compileGatewayApi(objects, cluster, options));
 * ```
 */
import type { CompileResult, Diagnostic } from '../api.ts';
import { DiagnosticSink, quote } from '../diagnostics.ts';
import type { Table } from '../../table/schema.ts';
import { claimKey } from '../table-builder.ts';
import type { GatewayPart } from './index.ts';
import { ISOLATION_ROUTER } from './isolation.ts';
import type { GatewayRouter } from './routers.ts';

export function withGatewayApi(ingress: CompileResult, part: GatewayPart | undefined): CompileResult {
  if (!part) return ingress;
  const { table } = ingress;
  const claims = new Map<string, string>();
  for (const router of table.routers) claims.set(claimKey(router.host, router.match, router.schemes), router.source);
  const sink = new DiagnosticSink();
  const routers: GatewayRouter[] = [];
  for (const router of part.routers) {
    const owner = narrowsRequests(router) || router.hostWildcard || router.match.type === 'full-regex' ? undefined : claims.get(claimKey(router.host, router.match, router.schemes));
    if (owner === undefined) routers.push(router);
    // An isolation router only holds its host group open; an Ingress route that claims it does that already.
    else if (!router.id.includes(ISOLATION_ROUTER)) {
      const what = `${router.host ? `host ${quote(router.host)}` : 'any host'} ${router.match.type} ${quote('path' in router.match ? router.match.path : '')}`;
      sink.about({ kind: 'HTTPRoute', namespace: router.source.slice(0, router.source.indexOf('/')), name: router.source.slice(router.source.indexOf('/') + 1) })
        .warn('ShadowedRoute', matchField(router.id), `${what} is also routed by Ingress ${owner}, which answers (Ingress routes win equal matches)`);
    }
  }
  const merged: Table = {
    ...table,
    routers: [...table.routers, ...routers],
    middlewares: sortedUnion(table.middlewares, part.middlewares),
    services: sortedUnion(table.services, part.services),
  };
  const diagnostics: Diagnostic[] = [...ingress.diagnostics, ...part.diagnostics, ...sink.list];
  return { ...ingress, table: merged, diagnostics, gateway: part.report, ...(part.served.length || part.notAccepted.length || part.elsewhere.length ? { httpRoutes: httpRouteCounts(part) } : {}) };
}

/**
 * A method, header or query condition makes a router more specific than an equal Ingress match;
 * a listener port alone does not (the Ingress route answers on every port, so it still wins).
 */
function narrowsRequests(router: GatewayRouter): boolean {
  const conditions = router.conditions;
  return conditions !== undefined && (conditions.method !== undefined || (conditions.headers?.length ?? 0) > 0 || (conditions.query?.length ?? 0) > 0);
}

function httpRouteCounts(part: GatewayPart): NonNullable<CompileResult['httpRoutes']> {
  const elsewhere = part.elsewhere.length > 0 ? { elsewhere: part.elsewhere, controllers: part.controllers } : {};
  return { served: part.served, notAccepted: part.notAccepted, ...elsewhere };
}

/** `spec.rules[r].matches[m]` of a router id `ns/name#rule<r>.match<m>@host`. */
function matchField(id: string): string | undefined {
  const found = /#rule(\d+)\.match(\d+)/.exec(id);
  return found ? `spec.rules[${found[1]}].matches[${found[2]}]` : undefined;
}

function sortedUnion<V>(record: Readonly<Record<string, V>>, more: ReadonlyMap<string, V>): Record<string, V> {
  const all = new Map<string, V>(Object.entries(record));
  for (const [id, value] of more) if (!all.has(id)) all.set(id, value);
  const out: Record<string, V> = {};
  for (const id of [...all.keys()].sort()) out[id] = all.get(id)!;
  return out;
}
