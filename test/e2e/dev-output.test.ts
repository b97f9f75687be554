/**
 * `edgress dev` without `--verbose` keeps serving however much workerd
 * prints. workerd writes its output to pipes that `edgress dev` owns; left
 * unread, they fill after a few hundred KB and workerd stops in its next
 * write, with every request, reload and inspector message behind it (the
 * files soak hung so after 40,000-odd requests). Here every request to a
 * refused endpoint makes the worker log two error lines, about 0.5 KB, so a
 * few thousand of them outgrow the pipes many times over.
 */
import http from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDev, tempDir } from './harness/edgress.ts';
import { freePort } from './harness/free-port.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';

const REQUESTS = 4_000;
const PARALLEL = 16;
/** Far more than a request takes when workerd runs; a stuck workerd never answers. */
const REQUEST_TIMEOUT_MS = 10_000;

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});


function status(base: URL, agent: http.Agent, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, path: '/', headers: { host }, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

describe('edgress dev output', () => {
  it(`answers ${REQUESTS} requests whose worker log lines nobody asked to see`, { timeout: 120_000 }, async () => {
    // Nothing listens on the port: every relayed request is refused, answered 502 and logged.
    const pod = { service: 'gone', name: 'gone-0', ip: '127.0.0.1', port: await freePort(), seen: [] };
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'gone', namespace: 'default' },
      spec: { rules: [{ host: 'gone.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'gone', port: { number: 8080 } } } }] } }] },
    };
    const dir = await tempDir({ 'cluster.yaml': toYaml([...serviceObjects('gone', [pod]), ingress]) });
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dev = await startDev(['-f', join(dir, 'cluster.yaml')]);
    cleanups.push(() => dev.stop());
    const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL });
    cleanups.push(async () => agent.destroy());

    const statuses = new Map<number, number>();
    let next = 0;
    const client = async () => {
      while (next < REQUESTS) {
        next += 1;
        const code = await status(dev.url, agent, 'gone.example.com');
        statuses.set(code, (statuses.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, client));

    expect(Object.fromEntries(statuses)).toEqual({ 502: REQUESTS });
  });
});
