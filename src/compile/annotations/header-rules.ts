/**
 * Which header names and values annotations may use. Checked at compile
 * time, so the worker never meets a value `Headers` would refuse and no
 * annotation can split a header (CR, LF) or take over one the edge owns.
 *
 * @example
 * ```ts
 * headerValueProblem('a\r\nSet-Cookie: x'); // 'contains CR, LF or another control character'
 * headerNameProblem('X Env');               // 'is not a valid header name'
 * edgeOwnsRequestHeader('X-Forwarded-For');   // true
 * edgeOwnsRequestHeader('X-Edgress-Endpoint'); // true
 * ```
 */
import { HeaderNameSchema } from '../../table/header-schemas.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, never a message. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

const EDGE_OWNED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP,
  'host',
  'content-length',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-real-ip',
]);

const EDGE_OWNED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([...HOP_BY_HOP, 'content-length']);

/**
 * Request headers an annotation cannot set or remove: the transport and the
 * forwarder own them, and `X-Edgress-*` is the edge's own namespace (the dev
 * relay reads `X-Edgress-Endpoint`).
 */
export function edgeOwnsRequestHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return EDGE_OWNED_REQUEST_HEADERS.has(lower) || lower.startsWith('x-edgress-');
}

/** Response headers an annotation cannot set or remove: they frame the message. */
export function edgeOwnsResponseHeader(name: string): boolean {
  return EDGE_OWNED_RESPONSE_HEADERS.has(name.toLowerCase());
}

/** Why `name` cannot be a header name, or undefined. */
export function headerNameProblem(name: string): string | undefined {
  return HeaderNameSchema.safeParse(name).success ? undefined : 'is not a valid header name';
}

/**
 * Why `value` cannot be sent as a header value, or undefined. Only visible
 * ASCII, space and tab: non-ASCII would reach the pod in another encoding
 * than Traefik sent it, so it is refused rather than changed.
 */
export function headerValueProblem(value: string): string | undefined {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) return 'contains CR, LF or another control character';
  if (/[^\x00-\x7f]/.test(value)) return 'contains non-ASCII characters';
  return undefined;
}
