/**
 * `npm start [-- <example dir>]`: starts a small demo backend for every
 * endpoint the example lists (EndpointSlices and Endpoints; examples/cluster
 * unless another folder such as examples/gateway-api is named), then serves
 * it through `edgress dev --watch` on
 * http://localhost:8787 with the dashboard on http://localhost:8788, and
 * prints requests to try.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { loadAll } from 'js-yaml';

const DEFAULT_CLUSTER = join(import.meta.dirname, 'cluster');
const CLUSTER = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_CLUSTER;
const PORT = Number(process.env.PORT ?? 8787);
const DASHBOARD_PORT = Number(process.env.DASHBOARD_PORT ?? 8788);

interface Backend {
  readonly service: string;
  readonly pod: string;
  readonly ip: string;
  readonly port: number;
}

type Manifest = Record<string, unknown> & { kind?: string; metadata?: { name?: string; labels?: Record<string, string> } };

async function backends(): Promise<Backend[]> {
  const found: Backend[] = [];
  for (const file of (await readdir(CLUSTER)).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    for (const doc of loadAll(await readFile(join(CLUSTER, file), 'utf8')) as Manifest[]) {
      if (doc?.kind === 'EndpointSlice') found.push(...fromSlice(doc));
      if (doc?.kind === 'Endpoints') found.push(...fromEndpoints(doc));
    }
  }
  return found;
}

function fromSlice(slice: Manifest): Backend[] {
  const service = slice.metadata?.labels?.['kubernetes.io/service-name'] ?? '?';
  const port = (slice.ports as { port: number }[] | undefined)?.[0]?.port ?? 80;
  const endpoints = (slice.endpoints as { addresses: string[]; conditions?: { ready?: boolean }; targetRef?: { name?: string } }[]) ?? [];
  return endpoints
    .filter((endpoint) => endpoint.conditions?.ready !== false)
    .map((endpoint) => ({ service, pod: endpoint.targetRef?.name ?? endpoint.addresses[0]!, ip: endpoint.addresses[0]!, port }));
}

function fromEndpoints(endpoints: Manifest): Backend[] {
  const subsets = (endpoints.subsets as { addresses?: { ip: string; targetRef?: { name?: string } }[]; ports?: { port: number }[] }[]) ?? [];
  return subsets.flatMap((subset) =>
    (subset.addresses ?? []).map((address) => ({
      service: endpoints.metadata?.name ?? '?',
      pod: address.targetRef?.name ?? address.ip,
      ip: address.ip,
      port: subset.ports?.[0]?.port ?? 80,
    })),
  );
}

function serve(backend: Backend): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const body = JSON.stringify({ service: backend.service, pod: backend.pod, method: req.method, path: req.url, host: req.headers.host, headers: req.headers }, null, 2);
    res.writeHead(200, { 'content-type': 'application/json' }).end(body + '\n');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(backend.port, backend.ip, () => resolve(server));
  });
}

const servers = await Promise.all((await backends()).map(serve));
console.log(`demo backends: ${servers.length} pods listening on 127.0.x.y`);
const edgress = spawn(process.execPath, [join(import.meta.dirname, '../bin/edgress.mjs'), 'dev', '-f', CLUSTER, '--port', String(PORT), '--watch', '--dashboard-port', String(DASHBOARD_PORT)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
edgress.stdout.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (chunk.toString().includes('dashboard on')) printTryLines();
});
const stop = () => {
  edgress.kill('SIGTERM');
  for (const server of servers) server.close();
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
edgress.on('exit', (code) => {
  for (const server of servers) server.close();
  process.exitCode = code ?? 0;
});

function printTryLines(): void {
  const base = `http://localhost:${PORT}`;
  if (CLUSTER !== DEFAULT_CLUSTER) {
    console.log(`\nDashboard: http://localhost:${DASHBOARD_PORT}\nServing ${CLUSTER} on ${base}: its README.md lists requests to try. Stop with Ctrl-C.`);
    return;
  }
  console.log(`
Dashboard: http://localhost:${DASHBOARD_PORT} (routes, live statistics, diagnostics; JSON at /api/providers and /health)

Try (edit examples/cluster/*.yaml and the change is served at once):
  curl -H 'Host: shop.example.com' ${base}/                       # web, round robin over 2 pods
  curl -H 'Host: shop.example.com' '${base}/api/orders?page=2'    # api (Prefix /api), query untouched
  curl -H 'Host: shop.example.com' ${base}/healthz                # api (Exact /healthz)
  curl -H 'Host: shop.example.com' ${base}/apiary                 # web: Prefix /api is element-wise
  curl -H 'Host: legacy.example.com' ${base}/app/users            # legacy pod sees /users (PathPrefixStrip)
  curl -H 'Host: pr-42.preview.example.com' ${base}/              # wildcard *.preview.example.com
  curl -H 'Host: unknown.example.org' ${base}/                    # the default backend
  npx edgress explain -f examples/cluster http://shop.example.com/api/orders
Stop with Ctrl-C.`);
}
