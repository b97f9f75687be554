/**
 * ingress-nginx's host-wide regex rule (docs/user-guide/ingress-path-matching.md,
 * "IMPORTANT NOTES"; annotations.md "Use Regex"): when any Ingress of a host
 * has `use-regex: "true"` or a `rewrite-target`, every path of that host,
 * from every nginx-dialect Ingress, is matched as a case-insensitive regex
 * anchored at the start. The decision spans Ingresses, so it is made once per
 * compile over all of them.
 *
 * @example
 * ```ts
 * nginxRegexHosts([ingressWithUseRegex]); // Set { 'shop.example.com' }
 * ```
 */
import type { IngressModel } from '../read/ingress.ts';
import { nginxAnnotation } from './catalog.ts';

/** Whether this Ingress turns its hosts into regex hosts. */
export function makesRegexHosts(annotations: Readonly<Record<string, string>>): boolean {
  const useRegex = nginxAnnotation(annotations, 'use-regex')?.value.trim().toLowerCase();
  const target = nginxAnnotation(annotations, 'rewrite-target')?.value.trim();
  return useRegex === 'true' || (target !== undefined && target !== '');
}

/** The hosts (`''` for rules without one) whose nginx-dialect paths are regexes. */
export function nginxRegexHosts(ingresses: readonly IngressModel[]): ReadonlySet<string> {
  const hosts = new Set<string>();
  for (const ingress of ingresses) {
    if (!makesRegexHosts(ingress.meta.annotations)) continue;
    for (const rule of ingress.rules) if (rule) hosts.add(rule.host);
  }
  // server-alias names are more names of the same nginx server: they share its regex mode.
  for (const ingress of ingresses) {
    const first = ingress.rules.find((rule) => rule !== undefined)?.host;
    const aliases = nginxAnnotation(ingress.meta.annotations, 'server-alias')?.value;
    if (first === undefined || !aliases || !hosts.has(first)) continue;
    for (const alias of aliases.split(',')) if (alias.trim()) hosts.add(alias.trim().toLowerCase());
  }
  return hosts;
}
