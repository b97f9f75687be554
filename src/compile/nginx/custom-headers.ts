/**
 * `custom-headers` (annotations.md "Custom Headers";
 * test/e2e/annotations/customheaders.go): a ConfigMap of the Ingress's
 * namespace (`name` or `namespace/name`) whose entries are set on every
 * response, as `more_set_headers` does. Names and values are checked here
 * (CR/LF refused); a missing ConfigMap or a bad entry leaves the headers out
 * with an error.
 *
 * @example
 * ```ts
 * readCustomHeaders(annotations, 'shop', cluster, report);
 * // { kind: 'custom-headers', request: { set: [], remove: [] }, response: { set: [['X-Using-Nginx-Controller', 'true']], remove: [] } }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { edgeOwnsResponseHeader, headerNameProblem, headerValueProblem } from '../annotations/header-rules.ts';
import type { ClusterObjects } from '../cluster.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import { nginxAnnotation } from './catalog.ts';

export function readNginxCustomHeaders(
  annotations: Readonly<Record<string, string>>,
  namespace: string,
  cluster: Pick<ClusterObjects, 'configMap'>,
  report: Reporter,
): MiddlewareOf<'custom-headers'> | undefined {
  const found = nginxAnnotation(annotations, 'custom-headers');
  if (!found || found.value.trim() === '') return undefined;
  const [first = '', second] = found.value.trim().split('/', 2);
  const [mapNamespace, name] = second === undefined ? [namespace, first] : [first, second];
  if (mapNamespace !== namespace) {
    report.error('InvalidAnnotation', found.key, `custom-headers names ConfigMap ${quote(found.value)} of another namespace; only namespace ${namespace} is read; no headers added`);
    return undefined;
  }
  const configMap = cluster.configMap(namespace, name);
  if (!configMap) {
    report.error('InvalidAnnotation', found.key, `custom-headers: ConfigMap ${namespace}/${name} does not exist; no headers added`);
    return undefined;
  }
  const set: [string, string][] = [];
  for (const headerName of Object.keys(configMap.data).sort()) {
    const value = configMap.data[headerName];
    const problem = headerNameProblem(headerName)
      ?? (edgeOwnsResponseHeader(headerName) ? 'is a header the edge sets itself' : undefined)
      ?? (typeof value !== 'string' ? 'has no string value' : headerValueProblem(value));
    if (problem) {
      report.error('InvalidAnnotation', found.key, `custom-headers: ConfigMap ${namespace}/${name} entry ${quote(headerName)} ${problem}; no headers added`);
      return undefined;
    }
    set.push([headerName, value as string]);
  }
  return set.length > 0 ? { kind: 'custom-headers', request: { set: [], remove: [] }, response: { set, remove: [] } } : undefined;
}
