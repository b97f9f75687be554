/**
 * One request, from the client's URL to the route's chain:
 * 1. scheme, Host and path normalisation (a path hiding a dot segment: 400);
 * 2. the routes the Host can match, from the table store (no table yet: 503);
 * 3. route selection (nothing matches: Traefik's 404);
 * 4. the route's chain (middlewares, then the forwarder).
 */
import { normalizeHost, normalizePath } from '../src/match/normalize.ts';
import { selectRoute } from '../src/match/select.ts';
import type { Scheme } from '../src/table/schema.ts';
import { createContext } from './context.ts';
import type { EdgeEnv } from './env.ts';
import { edgeResponse, NO_TABLE_TEXT } from './errors.ts';
import { routeHandler } from './route-handler.ts';
import { settingsOf, type Settings } from './settings.ts';
import { tableStore } from './table.ts';

export async function handleRequest(request: Request, env: EdgeEnv): Promise<Response> {
  const settings = settingsOf(env);
  const url = new URL(request.url);
  const scheme = schemeOf(url, request.headers, settings);
  const hostHeader = request.headers.get('host') ?? url.host;
  const path = normalizePath(url.pathname);
  if (!path) return edgeResponse(400);
  const lookup = await tableStore(env.TABLE, settings).forHost(normalizeHost(hostHeader));
  if (!lookup) return edgeResponse(503, NO_TABLE_TEXT);
  const selection = selectRoute(lookup.view, path.match, scheme);
  if (!selection) return edgeResponse(404);
  const context = createContext({ request, url, scheme, hostHeader, upstreamPath: path.upstream, route: selection.route, env, settings });
  return routeHandler(selection.route)(context);
}

function schemeOf(url: URL, headers: Headers, settings: Settings): Scheme {
  if (url.protocol === 'https:') return 'https';
  if (settings.trustForwardedProto && headers.get('x-forwarded-proto')?.trim().toLowerCase() === 'https') return 'https';
  return 'http';
}
