/**
 * What edge-hosts reasons about: the Cloudflare objects it reads (zones, DNS
 * records, Worker routes, Workers Custom Domains, certificate packs, custom
 * certificates), the hosts the table in force serves, and its settings.
 * Plain data, so planning is a pure function of these (`./plan.ts`).
 *
 * @example
 * ```ts
 * const desired: DesiredHost = { host: 'shop.example.com', ingresses: ['shop/web'], adopt: false };
 * ```
 */

/** `--edge-hosts`: off (today's behaviour), Custom Domains for exact hosts, or routes plus proxied records for every host. */
export const EDGE_HOSTS_MODES = ['off', 'custom-domains', 'routes'] as const;
export type EdgeHostsMode = (typeof EDGE_HOSTS_MODES)[number];

/** `--edge-tls`: report coverage only, or also upload Ingress `spec.tls` Secrets as custom certificates. */
export const EDGE_TLS_MODES = ['report', 'upload-secrets'] as const;
export type EdgeTlsMode = (typeof EDGE_TLS_MODES)[number];

/** The Ingress annotation that hands an existing host (foreign record, route or Custom Domain) over to edgress. */
export const ADOPT_ANNOTATION = 'edgress.dev/adopt-host';

export interface EdgeHostsSettings {
  readonly mode: Exclude<EdgeHostsMode, 'off'>;
  /** The Worker's script name (`name` in wrangler.toml). */
  readonly workerName: string;
  /** Names this installation in ownership records. */
  readonly ownerId: string;
  readonly tls: EdgeTlsMode;
}

export interface Zone {
  readonly id: string;
  /** Lower case, no trailing dot. */
  readonly name: string;
}

export interface DnsRecord {
  readonly id: string;
  readonly zoneId: string;
  readonly name: string;
  readonly type: string;
  readonly content: string;
  readonly proxied: boolean;
  readonly comment: string;
}

/** A record to create (`dns.records.batch` posts). */
export interface RecordInput {
  readonly name: string;
  readonly type: 'AAAA' | 'TXT';
  readonly content: string;
  readonly proxied: boolean;
  readonly comment: string;
}

export interface WorkerRoute {
  readonly id: string;
  readonly zoneId: string;
  readonly pattern: string;
  /** Undefined: a route without a script (it negates less specific routes). */
  readonly script: string | undefined;
}

export interface CustomDomain {
  readonly id: string;
  readonly zoneId: string;
  readonly hostname: string;
  readonly service: string;
}

export interface CertificatePack {
  readonly zoneId: string;
  readonly type: string;
  readonly hosts: readonly string[];
  readonly status: string;
}

export interface CustomCertificate {
  readonly id: string;
  readonly zoneId: string;
  readonly hosts: readonly string[];
  readonly status: string;
}

/** Everything read from the account, once per listing. */
export interface EdgeState {
  readonly zones: readonly Zone[];
  readonly records: readonly DnsRecord[];
  readonly routes: readonly WorkerRoute[];
  readonly domains: readonly CustomDomain[];
  readonly packs: readonly CertificatePack[];
  readonly certificates: readonly CustomCertificate[];
}

export const EMPTY_STATE: EdgeState = { zones: [], records: [], routes: [], domains: [], packs: [], certificates: [] };

/** A host the table in force serves, with the Ingresses and HTTPRoutes that name it. */
export interface DesiredHost {
  /** Lower case; `*.example.com` for a wildcard. */
  readonly host: string;
  /** `namespace/name`, sorted. */
  readonly ingresses: readonly string[];
  /** HTTPRoutes (`namespace/name`, sorted) whose hostnames, intersected with their listeners', give the host; absent when none. */
  readonly httpRoutes?: readonly string[];
  /** One of those objects carries `edgress.dev/adopt-host: "true"`. */
  readonly adopt: boolean;
}
