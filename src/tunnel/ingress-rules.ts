/**
 * The cloudflared ingress rules the `tunnel-hostnames` transport needs, from
 * a compiled table: one rule per Service port any route (or error page) can
 * send to, from its tunnel hostname (`./hostname-template.ts`) to the
 * Service's cluster DNS name, sorted by hostname, and the catch-all rule
 * always last (cloudflared requires it).
 *
 * With an Access application in front of the hostnames, each rule also makes
 * cloudflared check the Access JWT (`originRequest.access`), so only requests
 * that passed Access with the worker's service token reach the Service.
 *
 * @example
 * ```ts
 * const result = ingressRules(table, { template, clusterDomain: 'cluster.local' });
 * if (result.ok) console.log(result.rules.at(-1)); // { service: 'http_status:404' }
 * ```
 */
import type { Service, ServiceTarget, Table } from '../table/schema.ts';
import { hostnameProblem, tunnelHostname, type HostnameTemplate } from './hostname-template.ts';
import { sameTarget, suggestTemplate } from './template-suggestion.ts';

export interface AccessCheck {
  readonly teamName: string;
  readonly audTag: readonly string[];
}

/** One rule of cloudflared's `ingress` list (the fields edgress writes). */
export interface IngressRule {
  readonly hostname?: string;
  readonly service: string;
  readonly originRequest?: { readonly access?: { readonly required: boolean; readonly teamName: string; readonly audTag: readonly string[] } };
}

export interface IngressRuleOptions {
  readonly template: HostnameTemplate;
  /** The cluster's DNS domain (`cluster.local`). */
  readonly clusterDomain: string;
  readonly access?: AccessCheck;
  /** What the catch-all rule answers (default `http_status:404`). */
  readonly catchAll?: string;
}

export type IngressRulesResult =
  | { readonly ok: true; readonly rules: readonly IngressRule[] }
  /** `suggestedTemplate`: when hostnames collide, a template checked to give every Service port its own (see `./template-suggestion.ts`). */
  | { readonly ok: false; readonly errors: readonly string[]; readonly suggestedTemplate?: string };

export const DEFAULT_CATCH_ALL = 'http_status:404';

type Pool = Extract<Service, { kind: 'servers' }>;

export function ingressRules(table: Table, options: IngressRuleOptions): IngressRulesResult {
  const byHostname = new Map<string, { target: ServiceTarget; service: string }>();
  const errors: string[] = [];
  const served = servedHosts(table);
  let collided = false;
  for (const pool of pools(table)) {
    if (!pool.target) continue;
    const hostname = tunnelHostname(options.template, pool.target);
    const service = originService(pool, pool.target, options.clusterDomain);
    const problem = hostnameProblem(hostname);
    const other = byHostname.get(hostname);
    const ingressHost = served(hostname);
    if (problem !== undefined) errors.push(`${describe(pool.target)}: tunnel hostname ${hostname}: ${problem}`);
    else if (ingressHost !== undefined) {
      collided = true;
      errors.push(`${describe(pool.target)}: tunnel hostname ${hostname} is also a host the Ingresses serve (${ingressHost}); one DNS name cannot lead both to the worker and to the tunnel`);
    } else if (other && sameTarget(other.target, pool.target)) {
      if (other.service !== service) errors.push(`${describe(pool.target)} is reached as both ${other.service} and ${service}; one tunnel hostname has one cloudflared rule: make its Ingresses agree on the protocol`);
    } else if (other) {
      collided = true;
      errors.push(`${describe(other.target)} and ${describe(pool.target)} would share the tunnel hostname ${hostname}`);
    } else byHostname.set(hostname, { target: pool.target, service });
  }
  if (errors.length > 0) {
    const targets = pools(table).flatMap((pool) => (pool.target ? [pool.target] : []));
    const suggestedTemplate = collided ? suggestTemplate(options.template.text, targets, (hostname) => served(hostname) !== undefined) : undefined;
    return { ok: false, errors: [...new Set(errors)], ...(suggestedTemplate !== undefined ? { suggestedTemplate } : {}) };
  }
  const access = options.access ? { access: { required: true, teamName: options.access.teamName, audTag: [...options.access.audTag] } } : undefined;
  const rules: IngressRule[] = [...byHostname]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([hostname, { service }]) => ({ hostname, service, ...(access ? { originRequest: access } : {}) }));
  rules.push({ service: options.catchAll ?? DEFAULT_CATCH_ALL });
  return { ok: true, rules };
}

/** The host pattern of the table that would take `hostname` (exact, or a one-label `*.` wildcard), if any. */
function servedHosts(table: Table): (hostname: string) => string | undefined {
  const hosts = new Set(table.routers.map((router) => router.host).filter(Boolean));
  return (hostname) => {
    if (hosts.has(hostname)) return hostname;
    const wildcard = `*${hostname.slice(hostname.indexOf('.'))}`;
    return hostname.includes('.') && hosts.has(wildcard) ? wildcard : undefined;
  };
}

/** Every endpoint pool of the table (routers, weighted members, error-page backends all live in `services`). */
function pools(table: Table): Pool[] {
  return Object.values(table.services).filter((service): service is Pool => service.kind === 'servers');
}

/**
 * Where cloudflared sends the Service's requests: its cluster DNS name (kube-proxy
 * picks the pod); an ExternalName Service's own target.
 */
function originService(pool: Pool, target: ServiceTarget, clusterDomain: string): string {
  const scheme = pool.protocol === 'https' ? 'https' : 'http';
  const external = pool.external ? pool.servers[0]?.address : undefined;
  return `${scheme}://${external ?? `${target.name}.${target.namespace}.svc.${clusterDomain}:${target.port}`}`;
}

function describe(target: ServiceTarget): string {
  return `Service ${target.namespace}/${target.name} port ${target.port}`;
}
