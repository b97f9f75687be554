/**
 * The Cloudflare calls edge-hosts makes, through the agent's request gate
 * (`sync/publish/cloudflare/request-gate.ts`: budget, retries). Listings ask
 * for large pages and stop at the last one, known by `total_pages` or
 * `total_count` (the client's own iterator asks for one empty page more). Everything else of the feature talks to the
 * {@link EdgeApi} interface, so planning and the reconciler are tested
 * without a network, and this file against the API stand-in.
 *
 * @example
 * ```ts
 * const edge = new CloudflareEdgeApi(api);
 * const state = await edge.readState({ coverageZones: (zone) => zone.name === 'example.com' });
 * ```
 */
import type Cloudflare from 'cloudflare';
import type { CloudflareApi } from '../publish/cloudflare/client.ts';
import type { CertificatePack, CustomCertificate, CustomDomain, DnsRecord, EdgeState, RecordInput, WorkerRoute, Zone } from './model.ts';

/** DNS records per listing page (the API allows up to 5,000). */
export const RECORDS_PER_PAGE = 5_000;
/** Records per batch call: the Free plan's limit (Pro and above: 3,500). */
export const BATCH_RECORDS = 200;

export interface CertificateUpload {
  readonly zoneId: string;
  readonly certificate: string;
  readonly privateKey: string;
}

export interface EdgeApi {
  /** Zones, records and routes of every zone; certificate packs and custom certificates of the zones asked for. */
  readState(options: { coverageZones: (zone: Zone) => boolean }): Promise<EdgeState>;
  batch(zoneId: string, deletes: readonly DnsRecord[], posts: readonly RecordInput[]): Promise<readonly DnsRecord[]>;
  createRoute(zoneId: string, pattern: string, script: string): Promise<WorkerRoute>;
  deleteRoute(route: WorkerRoute): Promise<void>;
  attachDomain(zone: Zone, hostname: string, service: string, overrideOrigin: boolean): Promise<CustomDomain>;
  detachDomain(domain: CustomDomain): Promise<void>;
  uploadCertificate(upload: CertificateUpload): Promise<CustomCertificate>;
  replaceCertificate(id: string, upload: CertificateUpload): Promise<CustomCertificate>;
  deleteCertificate(zoneId: string, id: string): Promise<void>;
}

type Paged<T> = { result: T[]; result_info?: { page?: number; total_pages?: number; total_count?: number } };

/**
 * The last page: an empty one, or one of an unpaged answer (no `result_info`,
 * or a `page` other than the one asked for); else by `total_pages`, else by
 * `total_count`, else (a paged answer without counts) the first empty page,
 * as the SDK's iterator does.
 */
function lastPage(listed: Paged<unknown>, page: number, itemsSoFar: number): boolean {
  const info = listed.result_info;
  if (listed.result.length === 0 || !info || (typeof info.page === 'number' && info.page !== page)) return true;
  if (typeof info.total_pages === 'number') return page >= info.total_pages;
  if (typeof info.total_count === 'number') return itemsSoFar >= info.total_count;
  // Without any count, only an answer that names the page asked for is paged (the SDK fills a missing result_info with {}).
  return info.page !== page;
}

export class CloudflareEdgeApi implements EdgeApi {
  readonly #client: Cloudflare;
  readonly #api: CloudflareApi;

  constructor(api: CloudflareApi) {
    this.#api = api;
    this.#client = api.client;
  }

  async readState({ coverageZones }: { coverageZones: (zone: Zone) => boolean }): Promise<EdgeState> {
    const accountId = this.#api.accountId;
    const zones = (await this.#pages('list zones', (page) => this.#client.zones.list({ account: { id: accountId }, per_page: 50, page }) as unknown as Promise<Paged<{ id: string; name: string }>>)).map(
      (zone): Zone => ({ id: zone.id, name: zone.name.toLowerCase() }),
    );
    const records: DnsRecord[] = [];
    const routes: WorkerRoute[] = [];
    const packs: CertificatePack[] = [];
    const certificates: CustomCertificate[] = [];
    for (const zone of zones) {
      const listed = await this.#pages(`list DNS records of ${zone.name}`, (page) => this.#client.dns.records.list({ zone_id: zone.id, per_page: RECORDS_PER_PAGE, page }) as unknown as Promise<Paged<RawRecord>>);
      records.push(...listed.map((record) => toRecord(zone.id, record)));
      const zoneRoutes = await this.#api.gate.call(`list Worker routes of ${zone.name}`, () => this.#client.workers.routes.list({ zone_id: zone.id }));
      routes.push(...zoneRoutes.result.map((route) => ({ id: route.id, zoneId: zone.id, pattern: route.pattern, script: route.script || undefined })));
      if (!coverageZones(zone)) continue;
      const zonePacks = await this.#pages(`list certificate packs of ${zone.name}`, (page) => this.#client.ssl.certificatePacks.list({ zone_id: zone.id, status: 'all', page, per_page: 50 } as never) as unknown as Promise<Paged<RawPack>>);
      packs.push(...zonePacks.map((pack) => ({ zoneId: zone.id, type: pack.type, hosts: pack.hosts ?? [], status: pack.status ?? '' })));
      const custom = await this.#pages(`list custom certificates of ${zone.name}`, (page) => this.#client.customCertificates.list({ zone_id: zone.id, page, per_page: 50 }) as unknown as Promise<Paged<RawCertificate>>);
      certificates.push(...custom.map((certificate) => toCertificate(zone.id, certificate)));
    }
    const domains = await this.#api.gate.call('list Workers Custom Domains', () => this.#client.workers.domains.list({ account_id: accountId }));
    return {
      zones,
      records,
      routes,
      domains: domains.result.map((domain) => ({ id: domain.id ?? '', zoneId: domain.zone_id ?? '', hostname: (domain.hostname ?? '').toLowerCase(), service: domain.service ?? '' })),
      packs,
      certificates,
    };
  }

  async batch(zoneId: string, deletes: readonly DnsRecord[], posts: readonly RecordInput[]): Promise<readonly DnsRecord[]> {
    const result = await this.#api.gate.call(`write ${deletes.length + posts.length} DNS records`, () =>
      this.#client.dns.records.batch({
        zone_id: zoneId,
        ...(deletes.length > 0 ? { deletes: deletes.map((record) => ({ id: record.id })) } : {}),
        ...(posts.length > 0 ? { posts: posts.map((record) => ({ name: record.name, type: record.type, content: record.content, proxied: record.proxied, ttl: 1, comment: record.comment })) } : {}),
      }),
    );
    return (result.posts ?? []).map((record) => toRecord(zoneId, record as RawRecord));
  }

  async createRoute(zoneId: string, pattern: string, script: string): Promise<WorkerRoute> {
    // 409: the pattern exists already (another Worker's route since the listing), an answer rather than a state to wait out.
    const route = await this.#api.gate.call(`create Worker route ${pattern}`, () => this.#client.workers.routes.create({ zone_id: zoneId, pattern, script }), { conflictIsFinal: true });
    return { id: route.id, zoneId, pattern, script };
  }

  async deleteRoute(route: WorkerRoute): Promise<void> {
    await this.#api.gate.call(`delete Worker route ${route.pattern}`, () => this.#client.workers.routes.delete(route.id, { zone_id: route.zoneId }));
  }

  async attachDomain(zone: Zone, hostname: string, service: string, overrideOrigin: boolean): Promise<CustomDomain> {
    // `override_existing_origin` is not in the typed params (cloudflare@7); sent only for adopted hosts.
    const params = { account_id: this.#api.accountId, hostname, service, zone_id: zone.id, ...(overrideOrigin ? { override_existing_origin: true } : {}) };
    const domain = await this.#api.gate.call(`attach Custom Domain ${hostname}`, () => this.#client.workers.domains.update(params), { conflictIsFinal: true });
    return { id: domain.id ?? '', zoneId: zone.id, hostname, service };
  }

  async detachDomain(domain: CustomDomain): Promise<void> {
    await this.#api.gate.call(`detach Custom Domain ${domain.hostname}`, () => this.#client.workers.domains.delete(domain.id, { account_id: this.#api.accountId }));
  }

  async uploadCertificate(upload: CertificateUpload): Promise<CustomCertificate> {
    const created = await this.#api.gate.call('upload a custom certificate', () =>
      this.#client.customCertificates.create({ zone_id: upload.zoneId, certificate: upload.certificate, private_key: upload.privateKey, bundle_method: 'ubiquitous', type: 'sni_custom' }),
    );
    return toCertificate(upload.zoneId, created as RawCertificate);
  }

  async replaceCertificate(id: string, upload: CertificateUpload): Promise<CustomCertificate> {
    // PATCH of an sni_custom certificate answers with a new id; the old one is gone.
    const replaced = await this.#api.gate.call('replace a custom certificate', () =>
      this.#client.customCertificates.edit(id, { zone_id: upload.zoneId, certificate: upload.certificate, private_key: upload.privateKey }),
    );
    return toCertificate(upload.zoneId, replaced as RawCertificate);
  }

  async deleteCertificate(zoneId: string, id: string): Promise<void> {
    await this.#api.gate.call('delete a custom certificate', () => this.#client.customCertificates.delete(id, { zone_id: zoneId }));
  }

  async #pages<T>(what: string, page: (n: number) => Promise<Paged<T>>): Promise<T[]> {
    const items: T[] = [];
    for (let n = 1; ; n++) {
      const listed = await this.#api.gate.call(what, () => page(n));
      items.push(...listed.result);
      if (lastPage(listed, n, items.length)) return items;
    }
  }
}

interface RawRecord {
  readonly id?: string;
  readonly name?: string;
  readonly type?: string;
  readonly content?: string;
  readonly proxied?: boolean;
  readonly comment?: string | null;
}

interface RawPack {
  readonly type: string;
  readonly hosts?: string[];
  readonly status?: string;
}

interface RawCertificate {
  readonly id: string;
  readonly hosts?: string[];
  readonly status?: string;
}

function toRecord(zoneId: string, record: RawRecord): DnsRecord {
  return { id: record.id ?? '', zoneId, name: (record.name ?? '').toLowerCase(), type: record.type ?? '', content: record.content ?? '', proxied: record.proxied === true, comment: record.comment ?? '' };
}

function toCertificate(zoneId: string, certificate: RawCertificate): CustomCertificate {
  return { id: certificate.id, zoneId, hosts: (certificate.hosts ?? []).map((host) => host.toLowerCase()), status: certificate.status ?? '' };
}
