/**
 * Gateway API hostnames: validation, and the intersection of a listener's
 * hostname with a route's. A wildcard `*.example.com` matches one or more
 * labels in front of `example.com` (never `example.com` itself), unlike an
 * Ingress wildcard, which matches exactly one.
 *
 * @example
 * ```ts
 * intersectHostnames('*.example.com', ['foo.example.com', 'foo.example.net']); // ['foo.example.com']
 * intersectHostnames('foo.example.com', ['*.example.com']);                   // ['foo.example.com']
 * intersectHostnames(undefined, []);                                         // ['']  (any host)
 * ```
 */
import { hostProblem } from '../hosts.ts';

/** Why `hostname` is not a Gateway API `Hostname` (a wildcard allowed), or undefined. */
export function hostnameProblem(hostname: string): string | undefined {
  if (hostname === '') return 'must not be empty';
  if (hostname === '*') return 'a bare * is not a hostname; leave the field out to match every host';
  return hostProblem(hostname);
}

/** Why `hostname` is not a `PreciseHostname` (no wildcard), or undefined. */
export function preciseHostnameProblem(hostname: string): string | undefined {
  if (hostname.includes('*')) return 'must not be a wildcard';
  return hostnameProblem(hostname);
}

/** True when the pattern (exact or `*.` wildcard of one or more labels) matches the host (exact or wildcard, as a set). */
export function hostnameCovers(pattern: string, host: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === host;
  const suffix = pattern.slice(1);
  // `*.a.com` covers `x.a.com`, `x.y.a.com` and the wildcard `*.y.a.com`, but also `*.a.com` itself.
  return host === pattern || (host.endsWith(suffix) && host.length > suffix.length);
}

/**
 * The hostnames a route serves through a listener: `['']` (any host) when
 * neither names one; the listener's when the route names none; the route's
 * hostnames that the listener's covers, or the listener's where a route
 * wildcard covers it. Empty: no intersection (the route does not attach).
 */
export function intersectHostnames(listener: string | undefined, route: readonly string[]): string[] {
  if (route.length === 0) return [listener ?? ''];
  if (listener === undefined) return [...new Set(route)];
  const hosts = new Set<string>();
  for (const hostname of route) {
    if (hostnameCovers(listener, hostname)) hosts.add(hostname);
    else if (hostnameCovers(hostname, listener)) hosts.add(listener);
  }
  return [...hosts];
}
