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
 * - requests are checked as the edge checks them (`./request-target.ts`):
 *   one well-formed Host, origin-form targets (absolute-form rewritten to
 *   origin-form with its authority as Host), no framing header (`Host`,
 *   `Content-Length`, `Transfer-Encoding`) named in `Connection`, else 400;
 *   hop-by-hop headers (`Transfer-Encoding`, `Connection` and the others it
 *   names, …) describe the client's connection and are not passed on;
 *   `Expect` is answered here (Node sends `100 Continue`) and not passed on;
 * - WebSocket upgrades are passed through.
 * Requests then go to the worker's own socket in workerd, with bodies
 * streamed and framed again here: by the Content-Length Node parsed, chunked
 * when the client chunked, and no body at all when the client sent none, so
 * nothing reaches workerd that Node has not parsed as this request's body
 * (SECURITY.md findings: a body left unframed was read by workerd as a second request
 * the front never checked). Each client connection has its own connections
 * to workerd (kept alive for that client only), so one client's bytes can
 * never become part of another client's request.
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
import { originForm } from './request-target.ts';

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

/** Hop-by-hop headers (RFC 9110 §7.6.1): about the client's connection, never passed on (upgrades keep theirs). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** Headers only Cloudflare's edge may set: removed from what the client sent. */
const EDGE_HEADERS = new Set([
  'cf-connecting-ip', 'cf-connecting-ipv6', 'true-client-ip', 'cf-ray', 'cf-visitor', 'cf-worker', 'cf-ew-via', 'cdn-loop', DEV_CLIENT_CERT_HEADER,
]);

/** Headers that frame the request: naming them in `Connection` would make the front drop them (RFC 9110 §7.6.1). */
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding']);

/** Kept-alive connections to workerd, one pool per client connection, closed with it. */
const agents = new WeakMap<Socket, http.Agent>();

function agentFor(client: Socket): http.Agent {
  let agent = agents.get(client);
  if (!agent) {
    const created = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.set(client, created);
    client.once('close', () => created.destroy());
    agent = created;
  }
  return agent;
}

export async function startFront(options: FrontOptions): Promise<Front> {
  const workers = Array.isArray(options.worker) ? options.worker : [options.worker as URL];
  let turn = 0;
  // Round robin, as Cloudflare may hand consecutive requests to different isolates.
  const next = (): URL => workers[turn++ % workers.length] as URL;
  const certificates = options.clientCertificates;
  const server = http.createServer((req, res) => forward(next(), certificates, req, res));
  server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => forwardUpgrade(next(), certificates, req, socket, head));
  server.on('connect', (_req: http.IncomingMessage, socket: Socket) => socket.end(BAD_REQUEST));
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

const BAD_REQUEST = 'HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 12\r\nconnection: close\r\n\r\nBad Request\n';

/** The client's headers as the edge would hand them to a Worker, with the Host of `host`. */
export function edgeHeaders(req: http.IncomingMessage, certificates?: ClientCertificates, host?: string): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  const upgrade = req.headers.upgrade !== undefined;
  const named = connectionTokens(req);
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || EDGE_HEADERS.has(name) || name.startsWith('mf-') || name === 'expect') continue;
    if (name === 'content-length' || name === 'transfer-encoding') continue;
    if ((HOP_BY_HOP.has(name) || named.has(name)) && !(upgrade && (name === 'upgrade' || name === 'connection'))) continue;
    headers[name] = value;
  }
  // The body is framed again on the way to the worker: chunked when the client chunked it, else by the
  // Content-Length Node parsed; none means no body (see `hasBody`).
  if (req.headers['transfer-encoding'] !== undefined) headers['transfer-encoding'] = 'chunked';
  else if (req.headers['content-length'] !== undefined) headers['content-length'] = req.headers['content-length'];
  if (host !== undefined) headers['host'] = host;
  const clientIp = peerAddress(req.socket);
  headers['cf-connecting-ip'] = clientIp;
  headers['mf-cf-blob'] = JSON.stringify(cfProperties(req, clientIp, certificates));
  return headers;
}

function connectionTokens(req: http.IncomingMessage): Set<string> {
  return new Set((req.headers.connection ?? '').split(',').map((token) => token.trim().toLowerCase()).filter(Boolean));
}

/** Why the front refuses the request's framing, if it does: a framing header named in `Connection`. */
export function framingProblem(req: http.IncomingMessage): string | undefined {
  const named = [...connectionTokens(req)].filter((token) => FRAMING.has(token));
  return named.length > 0 ? `Connection names ${named.join(', ')}` : undefined;
}

/** An upgrade request goes on without a body: what follows its head is the upgraded stream's. */
function withoutBody(headers: http.OutgoingHttpHeaders): http.OutgoingHttpHeaders {
  const { 'content-length': _length, 'transfer-encoding': _coding, ...rest } = headers;
  return rest;
}

/** Whether Node parsed a body for the request (a Content-Length above 0, or chunked). */
function hasBody(req: http.IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
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
  const target = originForm(req);
  if ('error' in target || framingProblem(req) !== undefined) {
    // `connection: close`: after a refused request, the client's connection is not trusted to be in step.
    res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('Bad Request\n');
    return;
  }
  const upstream = http.request({
    host: worker.hostname,
    port: worker.port,
    method: req.method,
    path: target.path,
    headers: edgeHeaders(req, clientCertificates, target.host),
    agent: agentFor(req.socket),
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
  if (hasBody(req)) req.pipe(upstream);
  else upstream.end();
}

function forwardUpgrade(worker: URL, clientCertificates: ClientCertificates | undefined, req: http.IncomingMessage, socket: Socket, head: Buffer): void {
  const target = originForm(req);
  if ('error' in target || framingProblem(req) !== undefined) {
    socket.end(BAD_REQUEST);
    return;
  }
  const upstream = http.request({
    host: worker.hostname,
    port: worker.port,
    method: req.method,
    path: target.path,
    headers: withoutBody(edgeHeaders(req, clientCertificates, target.host)),
    // A connection of its own, never pooled: after the upgrade it carries this client's bytes only.
    agent: false,
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
