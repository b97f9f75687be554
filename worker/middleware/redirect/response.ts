/**
 * Redirects the edge answers itself (frontend redirects and SSL redirects).
 * Like Traefik's, the body is the status text and the response carries no
 * other header: security and custom response headers are for pod responses.
 * The Location is built from the URL the client requested, its path
 * normalised (docs/design/decisions.md#decision-8-redirects-see-the-client-url).
 */

export const REDIRECT_TEXT = {
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
} as const;
export type RedirectStatus = keyof typeof REDIRECT_TEXT;

export function redirectResponse(location: string, status: RedirectStatus): Response {
  return new Response(REDIRECT_TEXT[status], {
    status,
    headers: { location, 'content-type': 'text/plain; charset=utf-8' },
  });
}

/** The client's path (normalised, as the pod receives it) and query: what every Location keeps. */
export function requestTarget(url: URL): string {
  return url.pathname + url.search;
}

/** A Host header value without its port (`a.b:8080` → `a.b`, `[::1]:80` → `[::1]`). */
export function hostWithoutPort(hostHeader: string): string {
  const match = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(hostHeader);
  return match?.[1] ?? hostHeader;
}
