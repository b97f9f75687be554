/**
 * The request to the auth server (docs/guides/access-control.md; docs/design/decisions.md#decision-8-redirects-see-the-client-url and #decision-10-no-client-header-can-impersonate
 * and 13): a GET without body carrying the request's headers as they would
 * go upstream (hop-by-hop and framing headers dropped; `Host` is the auth
 * URL's), plus
 * - `X-Forwarded-For`: the client (`CF-Connecting-IP`); with
 *   `auth-trust-headers`, the client's own chain, then `, ` and the client;
 * - `X-Forwarded-Method`, `-Proto`, `-Host`, `-Uri`: the method, the scheme,
 *   the Host header and the URI the client requested (before any path
 *   modifier, its path normalised exactly as the pod receives it, so the
 *   auth server's path rules judge the pod's path: SECURITY.md findings), or the
 *   client's own values when trusted;
 * - `X-Forwarded-Port`: only the client's value, when trusted.
 * Without trust, no client `X-Forwarded-*` reaches the auth server (Traefik
 * passed the untrusted ones it did not overwrite, such as `-Port`).
 */
import type { RequestContext } from '../types.ts';

/** Dropped from the auth request: it has no body, and the runtime frames it. */
const NOT_SENT = new Set(['content-length', 'content-type', 'transfer-encoding', 'expect']);

const OVERRIDDEN = ['x-forwarded-method', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-uri'] as const;

export function authRequestHeaders(context: RequestContext, trust: boolean): Headers {
  const headers = new Headers();
  for (const [name, value] of context.headers) if (!NOT_SENT.has(name)) headers.append(name, value);
  const client = context.request.headers;
  if (trust) {
    for (const [name, value] of client) if (name.startsWith('x-forwarded-')) headers.set(name, value);
  }
  const chain = trust ? client.get('x-forwarded-for') : null;
  const forwardedFor = [chain, context.clientIp].filter((part) => part !== null && part !== undefined && part !== '').join(', ');
  if (forwardedFor) headers.set('x-forwarded-for', forwardedFor);
  else headers.delete('x-forwarded-for');
  const own: Record<(typeof OVERRIDDEN)[number], string> = {
    'x-forwarded-method': context.request.method,
    'x-forwarded-proto': context.scheme,
    'x-forwarded-host': context.hostHeader,
    'x-forwarded-uri': context.url.pathname + context.url.search,
  };
  for (const name of OVERRIDDEN) {
    const sent = trust ? client.get(name) : null;
    headers.set(name, sent ? sent : own[name]);
  }
  return headers;
}
