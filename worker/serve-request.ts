/**
 * One request, from the client's URL to the route's chain:
 * 1. scheme, Host and path normalisation (a Host with an empty label or a
 *    port above 65535, a path hiding a dot segment: 400);
 *    from here on the request's URL carries the normalised path, so every
 *    part that decides by the path (forward auth's `X-Forwarded-Uri`,
 *    redirects, path modifiers) sees the path the pod receives;
 * 2. the routes the Host can match, from the table store (no table yet: 503);
 * 3. route selection (nothing matches: Traefik's 404);
 * 4. the route's chain (middlewares, then the forwarder);
 * 5. one statistics data point, when `STATS` is bound (`./shared/stats.ts`).
 */
import { isRoutableHost, normalizeHost, normalizePath } from '../src/match/normalize.ts';
import { selectRoute } from '../src/match/select.ts';
import type { Scheme } from '../src/table/schema.ts';
import { createContext } from './chain/context.ts';
import type { EdgeEnv } from './base/env.ts';
import { edgeResponse, failureResponse, NO_TABLE_TEXT } from './base/errors.ts';
import { routeChain } from './route-chain.ts';
import { runtimeOf, type WorkerRuntime } from './runtime/runtime.ts';
import type { Settings } from './base/settings.ts';
import { newOutcome, writeStats, type ErrorKind, type RequestOutcome, type WaitUntil } from './base/stats.ts';

export async function handleRequest(request: Request, env: EdgeEnv, execution?: WaitUntil): Promise<Response> {
  const started = Date.now();
  const outcome = newOutcome();
  let response: Response;
  try {
    response = await serve(request, env, outcome, execution);
  } catch (error) {
    outcome.error = 'internal';
    response = failureResponse(error);
  }
  writeStats(env.STATS, execution, request, response, outcome, Date.now() - started);
  return response;
}

async function serve(request: Request, env: EdgeEnv, outcome: RequestOutcome, execution: WaitUntil | undefined): Promise<Response> {
  const runtime: WorkerRuntime = runtimeOf(env);
  const settings = runtime.settings;
  const url = new URL(request.url);
  const scheme = schemeOf(url, request.headers, settings);
  const hostHeader = request.headers.get('host') ?? url.host;
  if (!isRoutableHost(hostHeader)) return edgeResponse(400);
  const path = normalizePath(url.pathname);
  const host = normalizeHost(hostHeader);
  outcome.host = host;
  if (!path) return edgeFailure(outcome, 'bad-path', edgeResponse(400));
  const requested = withPath(url, path.upstream);
  if (!requested) return edgeFailure(outcome, 'bad-path', edgeResponse(400));
  const found = runtime.table().forHost(host);
  const lookup = found instanceof Promise ? await found : found;
  if (!lookup) return edgeFailure(outcome, 'no-table', edgeResponse(503, NO_TABLE_TEXT));
  const selection = selectRoute(lookup.view, path.match, scheme, request);
  if (!selection) return edgeFailure(outcome, 'no-route', edgeResponse(404));
  outcome.route = selection.route;
  const context = createContext({ request, url: requested, scheme, hostHeader, upstreamPath: path.upstream, route: selection.route, runtime, outcome, waitUntil: execution && ((promise) => execution.waitUntil(promise)) });
  return routeChain(selection.route)(context);
}

function edgeFailure(outcome: RequestOutcome, error: ErrorKind, response: Response): Response {
  outcome.error = error;
  return response;
}

/**
 * `url` with the normalised path, or null when the URL parser would read that
 * path differently (then no two parts of the edge could agree on it: 400).
 */
function withPath(url: URL, path: string): URL | null {
  if (url.pathname === path) return url;
  const normalised = new URL(url);
  normalised.pathname = path;
  return normalised.pathname === path ? normalised : null;
}

function schemeOf(url: URL, headers: Headers, settings: Settings): Scheme {
  if (url.protocol === 'https:') return 'https';
  if (settings.trustForwardedProto && headers.get('x-forwarded-proto')?.trim().toLowerCase() === 'https') return 'https';
  return 'http';
}
