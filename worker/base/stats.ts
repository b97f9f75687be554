/**
 * Per-request statistics: one Workers Analytics Engine data point per
 * request, written to the optional `STATS` binding (`wrangler.toml`:
 * `[[analytics_engine_datasets]]`). The agent reads them back with SQL
 * (`sync/stats/`), `edgress dev` records them itself.
 *
 * Layout (`src/stats/layout.ts`, which the agent's SQL reads too):
 * - index1: the route id (`ns/ingress#rule.path`, shortened with a hash past
 *   96 bytes), so Analytics Engine samples per route;
 * - blob1..8: host, Ingress, path rule, Service, method, status class, colo,
 *   error kind;
 * - double1..6: status, total ms, upstream ms, request bytes, response bytes,
 *   retries.
 *
 * The route's four blobs and its index are built once per route (per table
 * version), never per request. Writing never delays nor fails a response: no
 * await, and anything thrown is swallowed.
 *
 * @example
 * ```ts
 * const outcome = newOutcome();
 * const response = await serve(request, outcome);
 * writeStats(env.STATS, ctx, request, response, outcome, Date.now() - started);
 * ```
 */
import type { CompiledRoute } from '../../src/match/compiled-route.ts';
import { MAX_INDEX_BYTES, ruleText, UNMATCHED_INDEX, type StatsDataPoint } from '../../src/stats/layout.ts';
import { MAX_HOST_LENGTH, MAX_WEIGHTED_DEPTH } from '../../src/table/constants.ts';
import type { Service } from '../../src/table/schema.ts';

export type { StatsDataPoint } from '../../src/stats/layout.ts';

/** What the worker writes to: Analytics Engine's binding, or `edgress dev`'s recorder (whose writes return a promise). */
export interface StatsDataset {
  writeDataPoint(point: StatsDataPoint): unknown;
}


/** Keeps an invocation alive for a promise without delaying its response (`ExecutionContext`). */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * Why the edge answered instead of a pod (blob8), `''` when a route's chain
 * answered normally (a pod, a redirect, an auth challenge).
 */
export type ErrorKind =
  | ''
  | 'bad-path'
  | 'no-table'
  | 'no-route'
  | 'no-endpoint'
  | 'connect'
  | 'timeout'
  | 'exchange'
  | 'refused'
  | 'internal';

/** Filled in while a request is served: by the router, the forwarder and the chain's error handling. */
export interface RequestOutcome {
  route: CompiledRoute | undefined;
  /** For unmatched requests: the normalised Host. */
  host: string;
  /** Time spent waiting for pods' response headers, over every attempt. */
  upstreamMs: number;
  retries: number;
  error: ErrorKind;
}

export function newOutcome(): RequestOutcome {
  return { route: undefined, host: '', upstreamMs: 0, retries: 0, error: '' };
}

/** The blobs and index that only depend on the route. */
interface RouteColumns {
  readonly index: string;
  readonly host: string;
  readonly ingress: string;
  readonly rule: string;
  readonly service: string;
}

const columnsByRoute = new WeakMap<CompiledRoute, RouteColumns>();

export function routeColumns(route: CompiledRoute): RouteColumns {
  let columns = columnsByRoute.get(route);
  if (!columns) {
    const router = route.router;
    columns = { index: statsIndex(router.id), host: router.host || '*', ingress: router.source, rule: ruleText(router.match), service: serviceText(route.service, route.services) };
    columnsByRoute.set(route, columns);
  }
  return columns;
}

/**
 * The Kubernetes Service a route sends to, `ns/name:port` (table service ids
 * are short wire ids); a weighted split names its members joined by `+`.
 */
export function serviceText(service: Service, services: Readonly<Record<string, Service>>, depth = 0): string {
  if (service.kind === 'servers') return service.target ? `${service.target.namespace}/${service.target.name}:${service.target.port}` : '';
  if (service.kind === 'status' || depth >= MAX_WEIGHTED_DEPTH) return '';
  return service.services.map((member) => { const target = services[member.service]; return target ? serviceText(target, services, depth + 1) : ''; }).join('+');
}

const encoder = new TextEncoder();

/** The route id, or its first 80 bytes and a hash of the whole when it is longer than an index may be. */
export function statsIndex(id: string): string {
  if (encoder.encode(id).length <= MAX_INDEX_BYTES) return id;
  let head = id.slice(0, 80);
  while (encoder.encode(head).length > 80) head = head.slice(0, -1);
  return `${head}~${fnv1a(id)}`;
}

/** 32-bit FNV-1a as 8 hex digits: enough to tell apart long ids that share 80 bytes. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']);
const STATUS_CLASSES = ['1xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** The data point for one served request. */
export function statsDataPoint(request: Request, response: Response, outcome: RequestOutcome, totalMs: number): StatsDataPoint {
  const route = outcome.route && routeColumns(outcome.route);
  const status = response.status;
  const colo = (request as { cf?: { colo?: unknown } }).cf?.colo;
  return {
    indexes: [route ? route.index : UNMATCHED_INDEX],
    blobs: [
      route ? route.host : outcome.host.slice(0, MAX_HOST_LENGTH),
      route ? route.ingress : '',
      route ? route.rule : '',
      route ? route.service : '',
      METHODS.has(request.method) ? request.method : 'OTHER',
      STATUS_CLASSES[Math.floor(status / 100)] ?? 'other',
      typeof colo === 'string' ? colo : '',
      outcome.error,
    ],
    doubles: [status, totalMs, outcome.upstreamMs, contentLength(request.headers), contentLength(response.headers), outcome.retries],
  };
}

/** Bytes announced by Content-Length; 0 when the body streams without one (counting would cost a stream per request). */
function contentLength(headers: Headers): number {
  const value = Number(headers.get('content-length'));
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * Writes the request's data point, if a dataset is bound. A write that
 * returns a promise (`edgress dev`'s recorder) is handed to `waitUntil`; it
 * never holds the response back.
 */
export function writeStats(
  dataset: StatsDataset | undefined,
  context: WaitUntil | undefined,
  request: Request,
  response: Response,
  outcome: RequestOutcome,
  totalMs: number,
): void {
  if (!dataset) return;
  try {
    const written = dataset.writeDataPoint(statsDataPoint(request, response, outcome, totalMs));
    if (isThenable(written)) context?.waitUntil(Promise.resolve(written).catch(() => {}));
  } catch {
    // Statistics are best effort: a full or broken dataset never fails a request.
  }
}

/** RPC results (`JsRpcPromise`) are callable proxies: `typeof` says function, not object. */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
