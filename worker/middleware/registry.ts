/**
 * Every middleware kind of the table and its factory. Adding a kind to
 * `src/table/middleware.ts` without a factory here fails to type-check.
 */
import type { Middleware } from '../../src/table/middleware.ts';
import { basicAuth } from './basic-auth/index.ts';
import { digestAuth } from './digest-auth/index.ts';
import { forwardAuth } from './forward-auth/index.ts';
import { ipAllowList } from './ip-allow-list/index.ts';
import { buffering } from './buffering/index.ts';
import { circuitBreaker } from './circuit-breaker/index.ts';
import { maxConn } from './max-conn/index.ts';
import { rateLimit } from './rate-limit/index.ts';
import { addPrefix } from './add-prefix/index.ts';
import { canary } from './canary/index.ts';
import { upstreamHost } from './upstream-host/index.ts';
import { upstreamTimeout } from './upstream-host/timeout.ts';
import { cors } from './cors/index.ts';
import { customHeaders } from './custom-headers/index.ts';
import { deny } from './deny/index.ts';
import { errorPages } from './error-pages/index.ts';
import { passTlsClientCert } from './pass-tls-client-cert/index.ts';
import { redirect } from './redirect/index.ts';
import { replacePathRegex } from './replace-path-regex/index.ts';
import { replacePath } from './replace-path/index.ts';
import { securityHeaders } from './security-headers/index.ts';
import { stripPrefix } from './strip-prefix/index.ts';
import { gatewayRedirect } from './gateway-redirect/index.ts';
import { headerModifier } from './header-modifier/index.ts';
import { replacePrefix } from './replace-prefix/index.ts';
import { requestMirror } from './request-mirror/index.ts';
import type { EdgeMiddleware, MiddlewareRegistry } from './types.ts';

export const MIDDLEWARES: MiddlewareRegistry = {
  deny,
  'strip-prefix': stripPrefix,
  'replace-path': replacePath,
  'ip-allow-list': ipAllowList,
  'basic-auth': basicAuth,
  'digest-auth': digestAuth,
  'forward-auth': forwardAuth,
  'circuit-breaker': circuitBreaker,
  buffering,
  'max-conn': maxConn,
  'rate-limit': rateLimit,
  'add-prefix': addPrefix,
  'replace-path-regex': replacePathRegex,
  'error-pages': errorPages,
  redirect,
  'custom-headers': customHeaders,
  'security-headers': securityHeaders,
  'pass-tls-client-cert': passTlsClientCert,
  cors,
  canary,
  'upstream-host': upstreamHost,
  'upstream-timeout': upstreamTimeout,
  'header-modifier': headerModifier,
  'gateway-redirect': gatewayRedirect,
  'replace-prefix': replacePrefix,
  'request-mirror': requestMirror,
};

/** Builds the middleware for one table entry; throws when the entry is unusable. */
export function buildMiddleware(config: Middleware): EdgeMiddleware {
  // The registry's mapped type pairs each kind with its factory; TypeScript
  // cannot follow that pairing through an indexed access on a union.
  const factory = MIDDLEWARES[config.kind] as (config: Middleware) => EdgeMiddleware;
  return factory(config);
}
