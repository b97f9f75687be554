/**
 * `default-backend` and `custom-http-errors`
 * (docs/user-guide/nginx-configuration/annotations.md "Default Backend",
 * "Custom HTTP Errors"; test/e2e/annotations/customhttperrors.go): the
 * annotation's Service (of the Ingress's namespace, its only or first port)
 * answers for routes whose Service has no ready endpoint, and a response
 * whose status is listed in `custom-http-errors` is replaced by the
 * Service's answer to `GET /` (the status kept), asked with nginx's `X-Code`
 * headers (docs/user-guide/custom-errors.md).
 *
 * @example
 * ```ts
 * readNginxErrors(annotations, ctx, namespace, name, report); // { fallbackPool: 'shop/errors:80', pages: { kind: 'error-pages', … } }
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';
import { quote, type Reporter } from '../diagnostics.ts';
import type { CompileContext } from '../routes.ts';
import { nginxAnnotation } from './catalog.ts';

export interface NginxErrors {
  /** The pool that answers when a route's own pool has no endpoint. */
  readonly fallbackPool: string | undefined;
  readonly pages: MiddlewareOf<'error-pages'> | undefined;
}

const NONE: NginxErrors = { fallbackPool: undefined, pages: undefined };

export function readNginxErrors(annotations: Readonly<Record<string, string>>, ctx: CompileContext, namespace: string, ingress: string, report: Reporter): NginxErrors {
  const backend = nginxAnnotation(annotations, 'default-backend');
  const codes = nginxAnnotation(annotations, 'custom-http-errors');
  if (!backend || backend.value.trim() === '') {
    if (codes && codes.value.trim() !== '') report.warn('IgnoredAnnotation', codes.key, 'custom-http-errors needs default-backend at the edge (there is no global default backend to send errors to)');
    return NONE;
  }
  const name = backend.value.trim();
  const ports = ctx.cluster.service(namespace, name)?.ports;
  const first = ports?.[0];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !first) {
    report.error('InvalidAnnotation', backend.key, `default-backend ${quote(name)} is not a Service of namespace ${namespace} with a port; ignored`);
    return NONE;
  }
  const pool = ctx.pools.resolve(namespace, { name, port: { number: first.port } }, undefined);
  if (pool.problem) report.warn(pool.problem.code, backend.key, `default-backend ${namespace}/${name}: ${pool.problem.message}`);
  const statuses: [number, number][] = [];
  for (const entry of codes ? codes.value.split(',').map((part) => part.trim()).filter(Boolean) : []) {
    const code = /^[1-5][0-9]{2}$/.test(entry) ? Number(entry) : undefined;
    if (code === undefined) report.warn('InvalidAnnotation', codes?.key, `custom-http-errors: ${quote(entry)} is not a status code; skipped`);
    else statuses.push([code, code]);
  }
  const pages: MiddlewareOf<'error-pages'> | undefined = statuses.length > 0
    ? { kind: 'error-pages', pages: [{ name: 'custom-http-errors', statuses, service: pool.id, path: '/', nginx: { namespace, ingress } }] }
    : undefined;
  return { fallbackPool: pool.id, pages };
}
