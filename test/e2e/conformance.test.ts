/**
 * The 25 scenarios of kubernetes-sigs/ingress-controller-conformance
 * (features host_rules, path_rules, default_backend, ingress_class,
 * load_balancing), run through `edgress dev` with their Ingress manifests
 * and echo servers standing in for the pods. Where the suite sends HTTPS,
 * `X-Forwarded-Proto: https` stands for the edge's TLS termination.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, startDev, tempDir, type DevProcess } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type EchoReply, type PodSet } from './harness/pods.ts';

interface Cluster {
  readonly dev: DevProcess;
  readonly pods: PodSet;
  readonly dir: string;
}

async function cluster(ingressYaml: string, services: Record<string, number>, portNames: Record<string, string> = {}): Promise<Cluster> {
  const pods = await startPods(services);
  const objects = Object.keys(services).flatMap((name) => serviceObjects(name, pods.pods, { portName: portNames[name] ?? 'http' }));
  const dir = await tempDir({ 'ingress.yaml': ingressYaml, 'services.yaml': toYaml(objects) });
  const dev = await startDev(['-f', dir]);
  return { dev, pods, dir };
}

async function teardown(c: Cluster | undefined): Promise<void> {
  if (!c) return;
  await c.dev.stop();
  await c.pods.close();
  await rm(c.dir, { recursive: true, force: true });
}

async function get(c: Cluster, url: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  const parsed = new URL(url);
  const headers = { ...options.headers, ...(parsed.protocol === 'https:' ? { 'x-forwarded-proto': 'https' } : {}) };
  return request(c.dev.url, parsed.pathname + parsed.search, { host: parsed.host, method: options.method, headers });
}

describe('Feature: Host rules', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: host-rules
  namespace: default
spec:
  tls:
    - hosts:
        - foo.bar.com
      secretName: conformance-tls
  rules:
    - host: "*.foo.com"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: wildcard-foo-com
                port:
                  number: 8080
    - host: foo.bar.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: foo-bar-com
                port:
                  name: http
`,
      { 'wildcard-foo-com': 1, 'foo-bar-com': 1 },
    );
  });
  afterAll(() => teardown(c));

  it('sends TLS traffic to the matching backend service', async () => {
    const reply = await get(c, 'https://foo.bar.com');
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>()).toMatchObject({ service: 'foo-bar-com', host: 'foo.bar.com' });
  });

  it('sends traffic to the matching backend service', async () => {
    const reply = await get(c, 'http://foo.bar.com');
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>()).toMatchObject({ service: 'foo-bar-com', host: 'foo.bar.com' });
  });

  it('does not route traffic when the hostname does not match', async () => {
    expect((await get(c, 'http://subdomain.bar.com')).status).toBe(404);
  });

  it('sends traffic for a wildcard host rule to its backend service', async () => {
    const reply = await get(c, 'http://bar.foo.com');
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>()).toMatchObject({ service: 'wildcard-foo-com', host: 'bar.foo.com' });
  });

  it('does not route a wildcard across more than one DNS label', async () => {
    expect((await get(c, 'http://baz.bar.foo.com')).status).toBe(404);
  });

  it('does not route a wildcard for no DNS label', async () => {
    expect((await get(c, 'http://foo.com')).status).toBe(404);
  });
});

describe('Feature: Path rules', () => {
  let c: Cluster;
  const backend = (name: string) => `
            backend:
              service:
                name: ${name}
                port:
                  number: 8080`;
  beforeAll(async () => {
    c = await cluster(
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: path-rules
  namespace: default
spec:
  rules:
    - host: "exact-path-rules"
      http:
        paths:
          - path: /foo
            pathType: Exact${backend('foo-exact')}
    - host: "prefix-path-rules"
      http:
        paths:
          - path: /foo
            pathType: Prefix${backend('foo-prefix')}
          - path: /aaa/bbb
            pathType: Prefix${backend('aaa-slash-bbb-prefix')}
          - path: /aaa
            pathType: Prefix${backend('aaa-prefix')}
    - host: "mixed-path-rules"
      http:
        paths:
          - path: /foo
            pathType: Prefix${backend('foo-prefix')}
          - path: /foo
            pathType: Exact${backend('foo-exact')}
    - host: "trailing-slash-path-rules"
      http:
        paths:
          - path: /aaa/bbb/
            pathType: Prefix${backend('aaa-slash-bbb-slash-prefix')}
          - path: /foo/
            pathType: Exact${backend('foo-slash-exact')}
`,
      { 'foo-exact': 1, 'foo-prefix': 1, 'aaa-slash-bbb-prefix': 1, 'aaa-prefix': 1, 'aaa-slash-bbb-slash-prefix': 1, 'foo-slash-exact': 1 },
    );
  });
  afterAll(() => teardown(c));

  it.each([
    ['exact /foo matches request /foo', 'http://exact-path-rules/foo', 'foo-exact', '/foo'],
    ['prefix /foo matches request /foo', 'http://prefix-path-rules/foo', 'foo-prefix', '/foo'],
    ['prefix /foo matches request /foo/', 'http://prefix-path-rules/foo/', 'foo-prefix', '/foo/'],
    ['prefix /aaa/bbb matches request /aaa/bbb', 'http://prefix-path-rules/aaa/bbb', 'aaa-slash-bbb-prefix', '/aaa/bbb'],
    ['prefix /aaa/bbb matches request /aaa/bbb/ccc', 'http://prefix-path-rules/aaa/bbb/ccc', 'aaa-slash-bbb-prefix', '/aaa/bbb/ccc'],
    ['prefix /aaa matches request /aaa/ccc', 'http://prefix-path-rules/aaa/ccc', 'aaa-prefix', '/aaa/ccc'],
    ['prefix /foo matches request /foo/ (second scenario)', 'http://prefix-path-rules/foo/', 'foo-prefix', '/foo/'],
    ['exact is preferred: exact /foo matches request /foo', 'http://mixed-path-rules/foo', 'foo-exact', '/foo'],
    ['prefix /aaa/bbb/ matches request /aaa/bbb', 'http://trailing-slash-path-rules/aaa/bbb', 'aaa-slash-bbb-slash-prefix', '/aaa/bbb'],
    ['prefix /aaa/bbb/ matches request /aaa/bbb/', 'http://trailing-slash-path-rules/aaa/bbb/', 'aaa-slash-bbb-slash-prefix', '/aaa/bbb/'],
  ])('%s', async (_, url, service, path) => {
    const reply = await get(c, url);
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>()).toMatchObject({ service, path });
  });

  it.each([
    ['exact /foo does not match request /foo/', 'http://exact-path-rules/foo/'],
    ['exact /foo does not match request /FOO', 'http://exact-path-rules/FOO'],
    ['exact /foo does not match request /bar', 'http://exact-path-rules/bar'],
    ['prefix /foo does not match request /FOO', 'http://prefix-path-rules/FOO'],
    ['prefix /aaa does not match request /aaaccc', 'http://prefix-path-rules/aaaccc'],
    ['exact /foo/ does not match request /foo', 'http://trailing-slash-path-rules/foo'],
  ])('%s', async (_, url) => {
    expect((await get(c, url)).status).toBe(404);
  });
});

describe('Feature: Default backend', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: default-backend
  namespace: default
spec:
  defaultBackend:
    service:
      name: echo-service
      port:
        number: 8080
`,
      { 'echo-service': 1 },
    );
  });
  afterAll(() => teardown(c));

  it.each([
    ['GET', 'my-host', ''],
    ['GET', 'my-host', 'sub-path'],
    ['POST', 'some-host', ''],
    ['PUT', '', 'resource'],
    ['DELETE', 'some-host', 'resource'],
    ['PATCH', 'my-host', 'resource'],
  ])('an Ingress with no rules sends a %s to http://%s/%s to the default backend', async (method, host, path) => {
    const reply = await request(c.dev.url, `/${path}`, {
      method,
      ...(host ? { host } : {}),
      headers: { 'user-agent': 'Go-http-client/1.1' },
    });
    expect(reply.status).toBe(200);
    expect(reply.httpVersion).toBe('1.1');
    for (const header of ['content-length', 'content-type', 'date', 'server']) expect(reply.headers[header]).toBeTruthy();
    const echo = reply.json<EchoReply>();
    expect(echo).toMatchObject({ service: 'echo-service', method, path: `/${path}`, proto: 'HTTP/1.1' });
    expect(echo.headers['user-agent']).toBe('Go-http-client/1.1');
  });
});

describe('Feature: Ingress class', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test-ingress-class
  namespace: default
spec:
  ingressClassName: some-invalid-class-name
  rules:
    - host: "ingress-class"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ingress-class-prefix
                port:
                  number: 8080
`,
      { 'ingress-class-prefix': 1 },
    );
  });
  afterAll(() => teardown(c));

  it('does not serve an Ingress with an invalid ingress class', async () => {
    expect((await get(c, 'http://ingress-class/')).status).toBe(404);
    expect(c.pods.pods[0]?.seen).toHaveLength(0);
  });
});

describe('Feature: Load Balancing', () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await cluster(
      `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: load-balancing
  namespace: default
spec:
  defaultBackend:
    service:
      name: echo-service
      port:
        number: 8080
`,
      { 'echo-service': 10 },
    );
  });
  afterAll(() => teardown(c));

  it('sends 100 requests to all 10 pods of the backend', async () => {
    const seenPods = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const reply = await get(c, 'http://load-balancing/');
      expect(reply.status).toBe(200);
      seenPods.add(reply.json<EchoReply>().pod);
    }
    expect(seenPods.size).toBe(10);
  });
});
