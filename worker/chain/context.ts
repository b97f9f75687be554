/**
 * The request context: one object per request, created once the route is
 * chosen and shared by the route's middlewares and the forwarder. What the
 * client sent stays readable (`request`, `url`, `hostHeader`: redirects and
 * auth see the URL the client requested, docs/design/decisions.md#decision-8-redirects-see-the-client-url, with its path in the
 * normalised form the pod receives, so no part of the edge decides on a path
 * that differs in meaning from the pod's); what goes upstream (`path`,
 * `headers`) is mutable and starts out already cleaned (see `../proxy/`).
 */
import type { CompiledRoute } from '../../src/match/compiled-route.ts';
import type { Scheme, Service } from '../../src/table/schema.ts';
import type { EdgeEnv } from '../base/env.ts';
import { asHeaders, isWebSocketUpgrade, upstreamRequestHeaders, type UpstreamHeaders } from '../proxy/index.ts';
import type { WorkerRuntime } from '../runtime/runtime.ts';
import type { Settings } from '../base/settings.ts';
import type { RequestOutcome } from '../base/stats.ts';
import type { RetryPolicy } from '../traffic/retry.ts';

export interface RequestContext {
  /** The request as the client sent it. */
  readonly request: Request;
  /**
   * The URL the client requested, its path normalised (`src/match/normalize.ts`)
   * and before any path modifier: what forward auth, redirects and digest
   * auth judge. Never `request.url`, whose path may differ from the pod's.
   */
  readonly url: URL;
  /** The scheme the client used (https when the edge terminated TLS). */
  readonly scheme: Scheme;
  /** `CF-Connecting-IP`; undefined when absent. */
  readonly clientIp: string | undefined;
  /** The Host header as the client sent it, port included. */
  readonly hostHeader: string;
  readonly websocket: boolean;
  readonly route: CompiledRoute;
  /**
   * The path sent upstream: the normalised `upstream` form, percent-encoded as
   * received. Path modifiers rewrite it; the query string is never part of it.
   */
  path: string;
  /** Headers sent upstream: the client's, minus hop-by-hop and edge-only ones. */
  readonly headers: Headers;
  /**
   * The same headers for the forwarder: `headers` once anything has read it,
   * else the record it would be built from (no middleware has touched them).
   */
  readonly upstreamHeaders: UpstreamHeaders;
  /**
   * The body sent upstream: the client's stream, or its bytes once `buffering`
   * read them (bytes can be sent again on a retry).
   */
  body: ReadableStream | Uint8Array | null;
  /** When to try another endpoint; `buffering`'s retryexpression replaces the default (`../traffic/retry.ts`). */
  retry: RetryPolicy | undefined;
  /** Set by `canary` when the request goes to the canary's service instead of the route's. */
  service?: Service;
  /** Set by `upstream-host` (ingress-nginx `upstream-vhost`): the Host sent upstream. */
  upstreamHost?: string;
  /** Set by `upstream-timeout` (ingress-nginx `proxy-read-timeout`): the wait for the pod's headers. */
  upstreamTimeoutMs?: number;
  readonly env: EdgeEnv;
  readonly settings: Settings;
  /** The env's runtime (settings, traffic timings, transport, table store), built once per env. */
  readonly runtime: WorkerRuntime;
  /** What the request's statistics report (upstream time, retries, why the edge answered); see `../base/stats.ts`. */
  readonly outcome: RequestOutcome;
  /** The isolate's `ctx.waitUntil`, for work after the response (`request-mirror`); absent in some test harnesses. */
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

export interface RequestFacts {
  readonly request: Request;
  readonly url: URL;
  readonly scheme: Scheme;
  readonly hostHeader: string;
  readonly upstreamPath: string;
  readonly route: CompiledRoute;
  readonly runtime: WorkerRuntime;
  readonly outcome: RequestOutcome;
  readonly waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/**
 * The upstream `Headers` is built only if something reads `headers`; a route
 * without middlewares sends the record (`../proxy/headers.ts`) as it is.
 */
export function createContext(facts: RequestFacts): RequestContext {
  const { request, runtime } = facts;
  const websocket = isWebSocketUpgrade(request.headers);
  let upstream = upstreamRequestHeaders(request.headers, websocket, facts.route.router.passUrlOverrideHeaders === true);
  return {
    request,
    url: facts.url,
    scheme: facts.scheme,
    clientIp: request.headers.get('cf-connecting-ip') ?? undefined,
    hostHeader: facts.hostHeader,
    websocket,
    route: facts.route,
    path: facts.upstreamPath,
    get headers(): Headers {
      const headers = asHeaders(upstream);
      upstream = headers;
      return headers;
    },
    get upstreamHeaders(): UpstreamHeaders {
      return upstream;
    },
    body: request.body,
    retry: undefined,
    env: runtime.env,
    settings: runtime.settings,
    runtime,
    outcome: facts.outcome,
    waitUntil: facts.waitUntil,
  };
}
