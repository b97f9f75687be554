/**
 * Pure planning: the hosts the table in force serves, and what the account
 * holds, in; the changes that make the edge serve exactly those hosts, and a
 * report per host, out. No I/O (`./apply.ts` carries a plan out).
 *
 * Rules (docs/operations/edge-hosts.md):
 * - a host's zone is the longest suffix match; a host in no zone gets nothing;
 * - `custom-domains`: an exact host becomes a Custom Domain of the worker;
 *   wildcards, and every host in `routes` mode, get a route `<host>/*` and a
 *   proxied `AAAA 100::` record;
 * - never override: a foreign address record, a route or Custom Domain of
 *   another Worker, another installation's claim, or our record changed by
 *   hand make the host a conflict, unless an Ingress adopts the host;
 * - a claim (registry TXT, `./ownership.ts`) comes first and goes last;
 *   only what we claim is ever changed or deleted;
 * - hosts no longer served are detached, unless that would remove more than
 *   the allowed share of our hosts (the table's mass-removal guard).
 *
 * @example
 * ```ts
 * const plan = planEdgeHosts(desired, state, { settings, maxRemovalShare: 0.5, allowMassRemoval: false });
 * plan.attach; // HostChanges per host, in apply order
 * ```
 */
import type { CustomDomain, DesiredHost, DnsRecord, EdgeHostsSettings, EdgeState, RecordInput, WorkerRoute, Zone } from './model.ts';
import { hostOfRegistryName, ORIGINLESS_ADDRESS, ownerComment, parseRegistry, registryContent, registryName } from './ownership.ts';
import { routeCoverage, type TlsCoverage } from './tls-coverage.ts';
import { isWildcard, zoneOf } from './zones.ts';

export interface HostChanges {
  readonly host: string;
  readonly zone: Zone;
  readonly dnsDeletes: readonly DnsRecord[];
  readonly dnsPosts: readonly RecordInput[];
  readonly routeDelete?: WorkerRoute;
  readonly routeCreate?: string;
  readonly domainDetach?: CustomDomain;
  /** `override`: another Worker's Custom Domain is handed over (adopted hosts only). */
  readonly domainAttach?: { readonly override: boolean };
}

export type HostStatus = 'served' | 'attaching' | 'conflict' | 'no-zone' | 'detaching' | 'detach-held';

export interface HostReport {
  readonly host: string;
  readonly ingresses: readonly string[];
  /** HTTPRoutes naming the host, when any. */
  readonly httpRoutes?: readonly string[];
  readonly zone?: string;
  readonly status: HostStatus;
  readonly via?: 'custom-domain' | 'route';
  readonly detail: string;
  /** Hosts served through a route: whether a certificate covers them. */
  readonly tls?: TlsCoverage;
}

export interface EdgePlan {
  readonly attach: readonly HostChanges[];
  readonly detach: readonly HostChanges[];
  readonly reports: readonly HostReport[];
  /** Hosts this installation claimed before the plan. */
  readonly owned: number;
}

export interface PlanOptions {
  readonly settings: EdgeHostsSettings;
  readonly maxRemovalShare: number;
  readonly allowMassRemoval: boolean;
}

const ADDRESS_TYPES = new Set(['A', 'AAAA', 'CNAME']);
/** Removing one host is an edit, never a mass removal (as for the table). */
const MASS_REMOVAL_MIN_HOSTS = 2;

/** Lookups over one state, with this installation's view of ownership. */
class StateIndex {
  readonly #byName = new Map<string, DnsRecord[]>();
  readonly #routes = new Map<string, WorkerRoute>();
  readonly #domains = new Map<string, CustomDomain>();
  readonly comment: string;
  readonly state: EdgeState;
  readonly settings: EdgeHostsSettings;

  constructor(state: EdgeState, settings: EdgeHostsSettings) {
    this.state = state;
    this.settings = settings;
    for (const record of state.records) this.#byName.set(record.name, [...(this.#byName.get(record.name) ?? []), record]);
    for (const route of state.routes) this.#routes.set(route.pattern.toLowerCase(), route);
    for (const domain of state.domains) this.#domains.set(domain.hostname, domain);
    this.comment = ownerComment(settings.ownerId);
  }

  claims(host: string): { ours: DnsRecord | undefined; others: string[] } {
    const txt = (this.#byName.get(registryName(host)) ?? []).filter((record) => record.type === 'TXT');
    const owners = txt.map((record) => ({ record, entry: parseRegistry(record.content) }));
    const ours = owners.find(({ entry }) => entry?.owner === this.settings.ownerId)?.record;
    return { ours, others: owners.flatMap(({ entry }) => (entry && entry.owner !== this.settings.ownerId ? [entry.owner] : [])) };
  }

  /** A, AAAA and CNAME records at the host: ours (our comment) and the rest. */
  addresses(host: string): { ours: DnsRecord[]; foreign: DnsRecord[] } {
    // A Custom Domain's own record (listed as AAAA 100:: or type Worker) belongs to the domain, which is judged on its own.
    const ofDomain = (record: DnsRecord) => this.#domains.has(host) && record.comment !== this.comment && (record.type === 'Worker' || record.content === ORIGINLESS_ADDRESS);
    const all = (this.#byName.get(host) ?? []).filter((record) => ADDRESS_TYPES.has(record.type) && !ofDomain(record));
    return { ours: all.filter((record) => record.comment === this.comment), foreign: all.filter((record) => record.comment !== this.comment) };
  }

  route(host: string): WorkerRoute | undefined {
    return this.#routes.get(`${host}/*`);
  }

  /** Routes of other Workers (or none) whose pattern covers the host: `host/…`, `*.parent/…`, `*host/…`. */
  foreignRoutes(host: string): WorkerRoute[] {
    return this.state.routes.filter((route) => route.script !== this.settings.workerName && patternCovers(route.pattern.toLowerCase(), host));
  }

  domain(host: string): CustomDomain | undefined {
    return this.#domains.get(host);
  }

  ownedHosts(): string[] {
    return this.state.records.flatMap((record) => {
      const host = record.type === 'TXT' ? hostOfRegistryName(record.name) : undefined;
      return host !== undefined && parseRegistry(record.content)?.owner === this.settings.ownerId ? [host] : [];
    });
  }
}

export function planEdgeHosts(desired: readonly DesiredHost[], state: EdgeState, options: PlanOptions): EdgePlan {
  const index = new StateIndex(state, options.settings);
  const attach: HostChanges[] = [];
  const reports: HostReport[] = [];
  for (const wanted of desired) {
    const zone = zoneOf(wanted.host, state.zones);
    if (!zone) {
      reports.push({ host: wanted.host, ingresses: wanted.ingresses, ...routesOf(wanted), status: 'no-zone', detail: `${wanted.host} is in no zone of the Cloudflare account: nothing was created for it` });
      continue;
    }
    const useDomain = options.settings.mode === 'custom-domains' && !isWildcard(wanted.host);
    const { changes, report } = useDomain ? planDomainHost(wanted, zone, index) : planRouteHost(wanted, zone, index);
    if (changes) attach.push(changes);
    reports.push(report);
  }
  const wantedHosts = new Set(desired.map((host) => host.host));
  const owned = [...new Set(index.ownedHosts())];
  const detach = owned.filter((host) => !wantedHosts.has(host)).flatMap((host) => detachHost(host, index));
  const held = detach.length >= MASS_REMOVAL_MIN_HOSTS && detach.length / Math.max(owned.length, 1) > options.maxRemovalShare && !options.allowMassRemoval;
  for (const changes of detach) {
    const detail = held
      ? `no longer served, but detaching ${detach.length} of ${owned.length} hosts is more than --max-removal-share ${options.maxRemovalShare}; kept (pass --allow-mass-removal)`
      : 'no longer served: detached';
    reports.push({ host: changes.host, ingresses: [], zone: changes.zone.name, status: held ? 'detach-held' : 'detaching', detail });
  }
  return { attach, detach: held ? [] : detach, reports, owned: owned.length };
}

function routesOf(wanted: DesiredHost): { httpRoutes?: readonly string[] } {
  return wanted.httpRoutes ? { httpRoutes: wanted.httpRoutes } : {};
}

function planDomainHost(wanted: DesiredHost, zone: Zone, index: StateIndex): { changes?: HostChanges; report: HostReport } {
  const { host, ingresses, adopt } = wanted;
  const base = { host, ingresses, ...routesOf(wanted), zone: zone.name, via: 'custom-domain' as const };
  const domain = index.domain(host);
  const claim = index.claims(host);
  const addresses = index.addresses(host);
  const route = index.route(host);
  const worker = index.settings.workerName;
  if (domain?.service === worker) {
    const detail = claim.ours ? `Custom Domain ${domain.id} of Worker ${worker}` : `Custom Domain ${domain.id} of Worker ${worker}, made outside edgress (never detached by it)`;
    return { report: { ...base, status: 'served', detail } };
  }
  const conflicts = [
    ...(claim.ours ? [] : claim.others.map((owner) => `claimed by edgress installation "${owner}"`)),
    ...addresses.foreign.map((record) => `has a ${record.type} record (${record.content}) edgress did not write`),
    ...(domain ? [`is a Custom Domain of Worker "${domain.service}"`] : []),
    ...index.foreignRoutes(host).map(describeForeignRoute),
  ];
  if (conflicts.length > 0 && !adopt) return { report: { ...base, status: 'conflict', detail: conflictText(host, conflicts) } };
  // Our own route and records (from routes mode) give way to the Custom Domain.
  const changes: HostChanges = {
    host,
    zone,
    dnsDeletes: [...addresses.ours, ...addresses.foreign],
    dnsPosts: claim.ours ? [] : [claimRecord(host, index)],
    ...(route ? { routeDelete: route } : {}),
    domainAttach: { override: domain !== undefined },
  };
  return { changes, report: { ...base, status: 'attaching', detail: adopt && conflicts.length > 0 ? `adopted (${conflicts.join('; ')}): attaching as a Custom Domain` : 'attaching as a Custom Domain' } };
}

function planRouteHost(wanted: DesiredHost, zone: Zone, index: StateIndex): { changes?: HostChanges; report: HostReport } {
  const { host, ingresses, adopt } = wanted;
  const base = { host, ingresses, ...routesOf(wanted), zone: zone.name, via: 'route' as const };
  const tls = routeCoverage(host, zone, index.state.packs, index.state.certificates);
  const claim = index.claims(host);
  const addresses = index.addresses(host);
  const route = index.route(host);
  const domain = index.domain(host);
  const worker = index.settings.workerName;
  const changedByHand = claim.ours ? addresses.ours.filter((record) => !isOriginless(record)) : [];
  const conflicts = [
    ...(claim.ours ? [] : claim.others.map((owner) => `claimed by edgress installation "${owner}"`)),
    ...addresses.foreign.map((record) => `has a ${record.type} record (${record.content}) edgress did not write`),
    ...changedByHand.map((record) => `its ${record.type} record was changed by hand (now ${record.content}${record.proxied ? '' : ', not proxied'})`),
    ...index.foreignRoutes(host).map(describeForeignRoute),
    ...(domain && !(domain.service === worker && claim.ours) ? [`is a Custom Domain of Worker "${domain.service}"`] : []),
  ];
  if (conflicts.length > 0 && !adopt) return { report: { ...base, status: 'conflict', detail: conflictText(host, conflicts), tls } };
  const keep = addresses.ours.filter((record) => isOriginless(record) && claim.ours);
  const changes: HostChanges = {
    host,
    zone,
    dnsDeletes: [...addresses.foreign, ...addresses.ours.filter((record) => !keep.includes(record))],
    dnsPosts: [...(claim.ours ? [] : [claimRecord(host, index)]), ...(keep.length > 0 ? [] : [addressRecord(host, index)])],
    ...(route && route.script !== worker ? { routeDelete: route } : {}),
    ...(route?.script === worker ? {} : { routeCreate: `${host}/*` }),
    ...(domain ? { domainDetach: domain } : {}),
  };
  if (isEmpty(changes)) return { report: { ...base, status: 'served', detail: `Worker route ${host}/* to ${worker} and a proxied AAAA ${ORIGINLESS_ADDRESS} record`, tls } };
  const adopted = adopt && conflicts.length > 0 ? `adopted (${conflicts.join('; ')}): ` : '';
  return { changes, report: { ...base, status: 'attaching', detail: `${adopted}creating ${describeMissing(changes)}`, tls } };
}

function detachHost(host: string, index: StateIndex): HostChanges[] {
  const zone = zoneOf(host, index.state.zones);
  if (!zone) return [];
  const worker = index.settings.workerName;
  const route = index.route(host);
  const domain = index.domain(host);
  const { ours } = index.claims(host);
  return [
    {
      host,
      zone,
      // A record changed by hand is someone's now: it stays (only the claim goes).
      dnsDeletes: [...index.addresses(host).ours.filter(isOriginless), ...(ours ? [ours] : [])],
      dnsPosts: [],
      ...(route?.script === worker ? { routeDelete: route } : {}),
      ...(domain?.service === worker ? { domainDetach: domain } : {}),
    },
  ];
}

function describeForeignRoute(route: WorkerRoute): string {
  return `has a Worker route ${route.pattern} ${route.script ? `to Worker "${route.script}"` : 'without a Worker'}`;
}

/** Cloudflare's route matching of the host part: exact, or a leading `*` matching any prefix. */
function patternCovers(pattern: string, host: string): boolean {
  const slash = pattern.indexOf('/');
  const patternHost = slash < 0 ? pattern : pattern.slice(0, slash);
  return patternHost === host || (patternHost.startsWith('*') && host.endsWith(patternHost.slice(1)));
}

function claimRecord(host: string, index: StateIndex): RecordInput {
  return { name: registryName(host), type: 'TXT', content: registryContent(index.settings.ownerId, index.settings.workerName), proxied: false, comment: index.comment };
}

function addressRecord(host: string, index: StateIndex): RecordInput {
  return { name: host, type: 'AAAA', content: ORIGINLESS_ADDRESS, proxied: true, comment: index.comment };
}

function isOriginless(record: DnsRecord): boolean {
  return record.type === 'AAAA' && record.content === ORIGINLESS_ADDRESS && record.proxied;
}

function isEmpty(changes: HostChanges): boolean {
  return changes.dnsDeletes.length === 0 && changes.dnsPosts.length === 0 && !changes.routeCreate && !changes.routeDelete && !changes.domainAttach && !changes.domainDetach;
}

function describeMissing(changes: HostChanges): string {
  const parts = [...changes.dnsPosts.map((record) => `${record.type} ${record.name}`), ...(changes.routeCreate ? [`route ${changes.routeCreate}`] : [])];
  return parts.join(', ') || 'nothing';
}

function conflictText(host: string, conflicts: readonly string[]): string {
  return `${host} ${conflicts.join('; ')}: left untouched. To hand it to edgress, annotate the Ingress edgress.dev/adopt-host: "true"`;
}
