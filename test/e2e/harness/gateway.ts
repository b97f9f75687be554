/**
 * The Gateway API conformance suite's world, run through `edgress dev -f`:
 * the base manifests (namespaces, Gateways, Services; see
 * test/fixtures/gateway-api/base.yaml), echo servers standing in for the
 * pods of infra-backend-v1/v2/v3, app-backend-v1/v2 and web-backend, and
 * EndpointSlices pointing at them. One dev server runs per test file; each
 * conformance test's own manifests are swapped in with `use()` (dev
 * `--watch` reloads), so every test sees the base plus its own objects only,
 * as the suite applies and removes them per test.
 *
 * `send()` and `expectExchange()` mirror the suite's `http.ExpectedResponse`
 * and `CompareRoundTrip` (conformance/utils/http/http.go,
 * kubernetes-sigs/gateway-api): which backend (namespace and Service) got the
 * request, the path and query it saw, request headers present and absent,
 * the response status and headers, and the Location of redirects.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPO, request, startDev, tempDir, type DevProcess, type Reply } from './edgress.ts';
import { toYaml } from './manifests.ts';
import { startPods, type EchoReply, type PodSet } from './pods.ts';

export const INFRA_NS = 'gateway-conformance-infra';
export const APP_BACKEND_NS = 'gateway-conformance-app-backend';
export const WEB_BACKEND_NS = 'gateway-conformance-web-backend';
export const GATEWAY_CLASS_NAME = 'edgress-conformance';

/** Host sent when a conformance case names none (the suite then dials the Gateway's address). */
export const DEFAULT_HOST = 'gateway.conformance.example';

const FIXTURES = join(REPO, 'test/fixtures/gateway-api');

/** Replicas as in conformance/base/manifests.yaml. */
const BACKENDS: Readonly<Record<string, number>> = {
  [`${INFRA_NS}/infra-backend-v1`]: 2,
  [`${INFRA_NS}/infra-backend-v2`]: 2,
  [`${INFRA_NS}/infra-backend-v3`]: 1,
  [`${APP_BACKEND_NS}/app-backend-v1`]: 2,
  [`${APP_BACKEND_NS}/app-backend-v2`]: 2,
  [`${WEB_BACKEND_NS}/web-backend`]: 2,
};

/** A transcribed manifest file, with the GatewayClass name filled in. */
export async function fixture(name: string): Promise<string> {
  const text = await readFile(join(FIXTURES, `${name}.yaml`), 'utf8');
  return text.replaceAll('{GATEWAY_CLASS_NAME}', GATEWAY_CLASS_NAME);
}

interface ServicePortObject {
  readonly name?: string;
  readonly port: number;
}

interface ServiceObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec?: { readonly ports?: readonly ServicePortObject[] };
}

/**
 * EndpointSlices listing the echo pods of `service`: one endpoint port per
 * Service port, with the Service port's name (edgress pairs them by name),
 * all at the echo servers' port.
 */
export function endpointSliceFor(namespace: string, service: string, ports: readonly ServicePortObject[], pods: PodSet, podsOf = service): object {
  const own = pods.pods.filter((pod) => pod.service === `${namespace}/${podsOf}`);
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-conformance`, namespace, labels: { 'kubernetes.io/service-name': service } },
    addressType: 'IPv4',
    ports: ports.map((port) => ({ ...(port.name ? { name: port.name } : {}), port: pods.port, protocol: 'TCP' })),
    endpoints: own.map((pod, i) => ({
      addresses: [pod.ip],
      conditions: { ready: true, serving: true, terminating: false },
      targetRef: { kind: 'Pod', name: `${podsOf}-${i}`, namespace },
    })),
  };
}

/** The backend an echo reply came from. */
export interface Backend {
  readonly namespace: string;
  readonly name: string;
}

export function backendOf(reply: EchoReply): Backend {
  const [namespace = '', name = ''] = reply.service.split('/');
  return { namespace, name };
}

/** One request, as the suite's `http.Request`. */
export interface ConformanceRequest {
  readonly host?: string;
  readonly method?: string;
  /** Path with optional query, e.g. `/?animal=whale`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** `https` is sent as `X-Forwarded-Proto: https`, standing for the edge's TLS termination. */
  readonly scheme?: 'http' | 'https';
  /** Headers the echo server sets on its response (the suite's `BackendSetResponseHeaders`). */
  readonly backendSetResponseHeaders?: Readonly<Record<string, string>>;
}

export interface Exchange {
  readonly request: ConformanceRequest;
  readonly reply: Reply;
  /** What the backend saw, when a backend answered. */
  readonly echo: EchoReply | undefined;
}

export interface GatewayWorld {
  readonly dev: DevProcess;
  readonly pods: PodSet;
  /** Replaces the test's own manifests (the base stays) and waits until dev serves them. */
  use(manifests: string): Promise<void>;
  send(request: ConformanceRequest): Promise<Exchange>;
  /** Requests the pods of one backend have answered, newest last. */
  seen(namespace: string, name: string): EchoReply[];
  close(): Promise<void>;
}

const RELOADED = /edgress dev: reloaded, \d+ routes/g;
const REFUSED = /still serving the previous table/g;
const COMPILED = /^summary: /gm;

async function until(done: () => boolean, timeoutMs: number, failure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(failure());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

/**
 * Starts the echo pods and one `edgress dev --watch` over the base manifests
 * plus `manifests` (a test's own objects).
 */
export async function startGatewayWorld(manifests: string): Promise<GatewayWorld> {
  const pods = await startPods(BACKENDS);
  const base = await fixture('base');
  const services = serviceObjectsIn(base);
  const slices = services.map((service) =>
    endpointSliceFor(service.metadata.namespace, service.metadata.name, service.spec?.ports ?? [], pods),
  );
  const dir = await tempDir({ 'base.yaml': base, 'endpoints.yaml': toYaml(slices), 'test.yaml': manifests });
  const start = () => startDev(['-f', dir, '--watch'], { timeoutMs: 90_000 });
  let dev: DevProcess;
  try {
    dev = await start();
  } catch (error) {
    await pods.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let current = manifests;
  return {
    get dev() {
      return dev;
    },
    pods,
    async use(next) {
      if (next === current) return;
      if (dev.child.exitCode !== null || dev.child.signalCode !== null) {
        // An earlier test's manifests stopped dev (its cases failed); this test gets a fresh one.
        await writeFile(join(dir, 'test.yaml'), next);
        current = next;
        dev = await start();
        return;
      }
      const before = { compiled: count(dev.output(), COMPILED), reloads: count(dev.output(), RELOADED), refusals: count(dev.output(), REFUSED) };
      // Written beside the folder and renamed in, so the watcher never reads half a file.
      const staged = `${dir}.next.yaml`;
      await writeFile(staged, next);
      await rename(staged, join(dir, 'test.yaml'));
      current = next;
      // Every re-read prints a summary; only a changed table prints "reloaded", once it is in force.
      await until(() => count(dev.output(), COMPILED) > before.compiled || count(dev.output(), REFUSED) > before.refusals, 20_000, () => `edgress dev did not re-read the manifests within 20 s:\n${dev.output()}`);
      if (count(dev.output(), REFUSED) > before.refusals) throw new Error(`edgress dev refused the manifests:\n${dev.output()}`);
      // A loaded machine can take seconds to put the new table in force; an unchanged table never says so.
      await until(() => count(dev.output(), RELOADED) > before.reloads, 15_000, () => '').catch(() => undefined);
    },
    async send(req) {
      const headers: Record<string, string> = { ...req.headers };
      if (req.scheme === 'https') headers['x-forwarded-proto'] = 'https';
      if (req.backendSetResponseHeaders) headers['x-echo-response-headers'] = JSON.stringify(req.backendSetResponseHeaders);
      const reply = await request(dev.url, req.path, { host: req.host ?? DEFAULT_HOST, method: req.method ?? 'GET', headers });
      return { request: req, reply, echo: echoIn(reply) };
    },
    seen(namespace, name) {
      return pods.pods.filter((pod) => pod.service === `${namespace}/${name}`).flatMap((pod) => pod.seen);
    },
    async close() {
      await dev.stop();
      await pods.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function serviceObjectsIn(yaml: string): ServiceObject[] {
  return (loadAll(yaml) as (ServiceObject | null)[]).filter((object): object is ServiceObject => object?.kind === 'Service');
}

function echoIn(reply: Reply): EchoReply | undefined {
  if (!String(reply.headers['content-type'] ?? '').includes('application/json') || reply.headers.server !== 'echoserver') return undefined;
  try {
    return reply.json<EchoReply>();
  } catch {
    return undefined;
  }
}

/** A header's values as a list: repeated lines and comma-joined values alike (RFC 9110 §5.3). */
export function headerValues(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((line) => line.split(',')).map((item) => item.trim());
}

/** What the suite's `http.ExpectedResponse` states about one exchange. */
export interface Expected {
  /** Status (default 200). */
  readonly status?: number;
  /** The backend that must have answered (a 200 needs one). */
  readonly backend?: string;
  readonly namespace?: string;
  /** What the backend must have seen; unset fields default to the request's, as in the suite. */
  readonly request?: {
    readonly path?: string;
    readonly host?: string;
    readonly method?: string;
    /** Values compared as comma-separated lists (`a,b`). */
    readonly headers?: Readonly<Record<string, string>>;
    readonly absentHeaders?: readonly string[];
  };
  readonly response?: {
    readonly headers?: Readonly<Record<string, string>>;
    readonly absentHeaders?: readonly string[];
  };
  /** For 3xx: the Location's parts; unset ones default as `setRedirectRequestDefaults` does. */
  readonly redirect?: {
    readonly scheme?: string;
    readonly host?: string;
    readonly port?: string;
    readonly path?: string;
  };
}

/** Asserts one exchange as `CompareRoundTrip` does. */
export function expectExchange(exchange: Exchange, expected: Expected): void {
  const { request: req, reply, echo } = exchange;
  const what = `${req.method ?? 'GET'} ${req.host ?? DEFAULT_HOST}${req.path}`;
  expect(reply.status, `${what}: status (body ${reply.body.slice(0, 300)})`).toBe(expected.status ?? 200);
  if (reply.status === 200) {
    expect(echo, `${what}: answered by an echo pod`).toBeDefined();
    if (!echo) return;
    const wanted = expected.request ?? {};
    const backend = backendOf(echo);
    expect(backend.namespace, `${what}: backend namespace`).toBe(expected.namespace ?? INFRA_NS);
    // The suite checks that the pod name starts with the backend's name; the empty name accepts any.
    if (expected.backend !== undefined) expect(backend.name, `${what}: backend`).toBe(expected.backend);
    expect(echo.url, `${what}: path seen by the backend`).toBe(wanted.path ?? req.path);
    expect(echo.method, `${what}: method seen by the backend`).toBe(wanted.method ?? req.method ?? 'GET');
    if (wanted.host !== undefined) expect(echo.host, `${what}: Host seen by the backend`).toBe(wanted.host);
    const sentHeaders = wanted.headers ?? (expected.request ? undefined : req.headers);
    for (const [name, value] of Object.entries(sentHeaders ?? {})) {
      expect(headerValues(echo.headers[name.toLowerCase()]), `${what}: request header ${name}`).toEqual(headerValues(value));
    }
    for (const name of wanted.absentHeaders ?? []) {
      expect(echo.headers[name.toLowerCase()], `${what}: request header ${name} must be absent`).toBeUndefined();
    }
    for (const [name, value] of Object.entries(expected.response?.headers ?? {})) {
      expect(headerValues(reply.headers[name.toLowerCase()]), `${what}: response header ${name}`).toEqual(headerValues(value));
    }
    for (const name of expected.response?.absentHeaders ?? []) {
      expect(reply.headers[name.toLowerCase()], `${what}: response header ${name} must be absent`).toBeUndefined();
    }
  } else if (reply.status >= 300 && reply.status < 400 && expected.redirect) {
    const location = reply.headers.location;
    expect(location, `${what}: Location`).toBeDefined();
    const target = new URL(String(location), `${req.scheme ?? 'http'}://${req.host ?? DEFAULT_HOST}`);
    const scheme = target.protocol.replace(/:$/, '');
    const got = { scheme, host: target.hostname, port: explicitPort(String(location)), path: target.pathname };
    const want = {
      scheme: expected.redirect.scheme ?? req.scheme ?? 'http',
      host: expected.redirect.host ?? got.host,
      path: expected.redirect.path ?? req.path.split('?')[0],
    };
    expect({ scheme: got.scheme, host: got.host, path: got.path }, `${what}: Location ${location}`).toEqual(want);
    if (expected.redirect.port !== undefined) {
      expect(got.port, `${what}: Location ${location} port`).toBe(expected.redirect.port);
    } else {
      // As the suite: no port stated means the scheme's well-known port or none.
      const wellKnown = got.scheme === 'https' ? '443' : '80';
      expect(['', wellKnown], `${what}: Location ${location} port`).toContain(got.port);
    }
  }
}

/** The port written in an absolute URL (WHATWG URL drops a scheme's default port; the suite's Go parser keeps it). */
function explicitPort(location: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(location)?.[1] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  return /:(\d+)$/.exec(hostPort)?.[1] ?? '';
}

/** A path made unique per call, as the suite's `AddRequestIDQueryParam`, so a mirror's log line can be found. */
export function withRequestId(path: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}request-id=${randomUUID()}`;
}

/** Waits (bounded) until a backend has seen a request for exactly `url`. */
export async function expectMirrored(world: GatewayWorld, namespace: string, name: string, url: string, timeoutMs = 5_000): Promise<EchoReply> {
  let copy: EchoReply | undefined;
  await until(
    () => (copy = world.seen(namespace, name).find((reply) => reply.url === url)) !== undefined,
    timeoutMs,
    () => `${namespace}/${name} saw no mirrored request for ${url} within ${timeoutMs} ms`,
  );
  return copy as EchoReply;
}

/** One transcribed `http.ExpectedResponse`: the request and what must come of it. */
export interface Case {
  readonly request: ConformanceRequest;
  readonly expected: Expected;
}

/** A case's name, close to the suite's `GetTestCaseName`. */
export function caseName(index: number, { request, expected }: Case): string {
  const headers = request.headers ? ` ${JSON.stringify(request.headers)}` : '';
  const target = `${request.method ?? 'GET'} ${request.scheme === 'https' ? 'https://' : ''}${request.host ?? ''}${request.path}${headers}`;
  const outcome = expected.backend ? `reaches ${expected.backend}` : `answers ${expected.status ?? 200}`;
  return `${index}: ${target} ${outcome}`;
}

/** One vitest case per transcribed case, each one request. */
export function itSends(world: () => GatewayWorld, cases: readonly Case[]): void {
  cases.forEach((c, i) => {
    it(caseName(i, c), async () => {
      expectExchange(await world().send(c.request), c.expected);
    });
  });
}

export interface WorldPerFile {
  readonly world: () => GatewayWorld;
  /** Swaps in one conformance test's manifests before the cases of the enclosing describe run. */
  using(name: string): void;
}

/** One `edgress dev` for the whole test file, started with the `first` fixture's manifests. */
export function gatewayWorldPerFile(first: string): WorldPerFile {
  let world: GatewayWorld | undefined;
  const get = () => {
    if (!world) throw new Error('the Gateway API world did not start');
    return world;
  };
  beforeAll(async () => {
    world = await startGatewayWorld(await fixture(first));
  }, 120_000);
  afterAll(() => world?.close());
  return {
    world: get,
    using: (name) => beforeAll(async () => get().use(await fixture(name)), 30_000),
  };
}
