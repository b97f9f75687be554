/**
 * The edge half of the Cloudflare API stand-in (`./api-server.ts`): zones,
 * DNS records (list, create, batch as one transaction, delete), Worker
 * routes, Workers Custom Domains, certificate packs and custom certificates.
 * It refuses what the real API refuses, with its codes: an address record
 * beside a CNAME (81053), a comment longer than the plan allows (9313), a
 * proxied record of a type that cannot be proxied (9004), a listing page
 * beyond the documented `per_page`, a route pattern twice, a Custom Domain on a host
 * with address records (409 100117) or of another Worker (409 100116), a
 * wildcard Custom Domain, custom certificates below the Business plan (1011).
 * A Custom Domain stands for an address record of its host, as on Cloudflare.
 * Tests seed and change state by hand through the public methods.
 *
 * @example
 * ```ts
 * const zone = api.edge.addZone('example.com');
 * api.edge.addRecord('example.com', { name: 'www.example.com', type: 'A', content: '192.0.2.1' });
 * ```
 */
import { randomUUID, X509Certificate } from 'node:crypto';
import { error, ok, page, type Answer } from './envelope.ts';

export interface StandInZone {
  readonly id: string;
  readonly name: string;
  readonly plan: 'free' | 'pro' | 'business' | 'enterprise';
}

export interface StandInRecord {
  readonly id: string;
  readonly zone_id: string;
  readonly name: string;
  readonly type: string;
  readonly content: string;
  readonly proxied: boolean;
  readonly ttl: number;
  readonly comment: string | null;
}

export interface StandInRoute {
  readonly id: string;
  readonly zone_id: string;
  readonly pattern: string;
  readonly script?: string;
}

export interface StandInDomain {
  readonly id: string;
  readonly zone_id: string;
  readonly zone_name: string;
  readonly hostname: string;
  readonly service: string;
  readonly environment: string;
  readonly cert_id: string;
}

export interface StandInPack {
  readonly id: string;
  readonly zone_id: string;
  readonly type: string;
  readonly hosts: readonly string[];
  readonly status: string;
}

export interface StandInCertificate {
  readonly id: string;
  readonly zone_id: string;
  readonly hosts: readonly string[];
  readonly status: string;
  readonly expires_on: string;
  /** SHA-256 fingerprint of the uploaded leaf (tests compare it). */
  readonly fingerprint: string;
  readonly private_key_sent: boolean;
}

type RecordInput = Partial<StandInRecord> & { readonly name: string; readonly type: string; readonly content: string };

const ADDRESS = new Set(['A', 'AAAA', 'CNAME']);
/** Default and largest `per_page` of each listing, as the v4 API documents them. */
const LISTING = {
  zones: { fallback: 20, max: 50 },
  records: { fallback: 100, max: 5_000_000 },
  packs: { fallback: 20, max: 50 },
  certificates: { fallback: 20, max: 50 },
} as const;
/** Cloudflare refuses custom certificates that expire sooner than this. */
const MIN_CERTIFICATE_VALIDITY_MS = 14 * 24 * 3_600_000;

export class EdgeStandIn {
  readonly zones: StandInZone[] = [];
  readonly records = new Map<string, StandInRecord>();
  readonly routes = new Map<string, StandInRoute>();
  readonly domains = new Map<string, StandInDomain>();
  readonly packs: StandInPack[] = [];
  readonly certificates = new Map<string, StandInCertificate>();
  /**
   * How a Custom Domain's own DNS record is listed (DNS tools have seen both:
   * `AAAA 100::` and type `Worker`); it cannot be deleted through the DNS API.
   */
  domainRecordType: 'AAAA' | 'Worker' = 'AAAA';
  /**
   * `counts`: listings' `result_info` without `total_pages` (only page,
   * per_page, count, total_count); `unpaged`: everything at once, `page`
   * ignored and no `result_info` (as single-page listings answer).
   */
  resultInfo: 'full' | 'counts' | 'unpaged' = 'full';
  /** Largest page a listing answers, below the real API's own maximum (tests force many pages with it). */
  maxPerPage = Number.POSITIVE_INFINITY;

  addZone(name: string, options: { plan?: StandInZone['plan']; universal?: boolean } = {}): StandInZone {
    const zone = { id: `zone-${name.replace(/\./g, '-')}`, name, plan: options.plan ?? 'free' };
    this.zones.push(zone);
    if (options.universal !== false) this.packs.push({ id: randomUUID(), zone_id: zone.id, type: 'universal', hosts: [name, `*.${name}`], status: 'active' });
    return zone;
  }

  addPack(zoneName: string, hosts: readonly string[], type = 'advanced'): void {
    this.packs.push({ id: randomUUID(), zone_id: this.#zone(zoneName).id, type, hosts, status: 'active' });
  }

  addRecord(zoneName: string, record: RecordInput): StandInRecord {
    const stored = this.#record(this.#zone(zoneName).id, record);
    this.records.set(stored.id, stored);
    return stored;
  }

  addRoute(zoneName: string, pattern: string, script?: string): StandInRoute {
    const route = { id: randomUUID().replace(/-/g, ''), zone_id: this.#zone(zoneName).id, pattern, ...(script ? { script } : {}) };
    this.routes.set(route.id, route);
    return route;
  }

  addDomain(hostname: string, service: string): StandInDomain {
    const zone = this.zoneOf(hostname);
    if (!zone) throw new Error(`no zone for ${hostname}`);
    const domain = { id: randomUUID().replace(/-/g, ''), zone_id: zone.id, zone_name: zone.name, hostname, service, environment: 'production', cert_id: randomUUID() };
    this.domains.set(domain.id, domain);
    return domain;
  }

  recordsNamed(name: string): StandInRecord[] {
    return [...this.records.values()].filter((record) => record.name === name);
  }

  domainOf(hostname: string): StandInDomain | undefined {
    return [...this.domains.values()].find((domain) => domain.hostname === hostname);
  }

  routeFor(pattern: string): StandInRoute | undefined {
    return [...this.routes.values()].find((route) => route.pattern === pattern);
  }

  zoneOf(host: string): StandInZone | undefined {
    return this.zones.filter((zone) => host === zone.name || host.endsWith(`.${zone.name}`)).sort((a, b) => b.name.length - a.name.length)[0];
  }

  /** Answers `/zones…` and `/accounts/<id>/workers/domains…`; undefined for other paths. */
  answer(method: string, segments: readonly string[], url: URL, body: string): Answer | undefined {
    if (segments[0] === 'zones' && segments.length === 1 && method === 'GET') return this.#page(this.zones.filter((zone) => !url.searchParams.get('name') || zone.name === url.searchParams.get('name')), url, LISTING.zones);
    if (segments[0] === 'zones' && segments[1] !== undefined) {
      const zone = this.zones.find((candidate) => candidate.id === segments[1]);
      if (!zone) return error(404, 1001, 'Invalid zone identifier');
      return this.#zoneRequest(method, zone, segments.slice(2), url, body);
    }
    if (segments[0] === 'accounts' && segments[2] === 'workers' && segments[3] === 'domains') return this.#domainRequest(method, segments[4], url, body);
    return undefined;
  }

  #zoneRequest(method: string, zone: StandInZone, rest: readonly string[], url: URL, body: string): Answer {
    const path = rest.join('/');
    const inZone = [...[...this.records.values()].filter((record) => record.zone_id === zone.id), ...this.#domainRecords(zone)];
    if (path === 'dns_records' && method === 'GET') {
      const name = url.searchParams.get('name');
      const type = url.searchParams.get('type');
      return this.#page(inZone.filter((record) => (!name || record.name === name) && (!type || record.type === type)), url, LISTING.records);
    }
    if (path === 'dns_records' && method === 'POST') return this.#batch(zone, { posts: [JSON.parse(body) as RecordInput] }, (result) => result.posts[0]);
    if (path === 'dns_records/batch' && method === 'POST') return this.#batch(zone, JSON.parse(body) as BatchBody, (result) => result);
    if (rest[0] === 'dns_records' && rest.length === 2 && method === 'DELETE') {
      if (this.#domainRecords(zone).some((record) => record.id === rest[1])) return error(400, 1004, 'DNS Validation Error: the record belongs to a Workers Custom Domain');
      const record = this.records.get(rest[1] ?? '');
      if (!record || record.zone_id !== zone.id) return error(404, 81044, 'Record does not exist.');
      this.records.delete(record.id);
      return ok({ id: record.id });
    }
    if (rest[0] === 'workers' && rest[1] === 'routes') return this.#routeRequest(method, zone, rest[2], body);
    if (path === 'ssl/certificate_packs' && method === 'GET') return this.#page(this.packs.filter((pack) => pack.zone_id === zone.id), url, LISTING.packs);
    if (rest[0] === 'custom_certificates') return this.#certificateRequest(method, zone, rest[1], url, body);
    return error(404, 7000, 'No route for that URI');
  }

  #batch<T>(zone: StandInZone, batch: BatchBody, result: (done: { deletes: StandInRecord[]; posts: StandInRecord[] }) => T): Answer {
    // One transaction: work on a copy, keep it only when every change succeeded.
    const next = new Map(this.records);
    const deletes: StandInRecord[] = [];
    for (const { id } of batch.deletes ?? []) {
      if (this.#domainRecords(zone).some((record) => record.id === id)) return error(400, 1004, 'DNS Validation Error: the record belongs to a Workers Custom Domain');
      const record = next.get(id);
      if (!record || record.zone_id !== zone.id) return error(400, 81044, `Record ${id} does not exist.`);
      next.delete(id);
      deletes.push(record);
    }
    const posts: StandInRecord[] = [];
    for (const input of batch.posts ?? []) {
      if (input.name !== zone.name && !input.name.endsWith(`.${zone.name}`)) return error(400, 1004, `DNS Validation Error: ${input.name} is not in zone ${zone.name}`);
      const commentLimit = zone.plan === 'free' ? 100 : 500;
      if ((input.comment ?? '').length > commentLimit) return error(400, 9313, `DNS record comment exceeds the maximum length of ${commentLimit} characters`);
      if (input.proxied === true && !ADDRESS.has(input.type)) return error(400, 9004, 'This record type cannot be proxied.');
      const clash = ADDRESS.has(input.type) && ([...next.values()].some((record) => record.name === input.name && ADDRESS.has(record.type) && (record.type === 'CNAME' || input.type === 'CNAME')) || this.domainOf(input.name) !== undefined);
      if (clash) return error(400, 81053, 'An A, AAAA, or CNAME record with that host already exists.');
      const record = this.#record(zone.id, input);
      next.set(record.id, record);
      posts.push(record);
    }
    this.records.clear();
    for (const [id, record] of next) this.records.set(id, record);
    return ok(result({ deletes, posts }));
  }

  #routeRequest(method: string, zone: StandInZone, id: string | undefined, body: string): Answer {
    if (method === 'GET' && id === undefined) return ok([...this.routes.values()].filter((route) => route.zone_id === zone.id).map(({ zone_id: _zone, ...route }) => route));
    if (method === 'POST' && id === undefined) {
      const { pattern, script } = JSON.parse(body) as { pattern: string; script?: string };
      const host = pattern.split('/')[0] ?? '';
      if (host.replace(/^\*\.?/, '') !== zone.name && !host.endsWith(`.${zone.name}`)) return error(400, 10022, 'Route pattern does not match the zone');
      if (this.routeFor(pattern)) return error(409, 10020, 'A route with the same pattern already exists');
      const route = this.addRoute(zone.name, pattern, script);
      return ok({ id: route.id, pattern, script });
    }
    const route = this.routes.get(id ?? '');
    if (!route || route.zone_id !== zone.id) return error(404, 10019, 'Route not found');
    if (method === 'DELETE') {
      this.routes.delete(route.id);
      return ok({ id: route.id });
    }
    return error(405, 10000, 'method not allowed');
  }

  #domainRequest(method: string, id: string | undefined, url: URL, body: string): Answer {
    if (method === 'GET' && id === undefined) {
      const filters = ['service', 'hostname', 'zone_id'] as const;
      return ok([...this.domains.values()].filter((domain) => filters.every((key) => !url.searchParams.get(key) || domain[key] === url.searchParams.get(key))));
    }
    if (method === 'PUT' && id === undefined) return this.#attach(JSON.parse(body) as DomainBody);
    const domain = this.domains.get(id ?? '');
    if (!domain) return error(404, 100114, 'Domain not found');
    if (method === 'DELETE') {
      this.domains.delete(domain.id);
      return { status: 200, body: { success: true, errors: [], messages: [], result: null } };
    }
    return ok(domain);
  }

  #attach(body: DomainBody): Answer {
    const zone = this.zoneOf(body.hostname);
    if (body.hostname.includes('*')) return error(400, 100118, 'Wildcard hostnames are not supported for Custom Domains');
    if (!zone || (body.zone_id !== undefined && body.zone_id !== zone.id)) return error(400, 100101, `Hostname ${body.hostname} is not in the zone`);
    const existing = this.domainOf(body.hostname);
    if (existing && existing.service !== body.service && body.override_existing_origin !== true) {
      return error(409, 100116, `Hostname '${body.hostname}' is already in use by other custom domain. Use the option 'override_existing_origin'`);
    }
    // Only another Worker's record may be overridden, never records managed outside Workers.
    if (!existing && this.recordsNamed(body.hostname).some((record) => ADDRESS.has(record.type))) {
      return error(409, 100117, `Hostname '${body.hostname}' already has externally managed DNS records (A, AAAA, CNAME). Use the option 'override_existing_dns_record'`);
    }
    if (existing) this.domains.delete(existing.id);
    const domain = existing?.service === body.service ? existing : this.addDomain(body.hostname, body.service);
    this.domains.set(domain.id, domain);
    return ok(domain);
  }

  #certificateRequest(method: string, zone: StandInZone, id: string | undefined, url: URL, body: string): Answer {
    if (method === 'GET' && id === undefined) return this.#page([...this.certificates.values()].filter((certificate) => certificate.zone_id === zone.id), url, LISTING.certificates);
    if (method === 'POST' && id === undefined) return this.#upload(zone, JSON.parse(body) as CertificateBody);
    const existing = this.certificates.get(id ?? '');
    if (!existing || existing.zone_id !== zone.id) return error(404, 1003, 'Certificate not found');
    if (method === 'DELETE') {
      this.certificates.delete(existing.id);
      return ok({ id: existing.id });
    }
    if (method === 'PATCH') {
      // sni_custom: a new id answers the PATCH, and the previous certificate is gone.
      const answer = this.#upload(zone, JSON.parse(body) as CertificateBody);
      if (answer.status === 200) this.certificates.delete(existing.id);
      return answer;
    }
    return error(405, 10000, 'method not allowed');
  }

  #upload(zone: StandInZone, body: CertificateBody): Answer {
    if (zone.plan !== 'business' && zone.plan !== 'enterprise') return error(400, 1011, 'PlanLevelNotAllowed: custom certificates need a Business or Enterprise plan');
    let parsed: X509Certificate;
    try {
      parsed = new X509Certificate(body.certificate);
    } catch {
      return error(400, 1002, 'The certificate is not valid PEM');
    }
    if (!body.private_key?.includes('PRIVATE KEY')) return error(400, 1007, 'The private key is missing or not PEM');
    if (Date.parse(parsed.validTo) - Date.now() < MIN_CERTIFICATE_VALIDITY_MS) return error(400, 1212, 'The certificate expires within 14 days');
    const hosts = (parsed.subjectAltName ?? '').split(', ').filter((name) => name.startsWith('DNS:')).map((name) => name.slice(4));
    if (!hosts.some((host) => host === zone.name || host.endsWith(`.${zone.name}`))) return error(400, 1210, 'The certificate has no name in this zone');
    const certificate = { id: randomUUID(), zone_id: zone.id, hosts, status: 'active', expires_on: new Date(parsed.validTo).toISOString(), fingerprint: parsed.fingerprint256, private_key_sent: true };
    this.certificates.set(certificate.id, certificate);
    return ok(certificate);
  }

  /** The records Cloudflare shows for the zone's Custom Domains (made and removed with the domain). */
  #domainRecords(zone: StandInZone): StandInRecord[] {
    return [...this.domains.values()]
      .filter((domain) => domain.zone_id === zone.id)
      .map((domain) => ({ id: `worker-${domain.id}`, zone_id: zone.id, name: domain.hostname, type: this.domainRecordType, content: this.domainRecordType === 'AAAA' ? '100::' : domain.service, proxied: true, ttl: 1, comment: null }));
  }

  /** A page as the v4 API pages: a `per_page` outside the documented range is refused with a 400, never silently widened. */
  #page(items: readonly unknown[], url: URL, limits: { readonly fallback: number; readonly max: number }): Answer {
    const asked = url.searchParams.get('per_page');
    if (asked !== null && (!/^\d+$/.test(asked) || Number(asked) < 5 || Number(asked) > limits.max)) return error(400, 1001, `per_page must be between 5 and ${limits.max}`);
    if (this.resultInfo === 'unpaged') return ok(items);
    const perPage = Math.min(Number(asked ?? limits.fallback), this.maxPerPage);
    const pageParams = new URL(url);
    pageParams.searchParams.set('per_page', String(perPage));
    const answer = page(items, pageParams, perPage);
    if (this.resultInfo === 'full') return answer;
    const { total_pages: _pages, ...counts } = (answer.body as { result_info: Record<string, unknown> }).result_info;
    return { ...answer, body: { ...(answer.body as object), result_info: counts } };
  }

  #zone(name: string): StandInZone {
    const zone = this.zones.find((candidate) => candidate.name === name);
    if (!zone) throw new Error(`no zone ${name}`);
    return zone;
  }

  #record(zoneId: string, input: RecordInput): StandInRecord {
    return { id: randomUUID().replace(/-/g, ''), zone_id: zoneId, name: input.name, type: input.type, content: input.content, proxied: input.proxied ?? false, ttl: input.ttl ?? 1, comment: input.comment ?? null };
  }
}

interface BatchBody {
  readonly deletes?: readonly { readonly id: string }[];
  readonly posts?: readonly RecordInput[];
}

interface DomainBody {
  readonly hostname: string;
  readonly service: string;
  readonly zone_id?: string;
  readonly override_existing_origin?: boolean;
}

interface CertificateBody {
  readonly certificate: string;
  readonly private_key?: string;
}
