/**
 * The first hour with edgress (a newcomer's first steps), through the real `edgress` CLI:
 * nothing dropped without a word (another controller's annotations, an
 * access annotation edgress does not read, skipped Ingresses and the
 * summary line), and `explain` answering what a request gets: a redirect,
 * 401, 403, 404 or the pod, as text and as one JSON object.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, runCli, startDev, tempDir, type DevProcess } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type PodSet } from './harness/pods.ts';

function ingress(name: string, host: string, extra: { annotations?: Record<string, string>; className?: string } = {}): object {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations: extra.annotations ?? {} },
    spec: {
      ...(extra.className ? { ingressClassName: extra.className } : {}),
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 8080 } } } }] } }],
    },
  };
}

const HTPASSWD = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'htpasswd', namespace: 'default' }, stringData: { auth: 'apr1-user:$apr1$rE2qK0Wq$C/b6MD7LYrlynuCfSbhD50\n' } };

const INGRESSES = [
  ingress('open', 'open.example.com'),
  ingress('secure', 'secure.example.com', { annotations: { 'ingress.kubernetes.io/ssl-redirect': 'true' } }),
  ingress('basic', 'basic.example.com', { annotations: { 'ingress.kubernetes.io/auth-type': 'basic', 'ingress.kubernetes.io/auth-secret': 'htpasswd' } }),
  ingress('office', 'office.example.com', { annotations: { 'ingress.kubernetes.io/whitelist-source-range': '10.0.0.0/8' } }),
  ingress('migrated', 'migrated.example.com', {
    annotations: { 'nginx.ingress.kubernetes.io/auth-url': 'https://auth.example.com/verify', 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' },
  }),
  ingress('nginx-class', 'nginx.example.com', { annotations: { 'kubernetes.io/ingress.class': 'nginx' } }),
  ingress('missing-class', 'gone.example.com', { className: 'gone' }),
];

let pods: PodSet;
let dir: string;
beforeAll(async () => {
  pods = await startPods({ web: 1 });
  dir = await tempDir({ 'cluster.yaml': toYaml([...INGRESSES, HTPASSWD, ...serviceObjects('web', pods.pods)]) });
});
afterAll(async () => {
  await pods.close();
  await rm(dir, { recursive: true, force: true });
});

const SUMMARY = 'summary: 7 Ingresses: 5 served, 2 skipped (1 of another class, 1 naming an IngressClass that does not exist); 1 error, 1 warning';

describe('edgress compile: nothing dropped without a word', () => {
  it("reports another controller's keys, fails an unread access key closed, and ends with the summary line", async () => {
    const result = await runCli(['compile', '-f', dir]);
    expect(result.status).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^error UnenforcedAccessAnnotation Ingress default\/migrated nginx\.ingress\.kubernetes\.io\/auth-url: an annotation of ingress-nginx, which edgress does not read \(the edgress equivalent: ingress\.kubernetes\.io\/auth-type: forward with ingress\.kubernetes\.io\/auth-url\); it restricts access, so the routes of this Ingress fail closed \(answer 404\)/),
      expect.stringMatching(/^warning ForeignAnnotation Ingress default\/migrated nginx\.ingress\.kubernetes\.io\/proxy-body-size: an annotation of ingress-nginx/),
      SUMMARY,
    ]);
    const table = JSON.parse(result.stdout) as { routers: { host: string }[] };
    expect(table.routers.map((router) => router.host).sort()).toEqual(['basic.example.com', 'migrated.example.com', 'office.example.com', 'open.example.com', 'secure.example.com']);
  });
});

describe('edgress explain: the outcome for that scheme and client', () => {
  const explain = (...args: string[]) => runCli(['explain', '-f', dir, ...args]);

  it('an http request to a route with an HTTPS redirect: the redirect and its Location', async () => {
    const result = await explain('http://secure.example.com/cart?x=1');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^outcome: +301 → https:\/\/secure\.example\.com\/cart\?x=1$/m);
    expect((await explain('https://secure.example.com/cart')).stdout).toMatch(/^outcome: +→ pod web-0 \(127\.[0-9.]+:\d+\), path \/cart$/m);
  });

  it('the redirect Location carries the normalised path, as the worker sends it (not the client\'s //a/../b)', async () => {
    for (const [path, normalised] of [['//cart/../pay', '/pay'], ['/%63art//x', '/cart/x'], ['/a/./b', '/a/b']] as const) {
      const result = await explain(`http://secure.example.com${path}?x=1`);
      expect(result.stdout).toMatch(new RegExp(`^outcome: +301 → https://secure\\.example\\.com${normalised.replace(/\//g, '\\/')}\\?x=1$`, 'm'));
    }
  });

  it('a path the worker refuses: 400 with the reason that applies', async () => {
    const control = await explain('https://secure.example.com/cart%00.html');
    expect(control.stdout).toMatch(/^outcome: +400: the path holds an encoded control character/m);
    const hidden = await explain('https://secure.example.com/a/..%2Fcart');
    expect(hidden.stdout).toMatch(/^outcome: +400: the path hides a dot segment behind an encoded slash/m);
  });

  it('a Host with an empty label: 400, as the worker answers, not a route or "no rule names this host"', async () => {
    for (const url of ['http://.secure.example.com/', 'http://secure..example.com/']) {
      const result = await explain(url);
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^outcome: +400: the Host has an empty label/m);
    }
  });

  it('an auth route: 401 without credentials', async () => {
    expect((await explain('https://basic.example.com/')).stdout).toMatch(/^outcome: +401 without credentials \(Basic auth/m);
  });

  it('an allow-list: 403 from the client address, the pod for a listed one', async () => {
    expect((await explain('https://office.example.com/')).stdout).toMatch(/^outcome: +403 from 127\.0\.0\.1 \(allowed: 10\.0\.0\.0\/8\)$/m);
    expect((await explain('--client-ip', '10.1.2.3', 'https://office.example.com/')).stdout).toMatch(/^outcome: +→ pod web-0/m);
  });

  it('a route failing closed for an access annotation edgress does not read: 404', async () => {
    expect((await explain('https://migrated.example.com/')).stdout).toMatch(/^outcome: +404: the route fails closed/m);
  });

  it('gives one structured JSON object with --json', async () => {
    const result = await explain('--json', 'https://office.example.com/x');
    expect(result.status).toBe(0);
    const explanation = JSON.parse(result.stdout);
    expect(explanation).toMatchObject({
      request: { url: 'https://office.example.com/x', scheme: 'https', host: 'office.example.com', path: '/x', clientIp: '127.0.0.1', method: 'GET' },
      matched: true,
      outcome: { status: 403, summary: '403 from 127.0.0.1 (allowed: 10.0.0.0/8)', by: 'ip-allow-list' },
      route: { id: 'default/office#0.0', ingress: 'default/office', host: 'office.example.com', path: { type: 'Prefix', path: '/' } },
      middlewares: [{ kind: 'ip-allow-list', decision: 'answer', config: { ranges: ['10.0.0.0/8'], useXForwardedFor: false } }],
      service: { id: 'default/web:8080' },
      endpoints: [{ address: expect.stringMatching(/^127\./), weight: 1, pod: 'web-0', service: 'default/web:8080' }],
    });
    expect(Array.isArray(explanation)).toBe(false);
    expect(explanation.text).toBeUndefined();
  });

  it('says "no rule names this host" for an unknown host, and exits 1', async () => {
    const result = await explain('http://unknown.example.org/');
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^outcome: +404: no rule names this host and there is no default backend$/m);
  });

  it('says when only a skipped Ingress names the host, and why', async () => {
    const text = await explain('http://nginx.example.com/');
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/only objects that edgress does not serve name it/);
    expect(text.stdout).toMatch(/^not served: +Ingress default\/nginx-class names this host: its class annotation is "nginx"; edgress serves "traefik" \(or none\)$/m);
    const json = JSON.parse((await explain('--json', 'http://gone.example.com/')).stdout);
    expect(json.skipped).toEqual([{ ingress: 'default/missing-class', reason: 'class-not-found', detail: 'ingressClassName "gone" names no IngressClass' }]);
  });
});

describe('edgress dev', () => {
  let dev: DevProcess;
  beforeAll(async () => {
    dev = await startDev(['-f', dir]);
  });
  afterAll(() => dev?.stop());

  it('ends its diagnostics with the summary line and serves the unread access key closed', async () => {
    expect(dev.output()).toContain(SUMMARY);
    expect((await request(dev.url, '/', { host: 'migrated.example.com' })).status).toBe(404);
    expect((await request(dev.url, '/', { host: 'open.example.com' })).status).toBe(200);
  });
});
