/**
 * `error-pages` (docs/reference/annotations.md): YAML, page name → `status` (codes
 * and inclusive ranges, `"404"`, `"500-599"`), `backend` and `query`
 * (`/errors/{status}.html`). Keys are lower case as yaml.v2 read them; other
 * keys are reported and ignored, as Traefik ignored them.
 *
 * `backend` is a Service of the Ingress's namespace, `name` (a Service with
 * one port) or `name:port` (number or port name); when no such Service exists,
 * a Traefik backend name as Traefik 1.7 users wrote it (`./backend-names.ts`).
 * Either way the page is served from a pool of its own in the table. A page
 * that cannot be compiled is reported and dropped (the pod's own error
 * answers); ignoring is safe here.
 *
 * @example
 * ```ts
 * readErrorPages(scope, { namespace: 'shop', cluster, pools });
 * // error-pages: "all: {status: ['500-599'], backend: errors, query: /{status}.html}"
 * // { kind: 'error-pages', pages: [{ name: 'all', statuses: [[500, 599]], service: 'shop/errors:80', path: '/{status}.html' }] }
 * ```
 */
import { HTTP_MIDDLEWARE_LIMITS } from '../../table/http-middleware.ts';
import type { MiddlewareOf } from '../../table/middleware.ts';
import type { ClusterObjects } from '../cluster.ts';
import { quote } from '../diagnostics.ts';
import type { PoolResolver } from '../pools.ts';
import type { PortRef } from '../read/backend.ts';
import type { FeatureScope } from './feature-scope.ts';
import { findTraefikBackend, type NamedBackend } from './backend-names.ts';
import { encodePathText } from './path-values.ts';
import { parseYamlBlock } from './values.ts';

type Page = MiddlewareOf<'error-pages'>['pages'][number];

export interface ErrorPagesContext {
  readonly namespace: string;
  readonly cluster: ClusterObjects;
  readonly pools: PoolResolver;
}

const PAGE_KEYS = new Set(['status', 'backend', 'query']);

export function readErrorPages(scope: FeatureScope, ctx: ErrorPagesContext): MiddlewareOf<'error-pages'> | undefined {
  const found = scope.string('error-pages');
  if (!found) return undefined;
  const yaml = parseYamlBlock(found.value);
  if (!yaml.ok) return void scope.invalid(found.key, `error-pages is not valid YAML (${yaml.error})`);
  if (yaml.value === undefined || yaml.value === null) return undefined;
  if (!isRecord(yaml.value)) return void scope.invalid(found.key, 'error-pages must map page names to {status, backend, query}');
  const reader = new PageReader(scope, found.key, ctx);
  const pages = Object.keys(yaml.value)
    .sort()
    .flatMap((name) => reader.read(name, (yaml.value as Record<string, unknown>)[name]) ?? []);
  const limit = HTTP_MIDDLEWARE_LIMITS.errorPages;
  if (pages.length > limit) scope.report.error('InvalidAnnotation', found.key, `more than ${limit} error pages; only the first ${limit} by name are used`);
  return pages.length > 0 ? { kind: 'error-pages', pages: pages.slice(0, limit) } : undefined;
}

class PageReader {
  readonly #scope: FeatureScope;
  readonly #key: string;
  readonly #ctx: ErrorPagesContext;

  constructor(scope: FeatureScope, key: string, ctx: ErrorPagesContext) {
    this.#scope = scope;
    this.#key = key;
    this.#ctx = ctx;
  }

  read(name: string, entry: unknown): Page | undefined {
    if (!isRecord(entry)) return this.#drop(name, 'must be a map with status, backend and query');
    for (const key of Object.keys(entry).filter((key) => !PAGE_KEYS.has(key))) {
      this.#scope.report.warn('IgnoredAnnotation', this.#key, `error page ${quote(name)}: key ${quote(key)} is not one of status, backend, query (lower case); ignored`);
    }
    const statuses = this.#statuses(name, entry['status']);
    const path = this.#path(name, entry['query']);
    const service = statuses && path !== undefined ? this.#service(name, entry['backend']) : undefined;
    if (!statuses || path === undefined || !service) return undefined;
    return { name, statuses, service, path };
  }

  #statuses(name: string, value: unknown): [number, number][] | undefined {
    if (!Array.isArray(value) || value.length === 0) return this.#drop(name, 'status must be a list of codes or ranges such as "500-599"');
    const ranges: [number, number][] = [];
    for (const entry of value) {
      const range = typeof entry === 'string' || typeof entry === 'number' ? parseStatusRange(String(entry)) : undefined;
      if (!range) return this.#drop(name, `status ${quote(entry)} is not a code or range of codes 100-599`);
      ranges.push(range);
    }
    return ranges;
  }

  #path(name: string, value: unknown): string | undefined {
    if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
      return this.#drop(name, 'query must be a path such as /errors/{status}.html');
    }
    // Traefik asked for "/" + query without its leading slashes; an empty query asks for /.
    const path = encodePathText(`/${String(value ?? '').replace(/^\/+/, '')}`, { query: true, keep: '{}' });
    if (!path.ok) return this.#drop(name, `query ${quote(value)} ${path.error}`);
    return path.text;
  }

  #service(name: string, value: unknown): string | undefined {
    const backend = typeof value === 'string' ? /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)(?::([0-9]+|[a-z0-9-]+))?$/.exec(value) : null;
    const serviceName = backend?.[1] ?? '';
    const { namespace, cluster } = this.#ctx;
    if (typeof value === 'string' && !(backend && cluster.service(namespace, serviceName))) {
      const named = findTraefikBackend(value, cluster.ingressModels(), namespace);
      if (named) return this.#namedBackend(name, value, named);
    }
    if (!backend) return this.#drop(name, `backend ${quote(value)} is neither a Service name (or name:port) of namespace ${namespace} nor a Traefik backend name (the host and path of a rule)`);
    const port = this.#port(name, serviceName, backend[3]);
    if (!port) return undefined;
    return this.#pool(name, namespace, serviceName, port);
  }

  /** The pool of another rule's Service, named as Traefik named that rule's backend. */
  #namedBackend(name: string, value: string, named: NamedBackend): string | undefined {
    const where = `backend ${quote(value)} (Ingress ${named.ingress.key})`;
    if (named.weighted) return this.#drop(name, `${where} splits its traffic with service-weights; name one of its Services`);
    return this.#pool(name, named.ingress.meta.namespace, named.service.name, named.service.port);
  }

  #pool(name: string, namespace: string, serviceName: string, port: PortRef): string {
    const pool = this.#ctx.pools.resolve(namespace, { name: serviceName, port }, undefined);
    if (pool.problem) {
      const severity = pool.problem.code === 'NoReadyEndpoints' ? 'warn' : 'error';
      const what = { ServiceNotFound: 'does not exist', ServicePortNotFound: 'has no such port', NoReadyEndpoints: 'has no ready endpoints' }[pool.problem.code];
      this.#scope.report[severity](pool.problem.code, this.#key, `error page ${quote(name)}: Service ${namespace}/${serviceName} ${what}; the original response is sent instead`);
    }
    return pool.id;
  }

  #port(name: string, serviceName: string, written: string | undefined): PortRef | undefined {
    if (written !== undefined) return /^[0-9]+$/.test(written) ? { number: Number(written) } : { name: written };
    const ports = this.#ctx.cluster.service(this.#ctx.namespace, serviceName)?.ports;
    if (ports?.length === 1 && ports[0]) return { number: ports[0].port };
    const why = ports ? `Service ${this.#ctx.namespace}/${serviceName} has ${ports.length} ports` : `Service ${this.#ctx.namespace}/${serviceName} does not exist`;
    return this.#drop(name, `${why}; write backend: ${serviceName}:<port>`);
  }

  #drop(name: string, message: string): undefined {
    this.#scope.report.error('InvalidAnnotation', this.#key, `error page ${quote(name)}: ${message}; page ignored`);
    return undefined;
  }
}

/** `"404"` → [404, 404]; `"500-599"` → [500, 599]; undefined when not codes 100-599 in order. */
export function parseStatusRange(text: string): [number, number] | undefined {
  const match = /^\s*(\d{3})\s*(?:-\s*(\d{3})\s*)?$/.exec(text);
  if (!match) return undefined;
  const from = Number(match[1]);
  const to = Number(match[2] ?? match[1]);
  return from >= 100 && to <= 599 && from <= to ? [from, to] : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
