/**
 * Traffic management through `edgress dev`, as a user sees it: weighted
 * shares over 1,000+ requests (not-ready endpoints never served), sticky
 * sessions through a cookie jar, the rate limit's 429 after the burst (also
 * across two isolates sharing the Durable Object), buffering's 413, a tripped
 * circuit breaker's 503 and its recovery, and a Service losing all endpoints.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, request, startDev, tempDir, type DevProcess, type Reply } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type EchoReply, type Pod, type PodSet } from './harness/pods.ts';

interface Setup {
  readonly dev: DevProcess;
  readonly dir: string;
  readonly pods: PodSet;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Service + EndpointSlice objects with Service annotations and, optionally, not-ready endpoints. */
function service(name: string, pods: readonly Pod[], annotations: Record<string, string> = {}, notReady: readonly Pod[] = []): object[] {
  const [svc, slice] = serviceObjects(name, pods) as [Record<string, Record<string, unknown>>, Record<string, unknown[]>];
  svc['metadata'] = { ...svc['metadata'], annotations };
  for (const pod of notReady) {
    slice['endpoints']?.push({ addresses: [pod.ip], conditions: { ready: false }, targetRef: { kind: 'Pod', name: pod.name, namespace: 'default' } });
  }
  return [svc, slice];
}

function ingress(name: string, host: string, backends: readonly string[], annotations: Record<string, string> = {}): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      rules: [{ host, http: { paths: backends.map((backend) => ({ path: '/', pathType: 'Prefix', backend: { service: { name: backend, port: { number: 8080 } } } })) } }],
    },
  };
}

async function start(objects: readonly object[], pods: PodSet, args: readonly string[] = []): Promise<Setup> {
  const dir = await tempDir({ 'cluster.yaml': toYaml(objects) });
  const dev = await startDev(['-f', join(dir, 'cluster.yaml'), ...args]);
  cleanups.push(() => dev.stop(), () => rm(dir, { recursive: true, force: true }));
  return { dev, dir, pods };
}

async function pods(services: Record<string, number>): Promise<PodSet> {
  const set = await startPods(services);
  cleanups.push(() => set.close());
  return set;
}

const get = (setup: Setup, host: string, headers: Record<string, string> = {}) => request(setup.dev.url, '/', { host, headers });

/** `count` GETs, `parallel` at a time. */
async function many(setup: Setup, host: string, count: number, parallel = 8): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < count; i += parallel) {
    replies.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, () => get(setup, host)))));
  }
  return replies;
}

describe('service-weights and round robin', () => {
  let setup: Setup;
  let notReady: Pod;
  beforeAll(async () => {
    const set = await pods({ web: 2, canary: 1, spare: 1 });
    const byService = (name: string) => set.pods.filter((pod) => pod.service === name);
    notReady = byService('spare')[0] as Pod;
    setup = await start(
      [
        ingress('weighted', 'weighted.example.com', ['web', 'canary'], { 'ingress.kubernetes.io/service-weights': 'canary: 12.5%' }),
        ...service('web', byService('web'), {}, [notReady]),
        ...service('canary', byService('canary')),
      ],
      set,
    );
  });

  it("splits 1,200 requests 87.5 % / 12.5 % by Traefik's arithmetic, evenly over each Service's pods", async () => {
    const replies = await many(setup, 'weighted.example.com', 1200);
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    const counts = new Map<string, number>();
    for (const reply of replies) counts.set(reply.json<EchoReply>().pod, (counts.get(reply.json<EchoReply>().pod) ?? 0) + 1);
    const share = (pod: string) => (counts.get(pod) ?? 0) / replies.length;
    expect(Math.abs(share('canary-0') - 0.125)).toBeLessThan(0.01);
    expect(Math.abs(share('web-0') - 0.4375)).toBeLessThan(0.01);
    expect(Math.abs(share('web-1') - 0.4375)).toBeLessThan(0.01);
  });

  it('never sends to an endpoint that is not ready', () => {
    expect(notReady.seen).toEqual([]);
  });
});

describe('sticky sessions', () => {
  let setup: Setup;
  beforeAll(async () => {
    const set = await pods({ app: 3 });
    setup = await start([ingress('sticky', 'sticky.example.com', ['app']), ...service('app', set.pods, { 'ingress.kubernetes.io/affinity': 'true', 'ingress.kubernetes.io/session-http-only': 'true' })], set);
  });

  it('keeps a client with a cookie jar on one pod, and re-sets a forged cookie', async () => {
    const jar = new Map<string, string>();
    const send = async () => {
      const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const reply = await get(setup, 'sticky.example.com', cookie ? { cookie } : {});
      for (const line of reply.headers['set-cookie'] ?? []) {
        const [pair = ''] = line.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return reply;
    };
    const first = await send();
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(/^_[0-9a-f]{5}=[A-Za-z0-9_-]{22}; Path=\/; HttpOnly$/);
    for (const pod of setup.pods.pods) expect(setCookie).not.toContain(pod.ip);
    const pinned = first.json<EchoReply>().pod;
    for (let i = 0; i < 20; i++) {
      const reply = await send();
      expect(reply.json<EchoReply>().pod).toBe(pinned);
      expect(reply.headers['set-cookie']).toBeUndefined();
    }
    const withoutCookie = new Set((await many(setup, 'sticky.example.com', 6, 1)).map((reply) => reply.json<EchoReply>().pod));
    expect(withoutCookie.size).toBe(3);
    const [name] = [...jar.keys()];
    const forged = await get(setup, 'sticky.example.com', { cookie: `${name}=AAAAAAAAAAAAAAAAAAAAAA` });
    expect(forged.status).toBe(200);
    expect(forged.headers['set-cookie']?.[0]).toMatch(new RegExp(`^${name}=[A-Za-z0-9_-]{22};`));
  });
});

const RATE_LIMIT = 'extractorfunc: client.ip\nrateset:\n  burst:\n    period: 60s\n    average: 1\n    burst: 4\n';

function expectRateLimited(reply: Reply): void {
  expect(reply.status).toBe(429);
  const retryIn = String(reply.headers['x-retry-in']);
  expect(retryIn).toMatch(/^[0-9]+(\.[0-9]+)?(ms|s)$/);
  expect(Number(reply.headers['retry-after'])).toBeGreaterThan(0);
  expect(reply.body).toBe(`max rate reached: retry-in ${retryIn}`);
}

describe('rate-limit', () => {
  it('answers 429 with Retry-After and X-Retry-In after the burst', async () => {
    const set = await pods({ api: 1 });
    const setup = await start([ingress('limited', 'limited.example.com', ['api'], { 'ingress.kubernetes.io/rate-limit': RATE_LIMIT }), ...service('api', set.pods)], set);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(setup, 'limited.example.com')).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    expectRateLimited(await get(setup, 'limited.example.com'));
  });

  it('holds across two isolates sharing the Durable Object', async () => {
    const set = await pods({ api: 2 });
    const setup = await start(
      [
        ingress('limited', 'limited.example.com', ['api'], { 'ingress.kubernetes.io/rate-limit': RATE_LIMIT }),
        ingress('plain', 'plain.example.com', ['api']),
        ...service('api', set.pods),
      ],
      set,
      ['--isolates', '2'],
    );
    // Two isolates, each with its own round robin: requests alternate between them, so each pod answers twice in a row.
    const answered = [];
    for (let i = 0; i < 4; i++) answered.push((await get(setup, 'plain.example.com')).json<EchoReply>().pod);
    expect(answered).toEqual(['api-0', 'api-0', 'api-1', 'api-1']);
    // Eight requests over both isolates: the burst of 4 is shared, not 4 per isolate.
    const replies = [];
    for (let i = 0; i < 8; i++) replies.push(await get(setup, 'limited.example.com'));
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 429, 429, 429, 429]);
    for (const reply of replies.slice(4)) expectRateLimited(reply);
  });
});

describe('buffering', () => {
  it('answers 413 for a body over maxrequestbodybytes and forwards a smaller one', async () => {
    const set = await pods({ upload: 1 });
    const setup = await start(
      [ingress('upload', 'upload.example.com', ['upload']), ...service('upload', set.pods, { 'ingress.kubernetes.io/buffering': 'maxrequestbodybytes: 16\n' })],
      set,
    );
    const big = await request(setup.dev.url, '/', { host: 'upload.example.com', method: 'POST', body: 'x'.repeat(17) });
    expect(big.status).toBe(413);
    const small = await request(setup.dev.url, '/', { host: 'upload.example.com', method: 'POST', body: 'hello' });
    expect(small.status).toBe(200);
    expect(small.json<EchoReply>().body).toBe('hello');
    expect(set.pods[0]?.seen.length).toBe(1);
  });
});

describe('circuit breaker', () => {
  it('answers 503 once tripped, then recovers (dev vars shorten the fallback and recovery to 1 s)', async () => {
    let failing = false;
    const flaky = http.createServer((_req, res) => {
      res.writeHead(failing ? 502 : 200, { 'content-type': 'text/plain' }).end(failing ? 'bad' : 'ok');
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => flaky.close(resolve)));
    const pod: Pod = { service: 'flaky', name: 'flaky-0', ip: '127.0.0.1', port: (flaky.address() as AddressInfo).port, seen: [] };
    const wrangler = (await readFile(join(REPO, 'wrangler.toml'), 'utf8')).replace(/^main = .*$/m, `main = ${JSON.stringify(join(REPO, 'worker/index.ts'))}`);
    const dir = await tempDir({ 'wrangler.toml': `${wrangler}\n[env.dev.vars]\nCIRCUIT_BREAKER_FALLBACK_MS = "1000"\nCIRCUIT_BREAKER_RECOVERY_MS = "1000"\n` });
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const set: PodSet = { pods: [pod], port: pod.port, close: async () => {} };
    const setup = await start(
      [ingress('breaker', 'breaker.example.com', ['flaky']), ...service('flaky', [pod], { 'ingress.kubernetes.io/circuit-breaker-expression': 'NetworkErrorRatio() > 0.5' })],
      set,
      ['--wrangler-config', join(dir, 'wrangler.toml')],
    );
    expect((await get(setup, 'breaker.example.com')).status).toBe(200);
    failing = true;
    // The condition is checked at most every 100 ms: 502s until the breaker trips, then 503.
    const during: number[] = [];
    let tripped: Reply | undefined;
    for (const deadline = Date.now() + 3000; !tripped && Date.now() < deadline; ) {
      const reply = await get(setup, 'breaker.example.com');
      if (reply.status === 503) tripped = reply;
      else during.push(reply.status);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(during.length).toBeGreaterThan(0);
    expect(new Set(during)).toEqual(new Set([502]));
    expect([tripped?.status, tripped?.body]).toEqual([503, 'Service Unavailable\n']);
    failing = false;
    // Fallback (1 s), then a ramp over 1 s: within a few seconds every request passes again.
    const deadline = Date.now() + 6000;
    let streak = 0;
    while (streak < 5 && Date.now() < deadline) {
      const status = (await get(setup, 'breaker.example.com')).status;
      expect([200, 503]).toContain(status);
      streak = status === 200 ? streak + 1 : 0;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(streak).toBe(5);
  });
});

describe('a Service that loses all its endpoints', () => {
  it('answers 503 once the EndpointSlice has no ready endpoint left', async () => {
    const set = await pods({ shrinking: 1 });
    const objects = [ingress('shrinking', 'shrinking.example.com', ['shrinking']), ...service('shrinking', set.pods)];
    const setup = await start(objects, set, ['--watch']);
    expect((await get(setup, 'shrinking.example.com')).status).toBe(200);
    const emptied = [ingress('shrinking', 'shrinking.example.com', ['shrinking']), ...service('shrinking', [], {}, set.pods)];
    await writeFile(join(setup.dir, 'cluster.yaml'), toYaml(emptied));
    await setup.dev.waitFor(/reloaded/);
    const deadline = Date.now() + 5000;
    let reply = await get(setup, 'shrinking.example.com');
    while (reply.status !== 503 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      reply = await get(setup, 'shrinking.example.com');
    }
    expect([reply.status, reply.body]).toEqual([503, 'Service Unavailable\n']);
  });
});
