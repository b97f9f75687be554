/**
 * Echo servers standing in for pods. Each listens on its own loopback
 * address (127.0.x.y) at a port shared by the pods of one test, and answers
 * what it received as JSON: which Service and pod it is, the method, path,
 * query, Host, headers and body, and the HTTP version. A request may ask
 * for another status with `x-echo-status: N` and for extra response headers
 * with `x-echo-response-headers: <JSON object>`, as the worker tests' echo
 * servers allow.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { acceptWebSocket, upgradedSockets } from '../../upstreams/websocket.ts';

export interface EchoReply {
  readonly service: string;
  readonly pod: string;
  readonly method: string;
  /** Path and query exactly as received. */
  readonly url: string;
  readonly path: string;
  readonly host: string;
  readonly proto: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface Pod {
  readonly service: string;
  readonly name: string;
  readonly ip: string;
  readonly port: number;
  /** Requests this pod has answered. */
  readonly seen: EchoReply[];
}

export interface PodSet {
  readonly pods: Pod[];
  readonly port: number;
  close(): Promise<void>;
}

let nextAddress = 2 + Math.floor(Math.random() * 200) * 250;

/** The next unused loopback address (127.0.0.0/8 all reaches this machine). */
function allocateIp(): string {
  let n = nextAddress++;
  // Skip x.y.z.0 and x.y.z.255, which look like network and broadcast addresses.
  while ((n & 255) === 0 || (n & 255) === 255) n = nextAddress++;
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** Starts `count` pods for each service, all listening on one port; `record: false` keeps `seen` empty (long runs). */
export async function startPods(services: Readonly<Record<string, number>>, options: { record?: boolean } = {}): Promise<PodSet> {
  const servers: http.Server[] = [];
  const pods: Pod[] = [];
  let port = 0;
  for (const [service, count] of Object.entries(services)) {
    for (let i = 0; i < count; i++) {
      const pod: Pod = { service, name: `${service}-${i}`, ip: allocateIp(), port, seen: [] };
      const server = http.createServer((req, res) => answer(pod, req, res, options.record ?? true));
      // WebSocket upgrades are echoed: every text frame comes back as `<pod>:<text>`.
      server.on('upgrade', (req, socket) => acceptWebSocket(pod.name, req, socket));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, pod.ip, resolve);
      });
      port = (server.address() as AddressInfo).port;
      servers.push(server);
      // The copy shares `seen` with the pod the server answers for.
      pods.push({ ...pod, port });
    }
  }
  return {
    pods,
    port,
    close: async () => {
      for (const socket of upgradedSockets) socket.destroy();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function answer(pod: Pod, req: http.IncomingMessage, res: http.ServerResponse, record: boolean): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const url = req.url ?? '';
    const reply: EchoReply = {
      service: pod.service,
      pod: pod.name,
      method: req.method ?? '',
      url,
      path: url.split('?')[0] ?? '',
      host: req.headers.host ?? '',
      proto: `HTTP/${req.httpVersion}`,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
    };
    if (record) pod.seen.push(reply);
    const body = JSON.stringify(reply);
    const extra = JSON.parse(String(req.headers['x-echo-response-headers'] ?? '{}')) as Record<string, string>;
    res.writeHead(Number(req.headers['x-echo-status'] ?? 200), {
      'content-type': 'application/json', server: 'echoserver', ...extra, 'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
}
