// Echo servers standing in for pods. Each answers JSON describing what it
// received (see `Echo`), unless the request asks otherwise through headers:
// - `x-echo-delay-ms: N`       wait N ms before sending response headers;
// - `x-echo-status: N`         answer with status N;
// - `x-echo-response-headers`  JSON object of extra response headers (arrays repeat a header);
// - `x-echo-mode: stream`      send headers at once, then stream the request body back as it arrives;
// - `x-echo-reset: a,c`        the servers named destroy the connection once the request is read.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Echo, EchoName } from './provided.ts';
import { acceptWebSocket } from './websocket.ts';

export async function startEchoServer(name: EchoName, host: string): Promise<http.Server> {
  const server = http.createServer((request, response) => void answer(name, request, response));
  server.on('upgrade', (request, socket) => acceptWebSocket(name, request, socket));
  await listen(server, host);
  return server;
}

async function answer(name: EchoName, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const mode = request.headers['x-echo-mode'];
  if (mode === 'stream') return streamBack(name, request, response);
  const body = await readBody(request);
  if (String(request.headers['x-echo-reset'] ?? '').split(',').includes(name)) return void request.socket.destroy();
  const delay = Number(request.headers['x-echo-delay-ms'] ?? 0);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  if (response.destroyed) return;
  const extra = JSON.parse(String(request.headers['x-echo-response-headers'] ?? '{}')) as Record<string, string | string[]>;
  for (const [header, value] of Object.entries(extra)) response.setHeader(header, value);
  const echo: Echo = { name, method: request.method ?? '', url: request.url ?? '', headers: joinedHeaders(request), body };
  response.writeHead(Number(request.headers['x-echo-status'] ?? 200), { 'content-type': 'application/json', 'x-echo-name': name });
  response.end(JSON.stringify(echo));
}

function streamBack(name: EchoName, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/plain', 'x-echo-name': name });
  response.flushHeaders();
  request.pipe(response);
}

function joinedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const header = request.rawHeaders[i]!.toLowerCase();
    const value = request.rawHeaders[i + 1]!;
    headers[header] = header in headers ? `${headers[header]}, ${value}` : value;
  }
  return headers;
}

export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

export async function listen(server: http.Server, host: string, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return `${host}:${(server.address() as AddressInfo).port}`;
}

export function addressOf(server: http.Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `${address}:${port}`;
}
