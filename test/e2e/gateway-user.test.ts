/**
 * Gateway API scenarios written as a user of the API would check an
 * implementation (not copies of the conformance suite): the manifests in
 * test/fixtures/gateway-user are served by the real `edgress dev -f`, with
 * echo servers standing in for the pods, and read by `edgress compile -f` and
 * `edgress explain`. `X-Forwarded-Proto: https` stands for the edge's TLS.
 */
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, request, runCli, startDev, tempDir, type DevProcess, type Reply } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type EchoReply, type PodSet } from './harness/pods.ts';

const FIXTURES = join(REPO, 'test/fixtures/gateway-user');
const NAMESPACES: Readonly<Record<string, string>> = {
  'svc-a': 'default', 'svc-b': 'default', 'svc-c': 'default', 'svc-d': 'default', 'svc-mirror': 'default',
  'svc-blue': 'blue', 'svc-red': 'red', 'svc-team': 'team', 'svc-shared': 'shared',
};

interface Served {
  readonly dev: DevProcess;
  readonly pods: PodSet;
  readonly dir: string;
}

async function serve(extraArgs: readonly string[] = []): Promise<Served> {
  const pods = await startPods(Object.fromEntries(Object.keys(NAMESPACES).map((name) => [name, 1])));
  const services = Object.entries(NAMESPACES).flatMap(([name, namespace]) => serviceObjects(name, pods.pods, { namespace }));
  const dir = await tempDir({ 'services.yaml': toYaml(services) });
  for (const file of ['gateway.yaml', 'routes.yaml', 'filters.yaml']) await cp(join(FIXTURES, file), join(dir, file));
  const dev = await startDev(['-f', dir, ...extraArgs]);
  return { dev, pods, dir };
}

async function teardown(s: Served | undefined): Promise<void> {
  if (!s) return;
  await s.dev.stop();
  await s.pods.close();
  await rm(s.dir, { recursive: true, force: true });
}

function get(s: Served, url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const parsed = new URL(url);
  const headers = { ...options.headers, ...(parsed.protocol === 'https:' ? { 'x-forwarded-proto': 'https' } : {}) };
  return request(s.dev.url, parsed.pathname + parsed.search, { host: parsed.host, method: options.method, headers });
}

async function backend(s: Served, url: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<string> {
  const reply = await get(s, url, options);
  if (reply.status !== 200) return `status ${reply.status}`;
  return reply.json<EchoReply>().service;
}

let s: Served;
beforeAll(async () => {
  s = await serve();
}, 60_000);
afterAll(() => teardown(s));

describe('GatewayClasses and API versions', () => {
  it('does not serve routes of a GatewayClass with another controllerName', async () => {
    expect((await get(s, 'http://foreign.test/')).status).toBe(404);
  });

  it('serves v1beta1 Gateways and HTTPRoutes', async () => {
    expect(await backend(s, 'http://beta.test/b/x')).toBe('svc-d');
    expect((await get(s, 'http://beta.test/other')).status).toBe(404);
  });
});

describe('listener hostnames and route hostnames', () => {
  it('a route without hostnames takes the listener wildcard, one label deep', async () => {
    expect(await backend(s, 'http://one.wild.test/')).toBe('svc-a');
  });

  it('a Gateway wildcard covers several labels', async () => {
    expect(await backend(s, 'http://two.three.wild.test/x')).toBe('svc-a');
  });

  it('a wildcard does not cover its own suffix', async () => {
    // `wild.test` is not under `*.wild.test`; only the host-less `any` listener could take it, and no route there names it.
    expect((await get(s, 'http://wild.test/')).status).toBe(404);
  });

  it('an exact route hostname inside the listener wildcard outranks the wildcard', async () => {
    expect(await backend(s, 'http://api.wild.test/')).toBe('svc-b');
  });

  it('a route wildcard narrower than the listener wildcard wins for its hosts, at any depth', async () => {
    expect(await backend(s, 'http://x.deep.wild.test/')).toBe('svc-b');
    expect(await backend(s, 'http://x.y.deep.wild.test/')).toBe('svc-b');
  });

  it('a route hostname outside the listener hostname is not served', async () => {
    expect((await get(s, 'http://unrelated.test/')).status).toBe(404);
  });

  it('HTTPS wildcard listener: a narrower route wildcard covers one and several labels below it, an exact name itself', async () => {
    expect(await backend(s, 'https://x.a.sw.test/')).toBe('svc-b');
    expect(await backend(s, 'https://y.x.a.sw.test/')).toBe('svc-b');
    expect(await backend(s, 'https://b.sw.test/')).toBe('svc-b');
  });

  it('HTTPS wildcard listener: a broader route wildcard is narrowed to the listener hostname', async () => {
    expect(await backend(s, 'https://c.sw.test/')).toBe('svc-c');
    expect(await backend(s, 'https://d.c.sw.test/')).toBe('svc-c');
    // `*.test` intersected with `*.sw.test` is `*.sw.test`: other .test hosts are not this route's.
    expect((await get(s, 'https://elsewhere.test/')).status).toBe(404);
  });

  it('an HTTPS listener serves its routes over https', async () => {
    expect(await backend(s, 'https://secure.test/')).toBe('svc-a');
  });
});

describe('listeners that share a hostname, and Gateways edgress cannot serve', () => {
  it('an HTTP and an HTTPS listener on one hostname: http gets the redirect route, https the serving route', async () => {
    const plain = await get(s, 'http://shop.test/cart?x=1');
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://shop.test/cart?x=1');
    expect(await backend(s, 'https://shop.test/cart?x=1')).toBe('svc-a');
  });

  it('an ExternalName Service as backendRef answers 500', async () => {
    expect((await get(s, 'https://shop.test/external')).status).toBe(500);
  });

  it('a Gateway with spec.addresses, and a listener allowing only GRPCRoutes, serve nothing', async () => {
    expect((await get(s, 'http://addressed.test/')).status).toBe(404);
    expect((await get(s, 'http://grpc.test/')).status).toBe(404);
  });

  it('a redirect with neither scheme nor port keeps the port the client used', async () => {
    // *.teams.test is served on port 8080 only (the Gateway has HTTP listeners on 80, 8080 and 9090).
    expect((await get(s, 'http://blue.teams.test:8080/old/x')).headers.location).toBe('http://blue.teams.test:8080/new/x');
  });
});

describe('allowedRoutes and parentRefs', () => {
  it('Same: a route from another namespace is not attached to the HTTPS listener', async () => {
    // secure-intruder (namespace default) names secure.test/intrude; only infra routes may attach.
    expect(await backend(s, 'https://secure.test/intrude')).toBe('svc-a');
  });

  it('Selector: a namespace with the label attaches, one without does not', async () => {
    // The teams listener is on port 8080: on a Gateway with several HTTP ports, a route answers on its listeners' ports.
    expect(await backend(s, 'http://blue.teams.test:8080/')).toBe('svc-blue');
    expect((await get(s, 'http://red.teams.test:8080/')).status).toBe(404);
    expect((await get(s, 'http://blue.teams.test/')).status).toBe(404);
  });

  it('parentRef port attaches to the listener on that port', async () => {
    expect(await backend(s, 'http://port.test:9090/')).toBe('svc-c');
    expect((await get(s, 'http://port.test/')).status).toBe(404);
  });

  it('a parentRef port or sectionName no listener has attaches nowhere', async () => {
    expect((await get(s, 'http://wrong-port.test/')).status).toBe(404);
    expect((await get(s, 'http://wrong-section.test/')).status).toBe(404);
  });
});

describe('matches and precedence', () => {
  it('every match of a rule routes to the rule', async () => {
    expect(await backend(s, 'http://match.test/multi-a')).toBe('svc-a');
    expect((await get(s, 'http://match.test/multi-a/x')).status).toBe(404);
    expect(await backend(s, 'http://match.test/multi-b/x')).toBe('svc-a');
  });

  it('a method match outranks header and query matches', async () => {
    expect(await backend(s, 'http://match.test/cond?v=2', { method: 'POST', headers: { 'x-env': 'canary' } })).toBe('svc-b');
  });

  it('more header matches outrank fewer, and header matches outrank query matches', async () => {
    expect(await backend(s, 'http://match.test/cond', { headers: { 'x-env': 'canary', 'x-zone': 'eu-west' } })).toBe('svc-d');
    expect(await backend(s, 'http://match.test/cond', { headers: { 'x-env': 'canary', 'x-zone': 'us-east' } })).toBe('svc-c');
    expect(await backend(s, 'http://match.test/cond?v=2', { headers: { 'x-env': 'canary' } })).toBe('svc-c');
  });

  it('a query match routes when nothing more specific holds; nothing holds: 404', async () => {
    expect(await backend(s, 'http://match.test/cond?v=2')).toBe('svc-d');
    expect((await get(s, 'http://match.test/cond?v=3')).status).toBe(404);
    // The first value of a repeated parameter counts; parameter names are case-sensitive.
    expect(await backend(s, 'http://match.test/cond?v=2&v=3')).toBe('svc-d');
    expect((await get(s, 'http://match.test/cond?v=3&v=2')).status).toBe(404);
    expect((await get(s, 'http://match.test/cond?V=2')).status).toBe(404);
    expect((await get(s, 'http://match.test/cond', { headers: { 'x-env': 'Canary' } })).status).toBe(404);
  });

  it('a header name matches whatever its case', async () => {
    expect(await backend(s, 'http://match.test/cond', { headers: { 'X-ENV': 'canary' } })).toBe('svc-c');
  });

  it('a longer prefix outranks method and header conditions', async () => {
    expect(await backend(s, 'http://match.test/cond/longer/x', { method: 'POST', headers: { 'x-env': 'canary' } })).toBe('svc-a');
  });

  it('on equal matches the older route wins', async () => {
    expect(await backend(s, 'http://match.test/tie', { headers: { 'x-tie': '1' } })).toBe('svc-a');
  });

  it('RegularExpression matches the whole path', async () => {
    expect(await backend(s, 'http://match.test/items/123')).toBe('svc-b');
    expect((await get(s, 'http://match.test/items/abc')).status).toBe(404);
    expect((await get(s, 'http://match.test/items/123/more')).status).toBe(404);
    expect((await get(s, 'http://match.test/x/items/123')).status).toBe(404);
  });
});

describe('RequestRedirect', () => {
  it('a scheme change to https without a port drops the client port (the well-known port of https)', async () => {
    const reply = await get(s, 'http://filters.test:80/to-https/a?q=1');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://filters.test/to-https/a?q=1');
  });

  it('a scheme change with a port keeps that port', async () => {
    const reply = await get(s, 'http://filters.test/to-https-port');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('https://filters.test:8443/to-https-port');
  });

  it('the well-known port of the scheme is left out', async () => {
    // filters.test is attached to the port-80 HTTP listener only, so it is asked over http.
    const reply = await get(s, 'http://filters.test/to-http-80');
    expect(reply.headers.location).toBe('http://filters.test/to-http-80');
  });

  it('ReplacePrefixMatch with 301 replaces the matched prefix element-wise', async () => {
    const reply = await get(s, 'http://filters.test/old/shoes?size=9');
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('http://filters.test/new/shoes?size=9');
    expect((await get(s, 'http://filters.test/old')).headers.location).toBe('http://filters.test/new');
    expect((await get(s, 'http://filters.test/oldish')).status).toBe(404);
  });

  it('hostname and ReplaceFullPath, 302 by default', async () => {
    const reply = await get(s, 'http://filters.test/moved/deep/page');
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe('http://elsewhere.test/landing');
  });
});

describe('URLRewrite', () => {
  it('ReplaceFullPath: the pod sees the new path and the query', async () => {
    const seen = (await get(s, 'http://filters.test/rw-full/any/thing?q=1')).json<EchoReply>();
    expect(seen).toMatchObject({ service: 'svc-a', url: '/replaced?q=1' });
  });

  it('ReplacePrefixMatch replaces only the prefix', async () => {
    expect((await get(s, 'http://filters.test/rw-prefix/x/y')).json<EchoReply>().path).toBe('/p/x/y');
    expect((await get(s, 'http://filters.test/rw-prefix')).json<EchoReply>().path).toBe('/p');
  });

  it('ReplacePrefixMatch with / leaves no double slash', async () => {
    expect((await get(s, 'http://filters.test/rw-root/x')).json<EchoReply>().path).toBe('/x');
    expect((await get(s, 'http://filters.test/rw-root')).json<EchoReply>().path).toBe('/');
  });
});

describe('header modifiers', () => {
  it('RequestHeaderModifier sets, adds to an existing header and removes', async () => {
    const seen = (
      await get(s, 'http://filters.test/headers', { headers: { 'x-set': 'from-client', 'x-add': 'original', 'x-remove': 'gone', 'x-keep': 'kept' } })
    ).json<EchoReply>();
    expect(seen.headers['x-set']).toBe('set-by-edge');
    // One header line with both values, in order (`, ` or `,` are the same list).
    expect(String(seen.headers['x-add']).split(/,\s*/)).toEqual(['original', 'added']);
    expect(seen.headers['x-remove']).toBeUndefined();
    expect(seen.headers['x-keep']).toBe('kept');
  });

  it('RequestHeaderModifier add creates a missing header', async () => {
    expect((await get(s, 'http://filters.test/headers')).json<EchoReply>().headers['x-add']).toBe('added');
  });

  it('ResponseHeaderModifier sets, adds and removes on the pod response', async () => {
    const reply = await get(s, 'http://filters.test/headers', {
      headers: { 'x-echo-response-headers': JSON.stringify({ 'x-resp-set': 'from-pod', 'x-resp-add': 'pod', 'x-resp-remove': 'secret' }) },
    });
    expect(reply.headers['x-resp-set']).toBe('resp-set');
    expect(reply.headers['x-resp-add']).toBe('pod, resp-added');
    expect(reply.headers['x-resp-remove']).toBeUndefined();
  });
});

describe('backendRefs', () => {
  it('weights split traffic and weight 0 is never picked', async () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 80; i++) {
      const name = await backend(s, 'http://filters.test/weights');
      counts[name] = (counts[name] ?? 0) + 1;
    }
    expect(Object.keys(counts).sort()).toEqual(['svc-a', 'svc-b']);
    expect(counts['svc-a']).toBeGreaterThan(counts['svc-b'] ?? 0);
  });

  it('a ResponseHeaderModifier also edits an answer the edge gives itself (the 500 of all-zero weights)', async () => {
    const reply = await get(s, 'http://filters.test/edge-answer');
    expect(reply.status).toBe(500);
    expect(reply.headers['x-edge-answer']).toBe('yes');
  });

  it('all weights zero: 500', async () => {
    expect((await get(s, 'http://filters.test/all-zero')).status).toBe(500);
  });

  it('a missing Service answers 500 for its share only', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add(await backend(s, 'http://filters.test/half-missing'));
    expect([...seen].sort()).toEqual(['status 500', 'svc-a']);
  });

  it('another namespace without a ReferenceGrant: 500; with one: served', async () => {
    expect((await get(s, 'http://filters.test/cross-denied')).status).toBe(500);
    expect(await backend(s, 'http://filters.test/cross-granted')).toBe('svc-shared');
  });

  it('backendRef filters run only for their backend', async () => {
    const byService: Record<string, unknown> = {};
    for (let i = 0; i < 30 && Object.keys(byService).length < 2; i++) {
      const seen = (await get(s, 'http://filters.test/be-filters')).json<EchoReply>();
      byService[seen.service] = seen.headers['x-backend-filter'];
    }
    expect(byService).toEqual({ 'svc-a': 'for-a', 'svc-b': undefined });
  });

  it('RequestMirror to an endpoint that refuses connections: the client still gets the backend answer', async () => {
    const reply = await get(s, 'http://filters.test/mirror-dead');
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>().service).toBe('svc-a');
  });

  it('URLRewrite hostname: the pod sees the new Host in edgress dev', async () => {
    expect((await get(s, 'http://filters.test/rw-host')).json<EchoReply>().host).toBe('internal.test');
  });

  it('RequestMirror: the mirror gets a copy, the client gets the backend answer', async () => {
    const mirror = s.pods.pods.find((pod) => pod.service === 'svc-mirror');
    const reply = await get(s, 'http://filters.test/mirrored/x?m=1', { method: 'POST', headers: { 'x-trace': 'mirror-me' } });
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>().service).toBe('svc-a');
    for (let i = 0; i < 50 && mirror?.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(mirror?.seen).toHaveLength(1);
    expect(mirror?.seen[0]).toMatchObject({ method: 'POST', url: '/mirrored/x?m=1' });
    expect(mirror?.seen[0]?.headers['x-trace']).toBe('mirror-me');
  });
});

describe('an Ingress and an HTTPRoute on the same host', () => {
  it('an equal path: the Ingress answers', async () => {
    expect(await backend(s, 'http://both.test/shared/x')).toBe('svc-a');
  });

  it('an HTTPRoute match with a header condition is more specific and wins', async () => {
    expect(await backend(s, 'http://both.test/shared/x', { headers: { 'x-new': '1' } })).toBe('svc-c');
  });

  it('an HTTPRoute Exact path outranks the Ingress prefix', async () => {
    expect(await backend(s, 'http://both.test/shared/exact')).toBe('svc-d');
  });

  it('dev prints the ShadowedRoute warning for the HTTPRoute', () => {
    expect(s.dev.output()).toMatch(/ShadowedRoute/);
    expect(s.dev.output()).toMatch(/HTTPRoute default\/modern/);
  });
});

describe('edgress compile and explain', () => {
  it('compile reports each route that a Gateway does not accept, with the reason the status gives', async () => {
    const result = await runCli(['compile', '-f', FIXTURES, '-o', '/dev/null']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/RouteNotAccepted HTTPRoute default\/secure-intruder spec\.parentRefs\[0\]: .*NotAllowedByListeners/);
    expect(result.stderr).toMatch(/RouteNotAccepted HTTPRoute red\/red-route spec\.parentRefs\[0\]: .*NotAllowedByListeners/);
    expect(result.stderr).toMatch(/RouteNotAccepted HTTPRoute default\/wrong-port spec\.parentRefs\[0\]: .*NoMatchingParent.*9999/);
    expect(result.stderr).toMatch(/RouteNotAccepted HTTPRoute default\/wrong-section spec\.parentRefs\[0\]: .*NoMatchingParent.*nosuch/);
    expect(result.stderr).toMatch(/InvalidBackendRef HTTPRoute default\/filters:? spec\.rules\[12\]\.backendRefs\[0\]: .*ReferenceGrant/);
    expect(result.stderr).toMatch(/ShadowedRoute HTTPRoute default\/modern .*Ingress default\/legacy/);
    expect(result.stderr).toMatch(/GatewayNotAccepted Gateway infra\/addressed: UnsupportedAddress/);
    expect(result.stderr).toMatch(/GatewayNotAccepted Gateway infra\/grpc-only spec\.listeners\[0\]: .*InvalidRouteKinds/);
    expect(result.stderr).toMatch(/InvalidBackendRef HTTPRoute default\/shop:? spec\.rules\[1\]\.backendRefs\[0\]: .*ExternalName/);
  });

  it('a route refused for its kind is not told its namespace is the problem', async () => {
    const result = await runCli(['compile', '-f', FIXTURES, '-o', '/dev/null']);
    const line = result.stderr.split('\n').find((entry) => entry.includes('RouteNotAccepted HTTPRoute default/on-grpc-only')) ?? '';
    expect(line).toMatch(/NotAllowedByListeners/);
    expect(line).not.toMatch(/from namespace default/);
  });

  it('compile says which HTTPRoutes belong to a GatewayClass of another controller, and which controller that is', async () => {
    const result = await runCli(['compile', '-f', FIXTURES, '-o', '/dev/null']);
    expect(result.stderr).toMatch(/example\.com\/other-controller/);
    expect(result.stderr).toMatch(/1 of another controller/);
  });

  it('--gateway-controller serves the other class instead', async () => {
    const dir = await tempDir({});
    try {
      const table = join(dir, 'table.json');
      const result = await runCli(['compile', '-f', FIXTURES, '--gateway-controller', 'example.com/other-controller', '-o', table]);
      expect(result.status).toBe(0);
      const hosts = (JSON.parse(await readFile(table, 'utf8')) as { routers: { host: string; source: string }[] }).routers.filter((r) => r.source.includes('/'));
      expect(new Set(hosts.filter((r) => !r.source.startsWith('default/legacy')).map((r) => r.source))).toEqual(new Set(['default/foreign-route']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('explain with --header picks the header route and does not list routes whose conditions fail', async () => {
    const result = await runCli(['explain', '-f', FIXTURES, '-H', 'X-Env: canary', 'http://match.test/cond']);
    expect(result.stdout).toMatch(/route: +default\/older#rule2\.match0@match\.test(:80)? \(HTTPRoute default\/older\)/);
    expect(result.stdout).toMatch(/conditions: +header x-env = "canary"/);
    expect(result.stdout).not.toMatch(/- default\/older#rule1/);
    expect(result.stdout).not.toMatch(/- default\/newer#rule0/);
  });

  it('explain on a host only unserved HTTPRoutes name says which and why', async () => {
    const refused = await runCli(['explain', '-f', FIXTURES, 'http://red.teams.test/']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/not served: +HTTPRoute red\/red-route names this host: RouteNotAccepted .*NotAllowedByListeners/);
    const foreign = await runCli(['explain', '-f', FIXTURES, 'http://foreign.test/']);
    expect(foreign.stdout).toMatch(/not served: +HTTPRoute default\/foreign-route names this host: no Gateway of ours takes it/);
    const outside = await runCli(['explain', '-f', FIXTURES, 'http://unrelated.test/']);
    expect(outside.stdout).toMatch(/not served: +HTTPRoute default\/wild-exact names this host: served for other hosts/);
  });

  it('explain --method POST picks the method route', async () => {
    const result = await runCli(['explain', '-f', FIXTURES, '--method', 'POST', 'http://match.test/cond']);
    expect(result.stdout).toMatch(/route: +default\/older#rule1\.match0@match\.test/);
    expect(result.stdout).toMatch(/conditions: +method POST/);
  });
});

/** One malformed object per entry: each must give a diagnostic naming the object and the field. */
const MALFORMED: readonly { readonly name: string; readonly spec: string; readonly field: RegExp }[] = [
  { name: 'rules-string', spec: 'rules: "all of them"', field: /spec\.rules\b/ },
  { name: 'parentrefs-map', spec: 'parentRefs: { name: edge }\n  rules: [{ backendRefs: [{ name: svc, port: 8080 }] }]', field: /spec\.parentRefs\b/ },
  { name: 'hostnames-string', spec: 'hostnames: a.test', field: /spec\.hostnames\b/ },
  { name: 'weight-word', spec: 'rules: [{ backendRefs: [{ name: svc, port: 8080, weight: heavy }] }]', field: /backendRefs\[0\]\.weight/ },
  { name: 'weight-huge', spec: 'rules: [{ backendRefs: [{ name: svc, port: 8080, weight: 1e300 }] }]', field: /backendRefs\[0\]\.weight/ },
  { name: 'weight-negative', spec: 'rules: [{ backendRefs: [{ name: svc, port: 8080, weight: -5 }] }]', field: /backendRefs\[0\]\.weight/ },
  { name: 'port-huge', spec: 'rules: [{ backendRefs: [{ name: svc, port: 99999 }] }]', field: /backendRefs\[0\]\.port/ },
  { name: 'path-huge', spec: `rules: [{ matches: [{ path: { type: Exact, value: "/${'x'.repeat(200_000)}" } }], backendRefs: [{ name: svc, port: 8080 }] }]`, field: /matches\[0\]\.path\.value/ },
  { name: 'path-regex-bad', spec: 'rules: [{ matches: [{ path: { type: RegularExpression, value: "(" } }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /matches\[0\]\.path\.value/ },
  { name: 'path-type-bad', spec: 'rules: [{ matches: [{ path: { type: Fancy, value: /x } }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /matches\[0\]\.path\.type/ },
  { name: 'header-name-crlf', spec: 'rules: [{ matches: [{ headers: [{ name: "X-A\\r\\nInjected: 1", value: v }] }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /matches\[0\]\.headers\[0\]\.name/ },
  { name: 'method-number', spec: 'rules: [{ matches: [{ method: 12 }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /matches\[0\]\.method/ },
  { name: 'query-string', spec: 'rules: [{ matches: [{ queryParams: "q=1" }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /matches\[0\]\.queryParams/ },
  { name: 'match-string', spec: 'rules: [{ matches: ["just a string"], backendRefs: [{ name: svc, port: 8080 }] }]', field: /rules\[0\]\.matches\[0\]/ },
  { name: 'filters-string', spec: 'rules: [{ filters: none, backendRefs: [{ name: svc, port: 8080 }] }]', field: /rules\[0\]\.filters/ },
  { name: 'redirect-status', spec: 'rules: [{ filters: [{ type: RequestRedirect, requestRedirect: { statusCode: 418 } }] }]', field: /filters\[0\]/ },
  { name: 'header-value-crlf', spec: 'rules: [{ filters: [{ type: ResponseHeaderModifier, responseHeaderModifier: { add: [{ name: X-A, value: "a\\r\\nSet-Cookie: x=1" }] } }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /filters\[0\]/ },
  { name: 'header-value-huge', spec: `rules: [{ filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: [{ name: X-Big, value: "${'v'.repeat(1_000_000)}" }] } }], backendRefs: [{ name: svc, port: 8080 }] }]`, field: /filters\[0\]/ },
  { name: 'header-set-string', spec: 'rules: [{ filters: [{ type: RequestHeaderModifier, requestHeaderModifier: { set: "X-A: 1" } }], backendRefs: [{ name: svc, port: 8080 }] }]', field: /filters\[0\]/ },
  { name: 'backendrefs-map', spec: 'rules: [{ backendRefs: { name: svc, port: 8080 } }]', field: /rules\[0\]\.backendRefs/ },
];

function malformedManifests(): string {
  const routes = MALFORMED.map(({ name, spec }) => {
    const parent = spec.startsWith('parentRefs') ? '' : '  parentRefs: [{ name: edge }]\n';
    const hostnames = spec.includes('hostnames') ? '\n  rules: [{ backendRefs: [{ name: svc, port: 8080 }] }]' : `\n  hostnames: [${name}.test]`;
    return `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: ${name}, namespace: default }\nspec:\n${parent}  ${spec}${hostnames}\n`;
  });
  return [
    'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata: { name: edgress }\nspec: { controllerName: edgress.dev/gateway-controller }\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: edge, namespace: default }\nspec:\n  gatewayClassName: edgress\n  listeners: [{ name: http, protocol: HTTP, port: 80 }]\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: listeners-string, namespace: default }\nspec: { gatewayClassName: edgress, listeners: "http" }\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: listener-port-huge, namespace: default }\nspec:\n  gatewayClassName: edgress\n  listeners: [{ name: http, protocol: HTTP, port: 99999999999999999999 }]\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: { name: listener-hostname-number, namespace: default }\nspec:\n  gatewayClassName: edgress\n  listeners: [{ name: http, protocol: HTTP, port: 80, hostname: 12 }]\n',
    'apiVersion: gateway.networking.k8s.io/v1beta1\nkind: ReferenceGrant\nmetadata: { name: grant-strings, namespace: default }\nspec: { from: everyone, to: [1, 2] }\n',
    'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: { name: no-spec, namespace: default }\n',
    'apiVersion: v1\nkind: Service\nmetadata: { name: svc, namespace: default }\nspec: { ports: [{ name: http, port: 8080 }] }\n',
    'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: { name: svc-1, namespace: default, labels: { kubernetes.io/service-name: svc } }\naddressType: IPv4\nports: [{ name: http, port: 9, protocol: TCP }]\nendpoints: [{ addresses: [127.0.0.9], conditions: { ready: true } }]\n',
    ...routes,
  ].join('---\n');
}

describe('malformed Gateway API objects', () => {
  let result: Awaited<ReturnType<typeof runCli>>;
  let routers: { id: string; host: string; source: string }[];
  beforeAll(async () => {
    const dir = await tempDir({ 'bad.yaml': malformedManifests() });
    try {
      result = await runCli(['compile', '-f', dir, '-o', join(dir, 'table.json')]);
      routers = result.status === 0 ? (JSON.parse(await readFile(join(dir, 'table.json'), 'utf8')) as { routers: typeof routers }).routers : [];
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('compile does not crash', () => {
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/TypeError|RangeError|\n\s+at /);
    expect(result.stderr).toMatch(/summary: /);
  });

  it.each(MALFORMED.map((entry) => [entry.name, entry.field] as const))('HTTPRoute %s: a diagnostic names the object and the field', (name, field) => {
    const lines = result.stderr.split('\n').filter((line) => line.includes(`HTTPRoute default/${name} `) || line.includes(`HTTPRoute default/${name}:`));
    expect(lines.some((line) => field.test(line)), `diagnostics for ${name}:\n${lines.join('\n')}`).toBe(true);
  });

  it('a missing spec, a listener list that is a string, a huge listener port, a number as listener hostname, a ReferenceGrant of strings: each named', () => {
    expect(result.stderr).toMatch(/HTTPRoute default\/no-spec spec: /);
    expect(result.stderr).toMatch(/Gateway default\/listeners-string spec\.listeners/);
    expect(result.stderr).toMatch(/Gateway default\/listener-port-huge spec\.listeners\[0\]/);
    expect(result.stderr).toMatch(/Gateway default\/listener-hostname-number spec\.listeners\[0\].*hostname/);
    expect(result.stderr).toMatch(/ReferenceGrant default\/grant-strings spec\.from/);
  });

  it('a malformed hostname list or match never widens a route to every host or path', () => {
    expect(routers.filter((router) => router.source === 'default/hostnames-string' && router.host === '')).toEqual([]);
    expect(routers.filter((router) => router.source === 'default/match-string')).toEqual([]);
    expect(routers.filter((router) => router.source === 'default/filters-string')).toEqual([]);
    expect(routers.filter((router) => router.source === 'default/header-set-string' || router.source === 'default/header-value-huge')).toEqual([]);
  });
});

describe('edgress dev --watch and HTTPRoute files', () => {
  let w: Served | undefined;
  afterAll(() => teardown(w));

  it('serves an edited HTTPRoute, a new one, and stops serving a deleted one', async () => {
    w = await serve(['--watch']);
    const routesFile = join(w.dir, 'routes.yaml');
    expect(await backend(w, 'http://beta.test/b/x')).toBe('svc-d');
    // Point the v1beta1 route at svc-a: the file is replaced as editors do (write, rename).
    const edited = (await readFile(routesFile, 'utf8')).replace('backendRefs: [{ name: svc-d, port: 8080 }] }]\n---\n# matching', 'backendRefs: [{ name: svc-a, port: 8080 }] }]\n---\n# matching');
    expect(edited).not.toBe(await readFile(routesFile, 'utf8'));
    await writeFile(`${routesFile}.tmp`, edited);
    await import('node:fs/promises').then((fs) => fs.rename(`${routesFile}.tmp`, routesFile));
    await w.dev.waitFor(/reloaded, \d+ routes/);
    expect(await backend(w, 'http://beta.test/b/x')).toBe('svc-a');

    const before = w.dev.output().match(/reloaded/g)?.length ?? 0;
    await writeFile(join(w.dir, 'new-route.yaml'), `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: added, namespace: default }
spec:
  parentRefs: [{ name: edge, namespace: infra, sectionName: any }]
  hostnames: [added.test]
  rules: [{ backendRefs: [{ name: svc-c, port: 8080 }] }]
`);
    await w.dev.waitFor(new RegExp(`(?:reloaded[^]*){${before + 1}}`));
    expect(await backend(w, 'http://added.test/')).toBe('svc-c');

    await rm(join(w.dir, 'new-route.yaml'));
    await w.dev.waitFor(new RegExp(`(?:reloaded[^]*){${before + 2}}`));
    expect((await get(w, 'http://added.test/')).status).toBe(404);
  }, 90_000);
});
