/**
 * Rule hosts as the API server validates them: a lower-case DNS-1123
 * subdomain, or `*.` followed by one (the wildcard stands for exactly one
 * label), or `''` for any host. IP addresses and a bare `*` are rejected.
 *
 * @example
 * ```ts
 * hostProblem('*.foo.com');   // undefined (valid)
 * hostProblem('Foo.com');     // 'must be lower-case …'
 * ```
 */
import { MAX_HOST_LENGTH } from '../table/constants.ts';

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IPV4 = /^[0-9]+(\.[0-9]+){3}$/;

/** Why `host` is not a valid rule host, or undefined when it is. */
export function hostProblem(host: string): string | undefined {
  if (host === '') return undefined;
  const name = host.startsWith('*.') ? host.slice(2) : host;
  if (name !== host && name.includes('*')) return 'a wildcard may only be the first label (*.example.com)';
  if (name.includes('*')) return 'a wildcard host must be *. followed by a DNS name';
  if (host.includes(':')) return 'must not contain a port or be an IPv6 address';
  if (name !== name.toLowerCase()) return 'must be lower-case';
  if (IPV4.test(name)) return 'must be a DNS name, not an IP address';
  if (name.length > MAX_HOST_LENGTH) return `must be at most ${MAX_HOST_LENGTH} characters`;
  if (!name.split('.').every((label) => LABEL.test(label))) {
    return 'must be a DNS-1123 name: labels of a-z, 0-9 and -, at most 63 characters, separated by dots';
  }
  return undefined;
}
