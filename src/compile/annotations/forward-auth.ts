/**
 * `auth-type: forward` (docs/guides/access-control.md): `auth-url` (required,
 * absolute http(s), no credentials in it), `auth-trust-headers`,
 * `auth-response-headers`, and the client certificate of
 * `auth-tls-secret`. The Workers runtime presents a client certificate only
 * through an mTLS certificate binding (wrangler.toml `[[mtls_certificates]]`),
 * so the Secret is checked here and the table names the binding that must
 * hold it, `AUTH_TLS_<NAMESPACE>_<NAME>`; the private key never enters the
 * table. `auth-tls-insecure` cannot be honoured: the runtime always verifies
 * the server's certificate.
 *
 * @example
 * ```ts
 * readForwardAuth(reader); // { kind: 'forward-auth', address: 'http://auth.shop/verify', trustForwardHeader: false, responseHeaders: ['X-Auth-User'] }
 * ```
 */
import type { Middleware, MiddlewareOf } from '../../table/middleware.ts';
import { HeaderNameSchema } from '../../table/middleware.ts';
import { quote } from '../diagnostics.ts';
import { isPem } from '../tls.ts';
import { isDeny, type AuthReader } from './auth.ts';
import { secretEntries } from './auth-secret.ts';
import { lookupAnnotation } from './lookup.ts';
import { canonicalHeaderName, parseGoBool, parseList } from './values.ts';

/** Headers an auth server's answer may not set on the request: the transport and framing own them. */
const NOT_COPIED = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'te', 'trailer', 'upgrade']);

const TLS_KEYS = ['tls.crt', 'tls.key'] as const;

/** The binding an `auth-tls-secret` must be uploaded to, from its namespace and name. */
export function mtlsBindingName(namespace: string, name: string): string {
  return `AUTH_TLS_${namespace}_${name}`.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

export function readForwardAuth(auth: AuthReader): Middleware {
  const url = auth.value('auth-url');
  if (!url) return auth.fail('InvalidAuth', auth.typeKey, 'auth-url is required for forward auth');
  let address: URL;
  try {
    address = new URL(url.value);
  } catch {
    return auth.fail('InvalidAuth', url.key, `auth-url ${quote(url.value)} is not an absolute URL`);
  }
  if (address.protocol !== 'http:' && address.protocol !== 'https:') return auth.fail('InvalidAuth', url.key, 'auth-url must be http or https');
  if (address.username !== '' || address.password !== '') {
    return auth.fail('InvalidAuth', url.key, 'auth-url must not carry credentials (they would be stored in the routing table)');
  }
  const trustForwardHeader = auth.bool('auth-trust-headers');
  if (typeof trustForwardHeader !== 'boolean') return trustForwardHeader;
  const responseHeaders = readResponseHeaders(auth);
  if (isDeny(responseHeaders)) return responseHeaders;
  warnInsecure(auth);
  const tlsBinding = readTlsBinding(auth);
  if (tlsBinding !== undefined && typeof tlsBinding !== 'string') return tlsBinding;
  return {
    kind: 'forward-auth',
    address: address.href,
    trustForwardHeader,
    responseHeaders,
    ...(tlsBinding !== undefined ? { tlsBinding } : {}),
  };
}

function readResponseHeaders(auth: AuthReader): string[] | MiddlewareOf<'deny'> {
  const found = auth.value('auth-response-headers');
  if (!found) return [];
  const names: string[] = [];
  for (const entry of parseList(found.value)) {
    if (!HeaderNameSchema.safeParse(entry).success) return auth.fail('InvalidAuth', found.key, `auth-response-headers: ${quote(entry)} is not a header name`);
    if (NOT_COPIED.has(entry.toLowerCase())) return auth.fail('InvalidAuth', found.key, `auth-response-headers: ${quote(entry)} cannot be copied onto a request`);
    const name = canonicalHeaderName(entry);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function warnInsecure(auth: AuthReader): void {
  const found = lookupAnnotation(auth.annotations, 'auth-tls-insecure');
  if (!found || found.value === '') return;
  const value = parseGoBool(found.value);
  if (value === undefined) {
    auth.report.warn('InvalidAnnotation', found.key, `auth-tls-insecure ${quote(found.value)} is not a boolean; the certificate is verified`);
  } else if (value) {
    auth.report.warn('IgnoredAnnotation', found.key, "auth-tls-insecure cannot be honoured: the Workers runtime always verifies the auth server's certificate");
  }
}

function readTlsBinding(auth: AuthReader): string | MiddlewareOf<'deny'> | undefined {
  const name = auth.value('auth-tls-secret');
  if (!name) return undefined;
  const secret = auth.secrets.secret(name.value);
  const where = `Secret ${quote(name.value)}`;
  if (!secret) return auth.fail('InvalidAuthSecret', name.key, `${where} not found in namespace ${quote(auth.secrets.namespace)}`);
  const entries = secretEntries(secret);
  if (entries.length !== TLS_KEYS.length || !entries.every((entry, index) => entry.key === TLS_KEYS[index])) {
    return auth.fail('InvalidAuthSecret', name.key, `${where} must have exactly the keys tls.crt and tls.key`);
  }
  if (!entries.every((entry) => entry.text !== undefined && isPem(entry.text))) {
    return auth.fail('InvalidAuthSecret', name.key, `${where}: tls.crt and tls.key must be PEM`);
  }
  return mtlsBindingName(auth.secrets.namespace, name.value);
}
