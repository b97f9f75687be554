/**
 * The socket `edgress dev` listens on, standing in for Cloudflare's edge in
 * front of the worker. It does what the edge does before a Worker runs and
 * nothing more:
 * - `CF-Connecting-IP` is the socket's peer address, always (a client-sent
 *   copy is replaced, as Cloudflare replaces it);
 * - the request's `cf` object is built here (Miniflare reads it from
 *   `MF-CF-Blob`); client-sent `MF-*` headers never reach the worker;
 * - `cf.tlsClientAuth` describes the client certificate a request presents
 *   with the dev-only `X-Edgress-Dev-Client-Cert` header, among those
 *   `--client-certs` lists (see `./client-certs.ts`); that header never
 *   reaches the worker;
 * - WebSocket upgrades are passed through.
 * Requests then go to the worker's own socket in workerd over keep-alive
 * connections, with bodies streamed.
 *
 * @example
 * ```ts
 * const front = await startFront({ host: '127.0.0.1', port: 8787, worker: new URL('http://127.0.0.1:40123') });
 * ```
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DEV_CLIENT_CERT_HEADER, tlsClientAuthFor, type ClientCertificates } from './client-certs.ts';
import { statusBlock } from './relay.ts';

export interface FrontOptions {
  readonly host: string;
  readonly port: number;
  /** The worker's direct socket in workerd, or the sockets of its copies (requests rotate over them). */
  readonly worker: URL | readonly URL[];
  /** Certificates a request may present with `X-Edgress-Dev-Client-Cert` (`--client-certs`). */
  readonly clientCertificates?: ClientCertificates;
}

export interface Front {
  readonly url: URL;
  close(): Promise<void>;
}

/** Headers only Cloudflare's edge may set: removed from what the client sent. */
const EDGE_HEADERS = new Set([
  'cf-connecting-ip', 'cf-connecting-ipv6', 'true-client-ip', 'cf-ray', 'cf-visitor', 'cf-worker', 'cf-ew-via', 'cdn-loop', DEV_CLIENT_CERT_HEADER,
]);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

export async function startFront(options: FrontOptions): Promise<Front> {
  const workers = Array.isArray(options.worker) ? options.worker : [options.worker as URL];
  let turn = 0;
  // Round robin, as Cloudflare may hand consecutive requests to different isolates.
  const next = (): URL => workers[turn++ % workers.length] as URL;
  const certificates = options.clientCertificates;
  const server = http.createServer((req, res) => forward(next(), certificates, req, res));
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => forwardUpgrade(next(), certificates, req, socket, head));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: new URL(`http://${host}:${port}`),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The client's headers as the edge would hand them to a Worker. */
export function edgeHeaders(req: http.IncomingMessage, certificates?: ClientCertificates): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || EDGE_HEADERS.has(name) || name.startsWith('mf-')) continue;
    headers[name] = value;
  }
  const clientIp = peerAddress(req.socket);
  headers['cf-connecting-ip'] = clientIp;
  headers['mf-cf-blob'] = JSON.stringify(cfProperties(req, clientIp, certificates));
  return headers;
}

function peerAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The `request.cf` a request gets at the edge. */
function cfProperties(req: http.IncomingMessage, clientIp: string, certificates: ClientCertificates | undefined): Record<string, unknown> {
  return {
    clientIp,
    httpProtocol: `HTTP/${req.httpVersion}`,
    colo: 'DEV',
    tlsClientAuth: tlsClientAuthFor(req, certificates),
  };
}

function forward(worker: URL, clientCertificates: ClientCertificates | undefined, req: http.IncomingMessage, res: http.ServerResponse): void {
  const upstream = http.request({
    host: worker.hostname,
    port: worker.port,
    method: req.method,
    path: req.url,
    headers: edgeHeaders(req, clientCertificates),
    agent,
    setHost: false,
  });
  upstream.on('response', (workerRes) => {
    res.writeHead(workerRes.statusCode ?? 502, workerRes.statusMessage, workerRes.rawHeaders);
    workerRes.pipe(res);
    workerRes.on('error', () => res.destroy());
  });
  upstream.on('error', () => {
    if (res.headersSent) res.destroy();
    else res.writeHead(502, { 'content-type': 'text/plain' }).end('edgress dev: the worker is not reachable\n');
  });
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function forwardUpgrade(worker: URL, clientCertificates: ClientCertificates | undefined, req: http.IncomingMessage, socket: Socket, head: Buffer): void {
  const upstream = http.request({
    host: worker.hostname,
    port: worker.port,
    method: req.method,
    path: req.url,
    headers: edgeHeaders(req, clientCertificates),
    setHost: false,
  });
  upstream.on('upgrade', (workerRes, workerSocket, workerHead) => {
    socket.write(statusBlock(workerRes));
    if (workerHead.length > 0) socket.write(workerHead);
    if (head.length > 0) workerSocket.write(head);
    workerSocket.pipe(socket).pipe(workerSocket);
    workerSocket.on('error', () => socket.destroy());
    socket.on('error', () => workerSocket.destroy());
  });
  upstream.on('response', (workerRes) => {
    socket.write(statusBlock(workerRes, true));
    workerRes.pipe(socket);
  });
  upstream.on('error', () => socket.destroy());
  upstream.end();
}
