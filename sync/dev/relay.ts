/**
 * The dev relay: how the worker reaches endpoints under `edgress dev`.
 *
 * A Worker can never choose the `Host` header of its subrequests (the runtime
 * takes it from the URL), yet pods must see the Host their route asks for, as
 * they do behind the tunnel in production. So the worker's `dev-relay`
 * transport sends each upstream request here, to `http://<host to send><path>`,
 * with the endpoint in `x-edgress-endpoint: <http|https|h2c>://<address>`; the
 * relay opens the connection to that endpoint and forwards the request with
 * the incoming Host, streaming bodies both ways and passing WebSocket
 * upgrades through.
 *
 * Failures: no connection → 502 with `x-edgress-relay-error: connect` (the
 * worker may retry another endpoint); a failure after connecting → 502 with
 * `x-edgress-relay-error: upstream`.
 *
 * @example
 * ```ts
 * const relay = await startRelay();
 * // Miniflare: serviceBindings: { DEV_RELAY: { external: { address: relay.address, http: {} } } }
 * ```
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { forwardH2c } from './relay-h2c.ts';

export const ENDPOINT_HEADER = 'x-edgress-endpoint';
export const RELAY_ERROR_HEADER = 'x-edgress-relay-error';

/** Errors raised before any byte reached the endpoint: safe to try another one. */
const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN']);

export interface Endpoint {
  readonly protocol: 'http' | 'https' | 'h2c';
  readonly hostname: string;
  readonly port: number;
}

export interface Relay {
  /** `127.0.0.1:<port>`, for an external service binding. */
  readonly address: string;
  close(): Promise<void>;
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 512 }),
  // Dev only: pods serving https on loopback rarely hold a certificate for their IP.
  https: new https.Agent({ keepAlive: true, maxSockets: 512, rejectUnauthorized: false }),
};

export async function startRelay(): Promise<Relay> {
  const server = http.createServer(relayRequest);
  server.on('upgrade', relayUpgrade);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Parses `http://10.0.0.1:8080`, `h2c://[fd00::1]:80`; null when malformed. */
export function parseEndpoint(value: string | string[] | undefined): Endpoint | null {
  if (typeof value !== 'string') return null;
  const match = /^(http|https|h2c):\/\/(\[[0-9a-fA-F:.]+\]|[^/:\s]+):(\d{1,5})$/.exec(value);
  if (!match) return null;
  const [, protocol, host, port] = match;
  return { protocol: protocol as Endpoint['protocol'], hostname: host!.replace(/^\[|\]$/g, ''), port: Number(port) };
}

function forwardHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { ...req.headers };
  delete headers[ENDPOINT_HEADER];
  return headers;
}

function relayRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
  const endpoint = parseEndpoint(req.headers[ENDPOINT_HEADER]);
  if (!endpoint) {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('relay: missing or malformed endpoint\n');
    return;
  }
  if (endpoint.protocol === 'h2c') return forwardH2c(endpoint, req, res, forwardHeaders(req), failRequest);
  const client = endpoint.protocol === 'https' ? https : http;
  const upstream = client.request({
    host: endpoint.hostname,
    port: endpoint.port,
    method: req.method,
    path: req.url,
    headers: forwardHeaders(req),
    agent: agents[endpoint.protocol],
    setHost: false,
  });
  upstream.on('response', (upstreamRes) => {
    res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, upstreamRes.rawHeaders);
    upstreamRes.pipe(res);
    upstreamRes.on('error', () => res.destroy());
  });
  upstream.on('error', (error) => failRequest(res, error));
  req.on('error', () => upstream.destroy());
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

/** Answers 502 naming whether the connection was never made; resets a response already started. */
export function failRequest(res: http.ServerResponse, error: Error): void {
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const kind = CONNECT_ERRORS.has(code) ? 'connect' : 'upstream';
  res.writeHead(502, { 'content-type': 'text/plain', [RELAY_ERROR_HEADER]: kind }).end(`relay: ${kind} error\n`);
}

function relayUpgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
  const endpoint = parseEndpoint(req.headers[ENDPOINT_HEADER]);
  if (!endpoint || endpoint.protocol === 'h2c') {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    return;
  }
  const client = endpoint.protocol === 'https' ? https : http;
  const upstream = client.request({
    host: endpoint.hostname,
    port: endpoint.port,
    method: req.method,
    path: req.url,
    headers: forwardHeaders(req),
    setHost: false,
  });
  upstream.on('upgrade', (upstreamRes, upstreamSocket, upstreamHead) => {
    socket.write(statusBlock(upstreamRes));
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('error', () => upstreamSocket.destroy());
  });
  upstream.on('response', (upstreamRes) => {
    socket.write(statusBlock(upstreamRes, true));
    upstreamRes.pipe(socket);
  });
  upstream.on('error', (error) => {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const kind = CONNECT_ERRORS.has(code) ? 'connect' : 'upstream';
    socket.end(`HTTP/1.1 502 Bad Gateway\r\n${RELAY_ERROR_HEADER}: ${kind}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  });
  socket.on('error', () => upstream.destroy());
  upstream.end();
}

/**
 * Status line and raw headers of a response, for writing onto a raw socket.
 * With `closing`, the body that follows is written decoded and the
 * connection ends after it, so framing headers are replaced by `connection: close`.
 */
export function statusBlock(res: http.IncomingMessage, closing = false): string {
  const lines = [`HTTP/1.1 ${res.statusCode} ${res.statusMessage ?? ''}`];
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    const name = res.rawHeaders[i] ?? '';
    if (closing && /^(transfer-encoding|connection|keep-alive)$/i.test(name)) continue;
    lines.push(`${name}: ${res.rawHeaders[i + 1]}`);
  }
  if (closing) lines.push('connection: close');
  return lines.join('\r\n') + '\r\n\r\n';
}
