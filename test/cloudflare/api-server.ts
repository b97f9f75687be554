/**
 * A local stand-in for the parts of the Cloudflare API edgress uses, served
 * at `<url>/client/v4` so the official `cloudflare` client talks to it
 * unchanged (`baseURL`): Workers KV (bulk write, bulk delete, bulk get, single
 * value get/delete, key listing with cursors and metadata), the remote
 * configuration of a Cloudflare Tunnel (GET and PUT, versioned), and the edge
 * objects of `edgress sync --edge-hosts` (`edge`, see `./edge-api.ts`). For
 * `edgress doctor`, read-only lookups too: a KV namespace, a tunnel, zones
 * by name, and the secret names of a Worker script.
 * value get/delete, key listing with cursors and metadata) and the remote
 * configuration of a Cloudflare Tunnel (GET and PUT, versioned), and the
 * Workers Analytics Engine SQL API (`POST …/analytics_engine/sql`, raw SQL
 * in the body): it records each query and answers with the rows a test's
 * `answerSql` returns, as `FORMAT JSON` output (`{meta, data, rows}`, 64-bit
 * integers as strings, as ClickHouse writes them).
 *
 * It answers in Cloudflare's envelope (`{success, errors, messages, result}`),
 * checks the bearer token and the account, and can enforce KV's one write per
 * second per key and an API request budget (both 429). Tests inject failures
 * with `fail()` (a status, optionally `Retry-After`, or a bulk write that
 * reports some keys as unsuccessful) and read `requests`.
 *
 * @example
 * ```ts
 * const api = await CloudflareApiStandIn.start({ token: 't', account: 'acc', namespaces: ['ns'] });
 * api.fail({ path: /\/bulk$/, status: 500, times: 1 });
 * const client = new Cloudflare({ apiToken: 't', baseURL: api.baseUrl });
 * ```
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgeStandIn } from './edge-api.ts';
import { error, ok, type Answer } from './envelope.ts';

export interface StandInOptions {
  readonly token: string;
  readonly account: string;
  readonly namespaces?: readonly string[];
  readonly tunnels?: readonly string[];
  /** Zones in the account (`GET /zones?name=`); status defaults to active. */
  readonly zones?: readonly { readonly name: string; readonly status?: string; readonly account?: string }[];
  /** Deployed Worker scripts and the names of their secrets. */
  readonly scripts?: Readonly<Record<string, readonly string[]>>;
  /** Refuse (429) a write to a key written less than this long ago (KV: 1000 ms); off by default. */
  readonly keyWriteIntervalMs?: number;
  /** Refuse (429) requests beyond this many per window; off by default. */
  readonly requestBudget?: { readonly requests: number; readonly windowMs: number };
  /** Keys per page of a key listing when the client does not ask (KV: 1000). */
  readonly pageSize?: number;
}

export interface Failure {
  readonly method?: string;
  readonly path?: RegExp;
  /** Only bulk writes that include this key. */
  readonly key?: string;
  readonly status?: number;
  readonly retryAfter?: string;
  /** Instead of a status: a successful bulk write that did not write these keys. */
  readonly unsuccessfulKeys?: readonly string[];
  /** How many matching requests fail (default: every one). */
  times?: number;
  /** Let this many matching requests through first. */
  after?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path below `/client/v4`, decoded. */
  readonly path: string;
  readonly status: number;
  /** Keys a bulk write or delete named. */
  readonly keys?: readonly string[];
}

export interface StoredValue {
  readonly value: string;
  readonly metadata?: unknown;
  readonly writtenAt: number;
}

export interface TunnelConfiguration {
  readonly version: number;
  readonly config: unknown;
}

const PREFIX = '/client/v4';

/** Rows for one SQL query; throw to answer 422 with the message as the body (as the SQL API does for a bad query). */
export type SqlResponder = (sql: string) => readonly Record<string, string | number>[];

export class CloudflareApiStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Zones, DNS records, routes, Custom Domains and certificates (live: tests seed and change them). */
  readonly edge = new EdgeStandIn();
  /** Every SQL query received, in order. */
  readonly sqlQueries: string[] = [];
  #sql: SqlResponder = () => [];
  readonly #options: StandInOptions;
  readonly #server: http.Server;
  readonly #kv = new Map<string, Map<string, StoredValue>>();
  readonly #tunnels = new Map<string, TunnelConfiguration>();
  readonly #failures: Failure[] = [];
  readonly #sent: number[] = [];

  private constructor(options: StandInOptions) {
    this.#options = options;
    for (const namespace of options.namespaces ?? []) this.#kv.set(namespace, new Map());
    for (const tunnel of options.tunnels ?? []) this.#tunnels.set(tunnel, { version: 0, config: {} });
    this.#server = http.createServer((request, response) => void this.#handle(request, response));
  }

  static async start(options: StandInOptions): Promise<CloudflareApiStandIn> {
    const standIn = new CloudflareApiStandIn(options);
    await new Promise<void>((resolve) => standIn.#server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** What to give the client as `baseURL` (`--cloudflare-api-url`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${PREFIX}`;
  }

  answerSql(responder: SqlResponder): void {
    this.#sql = responder;
  }

  fail(failure: Failure): void {
    this.#failures.push({ ...failure });
  }

  /** Forgets every injected failure. */
  clearFailures(): void {
    this.#failures.length = 0;
  }

  /** The namespace's values by key (the live map: tests may seed or corrupt it). */
  namespace(id: string): Map<string, StoredValue> {
    const namespace = this.#kv.get(id);
    if (!namespace) throw new Error(`no namespace ${id}`);
    return namespace;
  }

  /** The namespace as plain key → value. */
  values(id: string): Map<string, string> {
    return new Map([...this.namespace(id)].map(([key, stored]) => [key, stored.value]));
  }

  tunnel(id: string): TunnelConfiguration | undefined {
    return this.#tunnels.get(id);
  }

  setTunnel(id: string, config: unknown): void {
    this.#tunnels.set(id, { version: (this.#tunnels.get(id)?.version ?? 0) + 1, config });
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const path = decodeURIComponent(url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname);
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    const answer = this.#answer(method, url, body, request.headers.authorization === `Bearer ${this.#options.token}`);
    this.requests.push({ method, path, status: answer.status, ...(answer.keys ? { keys: answer.keys } : {}) });
    response.writeHead(answer.status, { 'content-type': answer.raw !== undefined ? 'application/octet-stream' : 'application/json', ...answer.headers });
    response.end(answer.raw ?? JSON.stringify(answer.body));
  }

  #answer(method: string, url: URL, body: string, authorized: boolean): Answer {
    if (url.pathname !== PREFIX && !url.pathname.startsWith(`${PREFIX}/`)) return error(404, 7000, 'No route for that URI');
    if (this.#overBudget()) return error(429, 971, 'Please wait and consider throttling your request speed');
    if (!authorized) return error(403, 10000, 'Authentication error');
    const failure = this.#failure(method, decodeURIComponent(url.pathname.slice(PREFIX.length)), writtenKeys(method, url, body));
    if (failure?.status !== undefined) return { ...error(failure.status, 10001, `injected ${failure.status}`), headers: failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {} };
    const segments = url.pathname.slice(PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    if (method === 'GET' && segments[0] === 'zones' && segments.length === 1 && this.#options.zones !== undefined) return this.#zones(url);
    if (segments[0] === 'accounts' && segments[1] !== this.#options.account) return error(403, 9109, 'Unauthorized to access requested resource');
    const edge = this.edge.answer(method, segments, url, body);
    if (edge) return edge;
    if (segments[0] !== 'accounts' || segments[1] !== this.#options.account) return error(403, 9109, 'Unauthorized to access requested resource');
    const rest = segments.slice(2);
    if (rest[0] === 'analytics_engine' && rest[1] === 'sql' && rest.length === 2) return this.#analyticsSql(method, body);
    if (rest[0] === 'cfd_tunnel' && rest[2] === 'configurations' && rest.length === 3) return this.#tunnelConfiguration(method, rest[1] ?? '', body);
    if (method === 'GET' && rest[0] === 'cfd_tunnel' && rest.length === 2) {
      const id = rest[1] ?? '';
      return this.#tunnels.has(id) ? ok({ id, name: `tunnel-${id.slice(0, 8)}`, status: 'healthy' }) : error(404, 1003, 'tunnel not found');
    }
    if (method === 'GET' && rest[0] === 'workers' && rest[1] === 'scripts' && rest[3] === 'secrets' && rest.length === 4) {
      const secrets = this.#options.scripts?.[rest[2] ?? ''];
      return secrets ? ok(secrets.map((name) => ({ name, type: 'secret_text' }))) : error(404, 10007, 'This Worker does not exist on your account.');
    }
    if (rest[0] === 'storage' && rest[1] === 'kv' && rest[2] === 'namespaces' && rest[3] !== undefined) {
      const namespace = this.#kv.get(rest[3]);
      if (!namespace) return error(404, 10013, 'namespace not found');
      if (method === 'GET' && rest.length === 4) return ok({ id: rest[3], title: `namespace-${rest[3].slice(0, 8)}`, supports_url_encoding: true });
      return this.#kvRequest(method, rest.slice(4), url, body, namespace, failure);
    }
    return error(404, 7000, 'No route for that URI');
  }

  #analyticsSql(method: string, sql: string): Answer {
    if (method !== 'POST') return error(405, 10000, 'method not allowed');
    this.sqlQueries.push(sql);
    try {
      const data = this.#sql(sql);
      return { status: 200, raw: JSON.stringify({ meta: [], data, rows: data.length, rows_before_limit_at_least: data.length }), headers: { 'content-type': 'application/json' } };
    } catch (failure) {
      return { status: 422, raw: failure instanceof Error ? failure.message : String(failure) };
    }
  }

  #kvRequest(method: string, rest: string[], url: URL, body: string, namespace: Map<string, StoredValue>, failure: Failure | undefined): Answer {
    const [what, key] = rest;
    if (method === 'PUT' && what === 'bulk' && rest.length === 1) return this.#bulkWrite(namespace, JSON.parse(body) as BulkPair[], failure);
    if (method === 'POST' && what === 'bulk' && key === 'delete') {
      const keys = JSON.parse(body) as string[];
      for (const name of keys) namespace.delete(name);
      return { ...ok({ successful_key_count: keys.length, unsuccessful_keys: [] }), keys };
    }
    if (method === 'POST' && what === 'bulk' && key === 'get') {
      const { keys } = JSON.parse(body) as { keys: string[] };
      if (keys.length > 100) return error(400, 10005, 'too many keys');
      return ok({ values: Object.fromEntries(keys.map((name) => [name, namespace.get(name)?.value ?? null])) });
    }
    if (what === 'values' && key !== undefined) {
      const name = rest.slice(1).join('/');
      if (method === 'GET') {
        const stored = namespace.get(name);
        return stored ? { status: 200, raw: stored.value } : error(404, 10009, 'get: key not found');
      }
      if (method === 'DELETE') {
        namespace.delete(name);
        return ok(null);
      }
    }
    if (method === 'GET' && what === 'keys' && rest.length === 1) return this.#listKeys(namespace, url);
    return error(405, 10000, 'method not allowed');
  }

  #bulkWrite(namespace: Map<string, StoredValue>, pairs: BulkPair[], failure: Failure | undefined): Answer {
    const keys = pairs.map((pair) => pair.key);
    if (pairs.length > 10_000) return { ...error(413, 10005, 'more than 10,000 pairs'), keys };
    const now = Date.now();
    const interval = this.#options.keyWriteIntervalMs;
    const tooSoon = interval === undefined ? undefined : keys.find((key) => now - (namespace.get(key)?.writtenAt ?? -Infinity) < interval);
    if (tooSoon !== undefined) return { ...error(429, 10048, `KV PUT failed: 429 Too Many Requests (${tooSoon})`), keys };
    const skipped = new Set(failure?.unsuccessfulKeys ?? []);
    for (const pair of pairs) if (!skipped.has(pair.key)) namespace.set(pair.key, { value: pair.value, metadata: pair.metadata, writtenAt: now });
    const unsuccessful = keys.filter((key) => skipped.has(key));
    return { ...ok({ successful_key_count: keys.length - unsuccessful.length, unsuccessful_keys: unsuccessful }), keys };
  }

  #listKeys(namespace: Map<string, StoredValue>, url: URL): Answer {
    const prefix = url.searchParams.get('prefix') ?? '';
    const limit = Number(url.searchParams.get('limit') ?? this.#options.pageSize ?? 1000);
    const after = url.searchParams.get('cursor') ?? '';
    const names = [...namespace.keys()].filter((name) => name.startsWith(prefix) && name > after).sort();
    const page = names.slice(0, limit);
    const more = names.length > page.length;
    const result = page.map((name) => ({ name, ...(namespace.get(name)?.metadata !== undefined ? { metadata: namespace.get(name)?.metadata } : {}) }));
    return { status: 200, body: { success: true, errors: [], messages: [], result, result_info: { count: page.length, cursor: more ? (page.at(-1) ?? '') : '' } } };
  }

  #zones(url: URL): Answer {
    const name = url.searchParams.get('name');
    const page = Number(url.searchParams.get('page') ?? 1);
    const zones = (this.#options.zones ?? []).filter((zone) => name === null || zone.name === name);
    const result = (page === 1 ? zones : []).map((zone) => ({
      id: `zone-${zone.name}`,
      name: zone.name,
      status: zone.status ?? 'active',
      account: { id: zone.account ?? this.#options.account, name: 'account' },
    }));
    return { status: 200, body: { success: true, errors: [], messages: [], result, result_info: { page, per_page: 20, count: result.length, total_count: zones.length, total_pages: 1 } } };
  }

  #tunnelConfiguration(method: string, tunnel: string, body: string): Answer {
    const current = this.#tunnels.get(tunnel);
    if (!current) return error(404, 1003, 'tunnel not found');
    if (method === 'GET') return ok({ tunnel_id: tunnel, version: current.version, config: current.config, source: 'cloudflare' });
    if (method !== 'PUT') return error(405, 10000, 'method not allowed');
    const { config } = JSON.parse(body) as { config?: { ingress?: { hostname?: string; path?: string }[] } };
    const last = config?.ingress?.at(-1);
    if (!config?.ingress?.length || last?.hostname || last?.path) return error(400, 1055, 'the last ingress rule must match all URLs');
    this.setTunnel(tunnel, config);
    return ok({ tunnel_id: tunnel, version: this.#tunnels.get(tunnel)?.version, config, source: 'cloudflare' });
  }

  #failure(method: string, path: string, keys: readonly string[]): Failure | undefined {
    const failure = this.#failures.find(
      (candidate) =>
        (candidate.method ?? method) === method &&
        (candidate.path?.test(path) ?? true) &&
        (candidate.key === undefined || keys.includes(candidate.key)) &&
        (candidate.times ?? 1) > 0,
    );
    if (failure?.after !== undefined && failure.after > 0) {
      failure.after -= 1;
      return undefined;
    }
    if (failure?.times !== undefined) failure.times -= 1;
    return failure;
  }

  #overBudget(): boolean {
    const budget = this.#options.requestBudget;
    if (!budget) return false;
    const now = Date.now();
    while (this.#sent.length > 0 && (this.#sent[0] ?? 0) <= now - budget.windowMs) this.#sent.shift();
    if (this.#sent.length >= budget.requests) return true;
    this.#sent.push(now);
    return false;
  }
}

interface BulkPair {
  readonly key: string;
  readonly value: string;
  readonly metadata?: unknown;
}

/** The keys of a bulk write request (for failures aimed at one key). */
function writtenKeys(method: string, url: URL, body: string): string[] {
  if (method !== 'PUT' || !url.pathname.endsWith('/bulk')) return [];
  try {
    return (JSON.parse(body) as BulkPair[]).map((pair) => pair.key);
  } catch {
    return [];
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}
