/**
 * The dashboard's HTTP server (`--dashboard-port`): the page under
 * `/dashboard/` and its JSON API, read-only (GET and HEAD only).
 *
 * Bound to 127.0.0.1 unless told otherwise, and never served at the edge:
 * operators reach it with `kubectl port-forward`. Requests whose Host is a
 * DNS name other than localhost are refused (421), so a web page cannot
 * read it through DNS rebinding. Every answer carries a Content-Security-
 * Policy that allows only the page's own script and style, and the page
 * puts data into the document as text, never as markup.
 *
 * @example
 * ```ts
 * const dashboard = await startDashboardServer({ port: 8788 }, state);
 * // open http://127.0.0.1:8788/dashboard/
 * ```
 */
import { once } from 'node:events';
import http from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { diagnosticsView, edgeHostsView, healthJson, hostsView, kubernetesProvider, overviewJson, publicationsView } from './api.ts';
import { DASHBOARD_HTML, DASHBOARD_SCRIPT, DASHBOARD_STYLE } from './page.ts';
import type { DashboardState } from './state.ts';

export const DEFAULT_DASHBOARD_ADDRESS = '127.0.0.1';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

export interface DashboardServer {
  readonly url: URL;
  close(): Promise<void>;
}

export async function startDashboardServer(options: { port: number; host?: string }, state: DashboardState): Promise<DashboardServer> {
  const server = http.createServer((req, res) => {
    // Nothing a client sends may throw out of the handler: that would end the agent (or edgress dev).
    try {
      answer(state, req, res);
    } catch (error) {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${error instanceof Error ? error.name : 'unknown'}\n`);
      else res.destroy();
    }
  });
  const host = options.host ?? DEFAULT_DASHBOARD_ADDRESS;
  server.listen(options.port, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: new URL(`http://${shown}:${port}/`),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Hosts a browser may name: IP literals and localhost (DNS names could be rebound to this address). */
export function allowedHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const name = hostHeader.startsWith('[') ? hostHeader.slice(1, hostHeader.indexOf(']')) : hostHeader.replace(/:\d+$/, '');
  const lower = name.toLowerCase();
  return isIP(lower) !== 0 || lower === 'localhost' || lower.endsWith('.localhost');
}

function answer(state: DashboardState, req: http.IncomingMessage, res: http.ServerResponse): void {
  if (!allowedHost(req.headers.host)) return send(res, 421, 'text/plain; charset=utf-8', 'use http://127.0.0.1:<port>/ or http://localhost:<port>/ (kubectl port-forward)\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'the dashboard is read-only\n');
  }
  if (!URL.canParse(req.url ?? '/', 'http://localhost')) return send(res, 400, 'text/plain; charset=utf-8', 'malformed request target\n');
  const rawPath = new URL(req.url ?? '/', 'http://localhost').pathname;
  const path = rawPath.replace(/\/+$/, '') || '/';
  const page = PAGES[path];
  if (page) return send(res, 200, page.type, page.body, req.method === 'HEAD');
  if (path === '/') {
    res.setHeader('location', '/dashboard/');
    return send(res, 302, 'text/plain; charset=utf-8', '/dashboard/\n');
  }
  let body: unknown;
  try {
    body = json(state, path, rawPath);
  } catch (error) {
    if (error instanceof URIError) return send(res, 400, 'text/plain; charset=utf-8', 'malformed escape in the path\n');
    throw error;
  }
  if (body === undefined) return send(res, 404, 'text/plain; charset=utf-8', '404 page not found\n');
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(body), req.method === 'HEAD');
}

const PAGES: Record<string, { type: string; body: string }> = {
  '/dashboard': { type: 'text/html; charset=utf-8', body: DASHBOARD_HTML },
  '/dashboard/app.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_SCRIPT },
  '/dashboard/style.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_STYLE },
};

/** The JSON at `path` (trailing slashes removed; `rawPath` keeps them, as frontend names end in one), or undefined for 404. */
function json(state: DashboardState, path: string, rawPath: string): unknown {
  const provider = () => kubernetesProvider(state.table);
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (path === '/health') return healthJson(state, state.stats.snapshot());
  if (path === '/api/version') return { Version: 'edgress', Codename: 'edge' };
  if (path === '/api' || path === '/api/providers') return { kubernetes: provider() };
  if (segments[0] === 'api' && segments[1] === 'providers' && segments[2] === 'kubernetes') return providerPart(provider(), rawPath.split('/').slice(4).map(decodeURIComponent));
  if (segments[0] === 'api' && segments[1] === 'edgress' && segments.length === 3) {
    switch (segments[2]) {
      case 'overview':
        return overviewJson(state);
      case 'routes':
        return hostsView(state.table, state.stats.snapshot());
      case 'statistics':
        return state.stats.snapshot();
      case 'diagnostics':
        return diagnosticsView(state.diagnostics);
      case 'publications':
        return publicationsView(state);
      case 'edge-hosts':
        return edgeHostsView(state);
    }
  }
  return undefined;
}

/**
 * `/api/providers/kubernetes[/frontends[/{f}[/routes[/{r}]]] | /backends[/{b}[/servers[/{s}]]]]`.
 * `rest` keeps empty segments: names hold slashes and most end in one
 * (`shop.example.com/`), so `frontends/shop.example.com/` names that one and
 * `frontends/shop.example.com` the path-less rule; `%2F` works too.
 */
function providerPart(provider: ReturnType<typeof kubernetesProvider>, rest: readonly string[]): unknown {
  const last = (items: readonly string[], index: number) => index === items.length - 1 && items[index] === '';
  if (rest.length === 0 || last(rest, 0)) return provider;
  const [kind, name] = rest;
  const collection: Record<string, unknown> | undefined = kind === 'frontends' ? provider.frontends : kind === 'backends' ? provider.backends : undefined;
  if (!collection) return undefined;
  if (name === undefined || last(rest, 1)) return collection;
  // The longest prefix of the rest that names an entry wins.
  for (let end = rest.length; end > 1; end--) {
    const joined = rest.slice(1, end).join('/');
    if (!Object.hasOwn(collection, joined)) continue;
    const entry = collection[joined] as Record<string, unknown>;
    const after = rest.slice(end);
    if (after.length === 0) return entry;
    const field = kind === 'frontends' && after[0] === 'routes' ? entry['routes'] : kind === 'backends' && after[0] === 'servers' ? entry['servers'] : undefined;
    if (!field || typeof field !== 'object') continue;
    if (after.length === 1 || last(after, 1)) return field;
    const item = after.slice(1).join('/');
    if (Object.hasOwn(field, item)) return (field as Record<string, unknown>)[item];
  }
  return undefined;
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headOnly = false): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(headOnly ? undefined : body);
}
