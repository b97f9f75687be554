/**
 * Request headers between the client and the pod: what the edge drops, what
 * it never accepts from a client, and the forwarding headers it sets.
 * Header names from `Headers` iteration are lower case, so every rule here
 * holds whatever letter case the client used.
 */
import type { Scheme } from '../../src/table/schema.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded in either direction. */
export const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Headers only the edge may set (docs/design/decisions.md#decision-10-no-client-header-can-impersonate): a client's copy is removed
 * before anything else runs, so it can never pass for the edge's own.
 * `forwarded` (RFC 7239) is removed too: pods that read it would otherwise
 * trust the client.
 */
export const EDGE_ONLY = new Set(['x-real-ip', 'x-replaced-path', 'forwarded']);
export const EDGE_ONLY_PREFIXES = ['x-forwarded-', 'x-edgress-'] as const;

/**
 * Headers with which Symfony, Laravel, Zend and IIS (URL Rewrite) serve
 * another path than the request's (SECURITY.md, findings and fixes): a client could reach a path
 * the edge never authorised. Removed in every spelling unless the route sets
 * `pass-original-url-headers`.
 */
export const URL_OVERRIDES = new Set(['x-original-url', 'x-rewrite-url', 'x-original-uri']);

/** Whether `name` (lower case) is one of {@link URL_OVERRIDES}, with `_` for `-` too. */
export function isUrlOverride(name: string): boolean {
  return URL_OVERRIDES.has(name.includes('_') ? name.replaceAll('_', '-') : name);
}

/** Whether the request asks for a WebSocket upgrade (Upgrade/Connection then stay). */
export function isWebSocketUpgrade(headers: Headers): boolean {
  return headers.get('upgrade')?.trim().toLowerCase() === 'websocket';
}

/**
 * Request headers on their way upstream while nothing has asked for them as
 * `Headers`: lower-case names to values, in a null-prototype object (so a
 * header named `__proto__` is a name like any other). workerd takes such a
 * record as `fetch`'s headers, and building it costs a fraction of the
 * `Headers` calls it replaces (docs/measurements/performance.md, "Third round").
 */
export type HeaderRecord = Record<string, string>;

/** Upstream request headers: a `Headers` once a middleware has asked for one, else the cheaper record. */
export type UpstreamHeaders = Headers | HeaderRecord;

/**
 * The client's headers as the pod may see them: hop-by-hop headers, headers
 * named in `Connection`, edge-only headers, `Expect` (the edge answers it;
 * the pod gets the whole body) and `Host` (the transport sets it) removed;
 * URL-override headers too unless `passUrlOverrides`. A WebSocket upgrade
 * keeps `Upgrade` and `Connection`.
 * A record, unless a name comes twice (a request's `Set-Cookie`, which
 * iteration does not combine): then a `Headers` keeps each copy.
 */
export function upstreamRequestHeaders(incoming: Headers, websocket: boolean, passUrlOverrides = false): UpstreamHeaders {
  const rules: ForwardingRules = { dropped: connectionTokens(incoming), websocket, passUrlOverrides };
  const headers: HeaderRecord = Object.create(null);
  for (const [name, value] of incoming) {
    if (!isForwarded(name, rules)) continue;
    if (name in headers) return upstreamHeadersWithRepeats(incoming, rules);
    headers[name] = value;
  }
  return headers;
}

function upstreamHeadersWithRepeats(incoming: Headers, rules: ForwardingRules): Headers {
  const headers = new Headers();
  for (const [name, value] of incoming) if (isForwarded(name, rules)) headers.append(name, value);
  return headers;
}

interface ForwardingRules {
  /** The names the client's `Connection` header lists. */
  readonly dropped: ReadonlySet<string>;
  readonly websocket: boolean;
  readonly passUrlOverrides: boolean;
}

/** Whether the pod may see the client's header `name` (lower case): the rules of {@link upstreamRequestHeaders}. */
function isForwarded(name: string, rules: ForwardingRules): boolean {
  if (name === 'host' || name === 'expect' || isEdgeOnly(name)) return false;
  if (!rules.passUrlOverrides && isUrlOverride(name)) return false;
  if (rules.websocket && (name === 'upgrade' || name === 'connection')) return true;
  return !HOP_BY_HOP.has(name) && !rules.dropped.has(name);
}

/** `headers` as a `Headers`: the same object when it is one. */
export function asHeaders(headers: UpstreamHeaders): Headers {
  if (headers instanceof Headers) return headers;
  // Appends: workerd converts a record given to the constructor more slowly.
  const built = new Headers();
  for (const name in headers) built.append(name, headers[name]!);
  return built;
}

/**
 * A copy of `headers` with `remove` taken out, then `set` set (names in lower
 * case): what a transport adds for its own hop, leaving the forwarder's
 * headers as they were for another attempt.
 */
export function editedHeaders(headers: UpstreamHeaders, set: Readonly<Record<string, string>>, remove: readonly string[] = []): UpstreamHeaders {
  if (headers instanceof Headers) {
    const copy = new Headers(headers);
    for (const name of remove) copy.delete(name);
    for (const name in set) copy.set(name, set[name]!);
    return copy;
  }
  const copy: HeaderRecord = Object.create(null);
  for (const name in headers) copy[name] = headers[name]!;
  for (const name of remove) delete copy[name];
  for (const name in set) copy[name] = set[name]!;
  return copy;
}

/** Removes hop-by-hop headers and the headers named in `Connection`, in place. */
export function removeHopByHop(headers: Headers): void {
  for (const name of hopByHopPresent(headers)) headers.delete(name);
}

/**
 * The hop-by-hop headers (and those `Connection` names) that `headers` holds,
 * `except` those not asked about, looked up name by name: iterating a fetched
 * response's headers costs workerd far more than these lookups
 * (docs/measurements/performance.md, "Third round").
 */
export function hopByHopPresent(headers: Headers, except: ReadonlySet<string> = EMPTY_SET): string[] {
  const named = connectionTokens(headers);
  const present: string[] = [];
  for (const name of HOP_BY_HOP) if (!except.has(name) && headers.has(name)) present.push(name);
  for (const name of named) if (!HOP_BY_HOP.has(name) && !except.has(name) && headers.has(name)) present.push(name);
  return present;
}

/**
 * Whether a client's header must not reach the pod because the edge owns it.
 * Spellings with `_` for `-` count too (`X_Forwarded_For`, `CF_Connecting_IP`):
 * CGI, WSGI, PHP and Rack servers read both as `HTTP_X_FORWARDED_FOR`.
 */
export function isEdgeOnly(name: string): boolean {
  if (EDGE_ONLY.has(name) || EDGE_ONLY_PREFIXES.some((prefix) => name.startsWith(prefix))) return true;
  if (!name.includes('_')) return false;
  const dashed = name.replaceAll('_', '-');
  return isEdgeOnly(dashed) || dashed.startsWith('cf-') || dashed === 'true-client-ip';
}

const EMPTY_SET: ReadonlySet<string> = new Set();

function connectionTokens(headers: Headers): ReadonlySet<string> {
  const value = headers.get('connection');
  if (!value) return EMPTY_SET;
  return new Set(value.split(',').map((token) => token.trim().toLowerCase()).filter(Boolean));
}

export interface ForwardingFacts {
  readonly clientIp: string | undefined;
  readonly scheme: Scheme;
  readonly websocket: boolean;
  /** The Host header as the client sent it. */
  readonly hostHeader: string;
}

/** Sets `X-Forwarded-*` and `X-Real-IP` as Traefik's forwarder does (docs/guides/headers-and-redirects.md). */
export function setForwardingHeaders(headers: UpstreamHeaders, facts: ForwardingFacts): void {
  const set = headers instanceof Headers ? (name: string, value: string) => headers.set(name, value) : (name: string, value: string) => void (headers[name] = value);
  if (facts.clientIp) {
    set('x-forwarded-for', facts.clientIp);
    set('x-real-ip', facts.clientIp);
  }
  const secure = facts.scheme === 'https';
  set('x-forwarded-proto', facts.websocket ? (secure ? 'wss' : 'ws') : facts.scheme);
  set('x-forwarded-host', facts.hostHeader);
  set('x-forwarded-port', hostPort(facts.hostHeader) ?? (secure ? '443' : '80'));
}

/** The port of a Host header value (`a.b:8080`, `[::1]:8080`), if it names one. */
export function hostPort(hostHeader: string): string | undefined {
  const match = /:(\d{1,5})$/.exec(hostHeader);
  if (!match) return undefined;
  // A bare IPv6 address also ends in `:digits`; only `]:port` is a port there.
  const beforePort = hostHeader.slice(0, match.index);
  if (beforePort.includes(':') && !beforePort.endsWith(']')) return undefined;
  return match[1];
}
