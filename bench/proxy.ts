/**
 * Proxy throughput, same machine, same pinning (docs/measurements/performance.md):
 * the upstream (nginx `return 200 "ok"`) and each server under test on CPU 1,
 * wrk on CPU 0; the full edgress worker against a bare workerd `fetch()`
 * pass-through and nginx `proxy_pass` (keepalive), rounds in alternating
 * order, medians reported.
 *   node bench/proxy.ts [seconds] [rounds]
 * prints one JSON line. Every server is first checked to answer correctly.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_AUTHORIZATION, BENCH_HOST, BENCH_PATH } from './proxy-cluster.ts';

const UPSTREAM_PORT = 18901;
const NGINX_PROXY_PORT = 18902;

interface Server {
  readonly name: 'bare' | 'edgress' | 'nginx';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

interface WrkResult {
  readonly rps: number;
  readonly p99_ms: number;
}

/** Installs Debian's nginx and wrk when missing (the machine allows apt as root). */
export function ensureTools(): void {
  const missing = ['nginx', 'wrk'].filter((tool) => spawnSync('which', [tool]).status !== 0);
  if (missing.length === 0) return;
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing.map((tool) => (tool === 'nginx' ? 'nginx-light' : tool))], { stdio: 'inherit' });
  if (install.status !== 0) throw new Error(`could not install ${missing.join(', ')} (apt-get install needs root)`);
}

async function startNginx(dir: string): Promise<ChildProcess> {
  const conf = join(dir, 'nginx.conf');
  await writeFile(
    conf,
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream pods { server 127.0.0.1:${UPSTREAM_PORT}; keepalive 64; }
  server { listen ${UPSTREAM_PORT}; location / { return 200 "ok"; } }
  server { listen 127.0.0.1:${NGINX_PROXY_PORT}; location / { proxy_pass http://pods; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
`,
  );
  const child = spawn('taskset', ['-c', '1', 'nginx', '-c', conf], { stdio: 'ignore' });
  await waitFor(`http://127.0.0.1:${UPSTREAM_PORT}/`);
  return child;
}

async function startWorkerServer(kind: 'bare' | 'edgress'): Promise<{ child: ChildProcess; url: string }> {
  const script = new URL('./proxy-server.ts', import.meta.url).pathname;
  const child = spawn('taskset', ['-c', '1', process.execPath, script, kind, String(UPSTREAM_PORT)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`proxy server ${kind} exited with ${code}`)));
  });
  return { child, url };
}

async function waitFor(url: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await get(url, {}).then(() => true, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${url} never answered`);
}

function get(url: string, headers: Readonly<Record<string, string>>): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    request.on('error', reject);
  });
}

/** Every server must answer the benchmark request with the upstream's "ok" (edgress: through its whole chain). */
async function verify(server: Server): Promise<void> {
  const reply = await get(server.url + BENCH_PATH, server.headers);
  if (reply.status !== 200 || reply.body !== 'ok') throw new Error(`${server.name} answered ${reply.status} ${reply.body.slice(0, 200)}`);
  if (server.name === 'edgress' && (reply.headers['x-served-by'] !== 'edgress' || reply.headers['x-frame-options'] !== 'DENY')) {
    throw new Error('edgress answered without the route\'s response headers: the chain did not run');
  }
  const denied = server.name === 'edgress' ? await get(server.url + BENCH_PATH, { host: BENCH_HOST }) : undefined;
  if (denied && denied.status !== 401) throw new Error(`edgress let a request without credentials through (${denied.status})`);
}

function wrk(server: Server, seconds: number): WrkResult {
  // wrk adds its own Host unless one is given spelled exactly "Host".
  const capitalised = (name: string) => name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
  const headers = Object.entries(server.headers).flatMap(([name, value]) => ['-H', `${capitalised(name)}: ${value}`]);
  const run = spawnSync('taskset', ['-c', '0', 'wrk', '-t1', '-c32', `-d${seconds}s`, '--latency', ...headers, server.url + BENCH_PATH], { encoding: 'utf8' });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1]);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(run.stdout);
  if (!Number.isFinite(rps) || !p99) throw new Error(`wrk output not understood:\n${run.stdout}${run.stderr}`);
  const scale = { us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'];
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(run.stdout);
  if (errors) throw new Error(`${server.name}: ${errors[1]} error responses under load`);
  return { rps, p99_ms: Number(p99[1]) * scale };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function proxyThroughput(seconds: number, rounds: number) {
  ensureTools();
  const dir = await mkdtemp(join(tmpdir(), 'edgress-proxy-'));
  const children: ChildProcess[] = [];
  try {
    children.push(await startNginx(dir));
    const bare = await startWorkerServer('bare');
    const edgress = await startWorkerServer('edgress');
    children.push(bare.child, edgress.child);
    const servers: Server[] = [
      { name: 'bare', url: bare.url, headers: { host: BENCH_HOST } },
      { name: 'edgress', url: edgress.url, headers: { host: BENCH_HOST, authorization: BENCH_AUTHORIZATION } },
      { name: 'nginx', url: `http://127.0.0.1:${NGINX_PROXY_PORT}`, headers: { host: BENCH_HOST } },
    ];
    for (const server of servers) await verify(server);
    const results: Record<Server['name'], WrkResult[]> = { bare: [], edgress: [], nginx: [] };
    for (let round = 0; round < rounds; round++) {
      // Alternate the order so warm-up and thermal drift favour no one.
      for (const server of round % 2 === 0 ? servers : [...servers].reverse()) results[server.name].push(wrk(server, seconds));
    }
    const summary = (name: Server['name']) => ({ rps: median(results[name].map((r) => r.rps)), p99_ms: median(results[name].map((r) => r.p99_ms)) });
    const [b, e, n] = [summary('bare'), summary('edgress'), summary('nginx')];
    return {
      rps_ratio_vs_bare: e.rps / b.rps,
      p99_ratio_vs_bare: e.p99_ms / b.p99_ms,
      rps: { edgress: e.rps, bare_workerd: b.rps, nginx: n.rps },
      p99_ms: { edgress: e.p99_ms, bare_workerd: b.p99_ms, nginx: n.p99_ms },
      rounds,
      seconds,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const [seconds, rounds] = process.argv.slice(2);
  process.stdout.write(JSON.stringify(await proxyThroughput(Number(seconds ?? 8), Number(rounds ?? 3))) + '\n');
}
