/**
 * The processes of the dev throughput benchmark (`dev-rps.ts`) that must not
 * share its event loop:
 *   node bench/dev-load.ts upstream
 *     an upstream answering "ok"; prints its port, runs until SIGTERM;
 *   node bench/dev-load.ts load <url> <host> <seconds> <connections>
 *     keep-alive GETs of <url> with Host <host> on <connections> connections
 *     for <seconds>; prints one JSON line ({ rps, requests }). Any answer
 *     but 200 "ok" fails it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const [mode, ...args] = process.argv.slice(2);

if (mode === 'upstream') {
  // The benchmark Services' endpoints are 127.0.0.1, .2 and .3, on one port.
  const serve = () => {
    const server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    server.keepAliveTimeout = 60_000;
    return server;
  };
  const first = serve();
  await new Promise<void>((resolve) => first.listen(0, '127.0.0.1', resolve));
  const { port } = first.address() as AddressInfo;
  for (const address of ['127.0.0.2', '127.0.0.3']) await new Promise<void>((resolve) => serve().listen(port, address, resolve));
  process.stdout.write(`${port}\n`);
  process.once('SIGTERM', () => process.exit(0));
} else if (mode === 'load') {
  const [url, host, seconds, connections] = args;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
  const deadline = performance.now() + Number(seconds) * 1000;
  let requests = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      http.get(url!, { agent, headers: { host: host! } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 && body === 'ok' ? resolve() : reject(new Error(`answered ${res.statusCode} ${body.slice(0, 200)}`))));
      }).on('error', reject);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(connections) }, async () => {
      while (performance.now() < deadline) {
        await one();
        requests++;
      }
    }),
  );
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ rps: requests / ((performance.now() - started) / 1000), requests })}\n`);
} else {
  throw new Error('usage: dev-load.ts upstream | load <url> <host> <seconds> <connections>');
}
