/**
 * The `edgress` command line as a user meets it: help on every command,
 * `compile`'s output, diagnostics and exit statuses, `explain`'s answers, and
 * a WebSocket through `edgress dev`.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeFrame, readFrame } from '../upstreams/websocket.ts';
import { runCli, startDev, tempDir, type DevProcess } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type PodSet } from './harness/pods.ts';

const INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: default
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: 8080
`;

describe('help', () => {
  it.each([[[]], [['compile']], [['dev']], [['explain']], [['sync']]])('edgress %j --help explains itself', async (command) => {
    const result = await runCli([...command, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: edgress/);
    if (command.length > 0) expect(result.stdout).toMatch(/--ingress-class|--kubeconfig/);
  });
});

describe('edgress compile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir({
      'good.yaml': INGRESS + '---\n' + toYaml(serviceObjects('api', [{ service: 'api', name: 'api-0', ip: '10.0.0.1', port: 8080, seen: [] }])),
      'missing-service.yaml': INGRESS.replace('name: shop', 'name: other').replace('shop.example.com', 'other.example.com').replace('name: api', 'name: nowhere'),
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('prints the table on stdout and one diagnostic per line on stderr', async () => {
    const result = await runCli(['compile', '-f', dir]);
    expect(result.status).toBe(0);
    const table = JSON.parse(result.stdout) as { routers: { host: string }[] };
    expect(table.routers.map((router) => router.host).sort()).toEqual(['other.example.com', 'shop.example.com']);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/ServiceNotFound.*Ingress default\/other/);
    expect(lines[1]).toBe('summary: 2 Ingresses: 2 served, 0 skipped; 1 error, 0 warnings');
  });

  it('exits 1 with --strict when there are diagnostics, and writes -o atomically', async () => {
    const output = join(dir, 'table.json');
    const result = await runCli(['compile', '-f', dir, '--strict', '-o', output]);
    expect(result.status).toBe(1);
    expect(JSON.parse(await readFile(output, 'utf8'))).toMatchObject({ schema: 1 });
  });

  it('exits 2 naming the file and line of invalid YAML, or an unreadable path', async () => {
    const broken = await tempDir({ 'broken.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n bad: [\n' });
    const invalid = await runCli(['compile', '-f', broken]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/broken\.yaml:5: /);
    const missing = await runCli(['compile', '-f', join(dir, 'does-not-exist')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/does-not-exist: no such file or directory/);
    await rm(broken, { recursive: true, force: true });
  });
});

describe('edgress explain', () => {
  it('names the route, why it won, its middlewares and endpoints', async () => {
    const result = await runCli(['explain', '-f', 'examples/cluster', 'http://shop.example.com/api/orders']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/route: +shop\/shop#0\.1 \(Ingress shop\/shop\)/);
    expect(result.stdout).toMatch(/exact host rule names this host/);
    expect(result.stdout).toMatch(/also matched[^\n]*\n +- shop\/shop#0\.0: Prefix \//);
    expect(result.stdout).toMatch(/endpoint 127\.0\.11\.1:18080 weight 1 \(pod api-7c9b4-aaaaa\)/);
    expect(result.stdout).not.toMatch(/api-7c9b4-starting/);
  });

  it('says why nothing matches, and exits 1', async () => {
    const table = await runCli(['compile', '-f', 'examples/cluster', '-o', '/dev/null']);
    expect(table.status).toBe(0);
    const result = await runCli(['explain', '-f', 'examples/cluster/shop.yaml', 'http://shop.example.com.:8080/none']);
    expect(result.status).toBe(0); // shop.yaml has a Prefix / rule: everything on the host matches
    const none = await runCli(['explain', '-f', 'examples/cluster/legacy.yaml', 'http://legacy.example.com/elsewhere']);
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/404: rules for host legacy\.example\.com apply, none of their paths matches/);
  });

  it('answers JSON with --json', async () => {
    const result = await runCli(['explain', '--json', '-f', 'examples/cluster', 'http://unknown.example.org/']);
    expect(JSON.parse(result.stdout)).toMatchObject({ matched: true, route: { id: 'previews/previews#default', ingress: 'previews/previews' } });
  });
});

describe('WebSocket through edgress dev', () => {
  let pods: PodSet;
  let dev: DevProcess;
  let dir: string;
  beforeAll(async () => {
    pods = await startPods({ api: 1 });
    dir = await tempDir({ 'ingress.yaml': INGRESS, 'services.yaml': toYaml(serviceObjects('api', pods.pods)) });
    dev = await startDev(['-f', dir]);
  });
  afterAll(async () => {
    await dev.stop();
    await pods.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('upgrades, and messages go both ways through the worker', async () => {
    const socket = await new Promise<import('node:net').Socket>((resolve, reject) => {
      const request = http.request({
        host: dev.url.hostname,
        port: dev.url.port,
        path: '/api/chat',
        headers: { host: 'shop.example.com', connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
      });
      request.on('upgrade', (response, upgraded) => (response.statusCode === 101 ? resolve(upgraded) : reject(new Error(`status ${response.statusCode}`))));
      request.on('response', (response) => reject(new Error(`no upgrade: ${response.statusCode}`)));
      request.on('error', reject);
      request.end();
    });
    const reply = new Promise<string>((resolve) => {
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        const frame = readFrame(buffered);
        if (frame) resolve(frame.payload.toString());
      });
    });
    socket.write(encodeFrame(0x1, Buffer.from('hello'), randomBytes(4)));
    expect(await reply).toBe('api-0:hello');
    socket.destroy();
  });
});
