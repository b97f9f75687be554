/**
 * `--metrics-port`: `/healthz` (the process answers), `/readyz` (informers
 * synced and the last publish succeeded) and Prometheus `/metrics`.
 *
 * @example
 * ```ts
 * const server = await startHealthServer({ port: 9100 }, agent);
 * // curl :9100/readyz → 200 ready | 503 not ready
 * ```
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentMetrics } from './metrics.ts';

export interface HealthSource {
  readonly ready: boolean;
  readonly metrics: AgentMetrics;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startHealthServer(options: { port: number; host?: string }, source: HealthSource): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    // A target URL cannot parse (`GET http://[`) must not throw out of the handler: that would end the agent.
    if (!URL.canParse(req.url ?? '/', 'http://localhost')) return void res.writeHead(400, { 'content-type': 'text/plain' }).end('malformed request target\n');
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/readyz') {
      const ready = source.ready;
      return void res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    }
    if (path === '/metrics') {
      const registry = source.metrics.registry;
      return void registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
