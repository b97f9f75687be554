/**
 * Sticky sessions (Traefik `affinity`) with an opaque, tamper-evident cookie
 * value (docs/design/decisions.md#decision-11-sticky-cookie-values-are-opaque): the value is the first 16 bytes of
 * HMAC-SHA-256(`STICKY_SECRET`, cookie name + endpoint address), base64url.
 * It names no pod address; without the secret nobody can produce the value
 * of an endpoint; and a value that matches no current endpoint (stale after
 * a pod left, forged, or malformed) silently gets a fresh pick and a new
 * cookie. A request whose cookie names a live endpoint goes there and gets
 * no new cookie, as in Traefik. The cookie is a session cookie with
 * `Path=/` and the `Secure`/`HttpOnly`/`SameSite` attributes the Service asks for.
 *
 * The value ↔ endpoint maps are computed once per picker (per table version) and secret.
 *
 * @example
 * ```ts
 * const session = await stickySession(sticky, picker, request.headers, secret);
 * const endpoint = session.pinned(tried) ?? picker.pick(tried);
 * return session.finish(response, endpoint);
 * ```
 */
import type { Sticky } from '../../src/table/traffic.ts';
import type { Endpoint, EndpointPicker } from './picker.ts';

interface Values {
  readonly byValue: ReadonlyMap<string, Endpoint>;
  readonly byEndpoint: ReadonlyMap<Endpoint, string>;
}

const cache = new WeakMap<EndpointPicker, Map<string, Promise<Values>>>();

export interface StickySession {
  /** The endpoint the cookie names, unless it is unknown or already tried. */
  pinned(tried: ReadonlySet<Endpoint>): Endpoint | undefined;
  /** The response, with a `Set-Cookie` when `endpoint` is not the one the cookie named. */
  finish(response: Response, endpoint: Endpoint): Response;
}

export async function stickySession(sticky: Sticky, picker: EndpointPicker, headers: Headers, secret: string): Promise<StickySession> {
  const values = await valuesFor(picker, sticky.cookie, secret);
  const sent = cookieValue(headers.get('cookie'), sticky.cookie);
  const named = sent === undefined ? undefined : values.byValue.get(sent);
  return {
    pinned: (tried) => (named && !tried.has(named) ? named : undefined),
    finish(response, endpoint) {
      const value = values.byEndpoint.get(endpoint);
      if (endpoint === named || value === undefined) return response;
      try {
        response.headers.append('set-cookie', setCookie(sticky, value));
      } catch {
        // A WebSocket upgrade's headers are immutable: the next request picks again.
      }
      return response;
    },
  };
}

function valuesFor(picker: EndpointPicker, cookie: string, secret: string): Promise<Values> {
  let bySecret = cache.get(picker);
  if (!bySecret) cache.set(picker, (bySecret = new Map()));
  const key = `${cookie}\n${secret}`;
  let values = bySecret.get(key);
  if (!values) {
    values = computeValues(picker.endpoints, cookie, secret);
    bySecret.set(key, values);
  }
  return values;
}

async function computeValues(endpoints: readonly Endpoint[], cookie: string, secret: string): Promise<Values> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const byValue = new Map<string, Endpoint>();
  const byEndpoint = new Map<Endpoint, string>();
  for (const endpoint of endpoints) {
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${cookie}\n${endpoint.address}`)));
    const value = base64url(mac.subarray(0, 16));
    byValue.set(value, endpoint);
    byEndpoint.set(endpoint, value);
  }
  return { byValue, byEndpoint };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The value of cookie `name` in a Cookie header, if present. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function setCookie(sticky: Sticky, value: string): string {
  const sameSite = sticky.sameSite && `SameSite=${sticky.sameSite[0]?.toUpperCase()}${sticky.sameSite.slice(1)}`;
  return [`${sticky.cookie}=${value}`, 'Path=/', sticky.secure && 'Secure', sticky.httpOnly && 'HttpOnly', sameSite].filter(Boolean).join('; ');
}
