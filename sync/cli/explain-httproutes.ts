/**
 * For `edgress explain` when no rule names a host: the HTTPRoutes of the
 * manifests that do name it (exactly, or by a `*.` wildcard of one or more
 * labels), each with why it gives this host no route: served only for other
 * hosts (no listener hostname covers this one), the error the compile gave
 * (not accepted first), or, without one, that no Gateway of ours takes it.
 *
 * @example
 * ```ts
 * unservedHttpRoutes('shop.example.com', input.objects, input.diagnostics, input.table);
 * // [{ route: 'shop/web', detail: 'RouteNotAccepted spec.parentRefs[0]: not accepted by Gateway infra/edge: ...' }]
 * ```
 */
import type { Diagnostic, KubeObject } from '../../src/compile/api.ts';
import type { Table } from '../../src/table/schema.ts';

export interface UnservedRoute {
  /** `namespace/name`. */
  readonly route: string;
  readonly detail: string;
}

export function unservedHttpRoutes(host: string, objects: readonly KubeObject[], diagnostics: readonly Diagnostic[], table: Table): UnservedRoute[] {
  const served = new Set(table.routers.filter((router) => router.origin === 'httproute').map((router) => router.source));
  const found: UnservedRoute[] = [];
  for (const object of objects) {
    if (object.kind !== 'HTTPRoute' || typeof object.apiVersion !== 'string' || !object.apiVersion.startsWith('gateway.networking.k8s.io/')) continue;
    const metadata = record(object.metadata);
    const name = typeof metadata?.['name'] === 'string' ? metadata['name'] : '';
    const namespace = typeof metadata?.['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : 'default';
    const key = `${namespace}/${name}`;
    const hostnames = record(object['spec'])?.['hostnames'];
    if (!Array.isArray(hostnames) || !hostnames.some((pattern) => typeof pattern === 'string' && covers(pattern.toLowerCase(), host))) continue;
    if (served.has(key)) {
      found.push({ route: key, detail: 'served for other hosts; no listener hostname of its Gateways covers this one' });
      continue;
    }
    const errors = diagnostics.filter((d) => d.severity === 'error' && d.object.kind === 'HTTPRoute' && d.object.namespace === namespace && d.object.name === name);
    // Why it is not accepted says more than a backend problem of one rule.
    const error = errors.find((d) => d.code === 'RouteNotAccepted') ?? errors.find((d) => d.code !== 'InvalidBackendRef') ?? errors[0];
    found.push({
      route: key,
      detail: error ? `${error.code}${error.field ? ` ${error.field}` : ''}: ${error.message}` : 'no Gateway of ours takes it (its parents belong to another controller, or do not exist)',
    });
  }
  return found;
}

/** A Gateway API hostname pattern: exact, or `*.suffix` covering one or more labels. */
function covers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
}

function record(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
