/**
 * What `edgress dev`'s front accepts as a request before the worker sees
 * it, standing in for Cloudflare's edge (RFC 9112 §3.2, §3.3):
 * - exactly one `Host` header, whose value is a host and optional port
 *   (no user info, path, list or spaces; no empty label such as `.example`
 *   or `a..example`, one trailing dot allowed; a port of 0-65535);
 * - `Transfer-Encoding`, when present, exactly `chunked` (Node's parser
 *   already refuses it beside `Content-Length`, and a bad chunk);
 * - an origin-form target (`/path?query`), or an absolute-form one
 *   (`http://host/path`), which is turned into origin-form with its
 *   authority as the `Host` (the header the client sent is replaced, as the
 *   RFC requires); user info in it, other schemes, asterisk-form and
 *   authority-form are refused.
 * Anything else is a 400, so the worker always gets an origin-form request
 * with one well-formed Host, as it does behind Cloudflare.
 *
 * @example
 * ```ts
 * originForm(req); // { path: '/admin', host: 'shop.example.com' } or { error: 'two Host headers' }
 * ```
 */
import type http from 'node:http';

export type OriginForm = { readonly path: string; readonly host: string } | { readonly error: string };

const HOST_VALUE = /^(?:\[[0-9A-Fa-f:.]+\]|(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*\.?)?)(?::([0-9]{0,5}))?$/;

/** A host and optional port as a Host header or authority may carry them. */
export function isHostValue(value: string): boolean {
  const match = HOST_VALUE.exec(value);
  if (!match) return false;
  const port = match[1];
  return port === undefined || port === '' || Number(port) <= 65535;
}
const ABSOLUTE = /^(https?):\/\/([^/?#]*)(.*)$/i;

/** The request's path and Host as the worker should see them, or why the request is refused. */
export function originForm(req: http.IncomingMessage): OriginForm {
  const target = req.url ?? '';
  const codings = req.headers['transfer-encoding'];
  if (codings !== undefined && codings.trim().toLowerCase() !== 'chunked') return { error: 'a transfer coding other than chunked' };
  const hosts = hostHeaders(req);
  if (hosts.length > 1) return { error: 'more than one Host header' };
  const absolute = ABSOLUTE.exec(target);
  if (absolute) {
    const [, , authority = '', rest = ''] = absolute;
    if (!isHostValue(authority) || authority === '') return { error: 'the request target has no usable authority' };
    return { path: rest.startsWith('/') ? rest : `/${rest}`, host: authority };
  }
  if (!target.startsWith('/')) return { error: 'the request target is not origin-form or http(s) absolute-form' };
  const host = hosts[0];
  if (host === undefined) return req.httpVersion === '1.0' ? { path: target, host: '' } : { error: 'no Host header' };
  if (!isHostValue(host)) return { error: 'the Host header is not a host and port' };
  return { path: target, host };
}

function hostHeaders(req: http.IncomingMessage): string[] {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() === 'host') values.push((req.rawHeaders[i + 1] ?? '').trim());
  }
  return values;
}
