/**
 * Table ids of the access-control middlewares (see `middlewareId` in
 * `../table-builder.ts`): readable, derived from the configuration, and
 * free of credentials. Users are not part of an id: within one compile they
 * are a function of the Secret named in it.
 *
 * @example
 * ```ts
 * accessMiddlewareId({ kind: 'ip-allow-list', ranges: ['10.0.0.0/8'], useXForwardedFor: true });
 * // 'ip-allow-list:10.0.0.0/8:x-forwarded-for'
 * ```
 */
import type { MiddlewareOf } from '../../table/middleware.ts';

type AccessMiddleware = MiddlewareOf<'ip-allow-list' | 'basic-auth' | 'digest-auth' | 'forward-auth'>;

export function accessMiddlewareId(middleware: AccessMiddleware): string {
  switch (middleware.kind) {
    case 'ip-allow-list':
      return `ip-allow-list:${middleware.deny ? 'deny:' : ''}${middleware.ranges.join(',')}${middleware.useXForwardedFor ? ':x-forwarded-for' : ''}`;
    case 'basic-auth':
    case 'digest-auth':
      return [
        `${middleware.kind}:${middleware.secret}`,
        ...(middleware.removeHeader ? ['remove-header'] : []),
        ...(middleware.headerField ? [`header-field=${middleware.headerField}`] : []),
        ...(middleware.kind === 'basic-auth' && middleware.realm !== undefined ? [`realm=${JSON.stringify(middleware.realm)}`] : []),
      ].join(':');
    case 'forward-auth':
      return [
        `forward-auth:${middleware.address}`,
        ...(middleware.trustForwardHeader ? ['trust-headers'] : []),
        ...(middleware.responseHeaders.length > 0 ? [`response-headers=${middleware.responseHeaders.join(',')}`] : []),
        ...(middleware.tlsBinding ? [`tls=${middleware.tlsBinding}`] : []),
        ...(middleware.nginx ? [`nginx=${JSON.stringify(middleware.nginx)}`] : []),
      ].join(' ');
  }
}
