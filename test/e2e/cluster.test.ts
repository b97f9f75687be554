/**
 * The sync agent end to end, through the real CLI, with a test Kubernetes
 * API server standing in for the cluster and echo servers for the pods:
 * `edgress sync --once --out` then `edgress dev --table` serves exactly as
 * `edgress dev -f` on the same manifests; `edgress dev --kubeconfig` follows
 * cluster changes within seconds and writes Ingress status.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApiServer } from '../kube/api-server.ts';
import type { StoredObject } from '../kube/store.ts';
import { request, runCli, startDev, tempDir, type DevProcess } from './harness/edgress.ts';
import { serviceObjects, toYaml } from './harness/manifests.ts';
import { startPods, type EchoReply, type PodSet } from './harness/pods.ts';

function ingress(name: string, rules: { host: string; paths: [string, string, string][] }[], annotations: Record<string, string> = {}): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default', annotations },
    spec: {
      rules: rules.map(({ host, paths }) => ({
        host,
        http: { paths: paths.map(([path, pathType, service]) => ({ path, pathType, backend: { service: { name: service, port: { number: 8080 } } } })) },
      })),
    },
  };
}

interface Seen {
  readonly status: number;
  readonly service?: string;
  readonly path?: string;
  readonly host?: string;
  readonly pod?: string;
}

async function see(dev: DevProcess, host: string, path: string): Promise<Seen> {
  const reply = await request(dev.url, path, { host });
  if (reply.status !== 200 || reply.headers['server'] !== 'echoserver') return { status: reply.status };
  const echo = reply.json<EchoReply>();
  return { status: reply.status, service: echo.service, path: echo.path, host: echo.host, pod: echo.pod };
}

describe('edgress sync --once --out, then edgress dev --table', () => {
  let api: TestApiServer;
  let pods: PodSet;
  let dir: string;
  const devs: DevProcess[] = [];

  beforeAll(async () => {
    pods = await startPods({ alpha: 1, beta: 1 });
    const objects = [
      ...serviceObjects('alpha', pods.pods),
      ...serviceObjects('beta', pods.pods),
      ingress('site', [{ host: 'site.example.com', paths: [['/', 'Prefix', 'alpha'], ['/api', 'Prefix', 'beta'], ['/exact', 'Exact', 'beta']] }]),
      ingress('strip', [{ host: 'strip.example.com', paths: [['/strip', 'ImplementationSpecific', 'beta']] }], { 'traefik.ingress.kubernetes.io/rule-type': 'PathPrefixStrip' }),
      ingress('wild', [{ host: '*.wild.example.com', paths: [['/', 'Prefix', 'alpha']] }]),
      ingress('missing', [{ host: 'missing.example.com', paths: [['/', 'Prefix', 'nowhere']] }]),
    ] as StoredObject[];
    api = await TestApiServer.start();
    for (const object of objects) api.apply(object);
    dir = await tempDir({ 'cluster.yaml': toYaml(objects) });
  });
  afterAll(async () => {
    await Promise.all(devs.map((dev) => dev.stop()));
    await pods.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the same responses as edgress dev -f on the same manifests', async () => {
    const table = join(dir, 'table.json');
    const sync = await runCli(['sync', '--once', '--kubeconfig', api.kubeconfig, '--out', table]);
    expect(sync.status, sync.stderr).toBe(0);
    const [fromTable, fromManifests] = await Promise.all([startDev(['--table', table]), startDev(['-f', join(dir, 'cluster.yaml')])]);
    devs.push(fromTable, fromManifests);
    const requests: [string, string][] = [
      ['site.example.com', '/'],
      ['site.example.com', '/anything?x=1'],
      ['site.example.com', '/api'],
      ['site.example.com', '/api/v1'],
      ['site.example.com', '/apix'],
      ['site.example.com', '/exact'],
      ['site.example.com', '/exact/no'],
      ['SITE.example.com:8080', '/api'],
      ['strip.example.com', '/strip/rest'],
      ['a.wild.example.com', '/'],
      ['a.b.wild.example.com', '/'],
      ['missing.example.com', '/'],
      ['unknown.example.com', '/'],
    ];
    const answers = async (dev: DevProcess) => Promise.all(requests.map(([host, path]) => see(dev, host, path)));
    const [viaTable, viaManifests] = await Promise.all([answers(fromTable), answers(fromManifests)]);
    expect(viaTable).toEqual(viaManifests);
    expect(viaTable.filter((seen) => seen.status === 200).length).toBeGreaterThan(6);
  });
});

describe('edgress dev --kubeconfig', () => {
  let api: TestApiServer;
  let pods: PodSet;
  let dev: DevProcess;

  beforeAll(async () => {
    pods = await startPods({ alpha: 2, beta: 1 });
    api = await TestApiServer.start();
    const [alphaService, alphaSlice] = serviceObjects('alpha', pods.pods) as StoredObject[];
    // alpha's slice starts with its first pod only; the test moves it to the second.
    const first = pods.pods.find((pod) => pod.name === 'alpha-0');
    api.apply(alphaService as StoredObject);
    api.apply({ ...(alphaSlice as StoredObject), endpoints: [{ addresses: [first?.ip], conditions: { ready: true } }] });
    for (const object of serviceObjects('beta', pods.pods)) api.apply(object as StoredObject);
    api.apply(ingress('stable', [{ host: 'stable.example.com', paths: [['/', 'Prefix', 'alpha']] }]));
    dev = await startDev(['--kubeconfig', api.kubeconfig, '--ingress-endpoint-hostname', 'edge.example.test']);
  });
  afterAll(async () => {
    await dev?.stop();
    await pods.close();
    await api.close();
  });

  const within = { timeout: 5_000, interval: 100 };
  const stableStillWorks = async () => expect(await see(dev, 'stable.example.com', '/x')).toMatchObject({ status: 200, service: 'alpha', path: '/x' });

  it('serves the cluster and writes the configured endpoint into Ingress status', async () => {
    await stableStillWorks();
    await expect.poll(() => api.object('Ingress', 'default', 'stable')?.['status'], within).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.test' }] } });
  });

  it('serves an added Ingress within seconds', async () => {
    const start = Date.now();
    api.apply(ingress('fresh', [{ host: 'fresh.example.com', paths: [['/', 'Prefix', 'beta']] }]));
    await expect.poll(() => see(dev, 'fresh.example.com', '/hello'), within).toMatchObject({ status: 200, service: 'beta', path: '/hello' });
    expect(Date.now() - start).toBeLessThan(3_000);
    await stableStillWorks();
    await expect.poll(() => api.object('Ingress', 'default', 'fresh')?.['status'], within).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.test' }] } });
  });

  it('serves a changed Ingress within seconds', async () => {
    api.apply(ingress('fresh', [{ host: 'fresh.example.com', paths: [['/v2', 'Prefix', 'alpha']] }]));
    await expect.poll(() => see(dev, 'fresh.example.com', '/v2/hello'), within).toMatchObject({ status: 200, service: 'alpha' });
    expect((await see(dev, 'fresh.example.com', '/hello')).status).toBe(404);
    await stableStillWorks();
  });

  it('stops serving a deleted Ingress within seconds', async () => {
    api.remove('Ingress', 'default', 'fresh');
    await expect.poll(async () => (await see(dev, 'fresh.example.com', '/v2/hello')).status, within).toBe(404);
    await stableStillWorks();
  });

  it('follows a changed EndpointSlice within seconds', async () => {
    expect(await see(dev, 'stable.example.com', '/')).toMatchObject({ pod: 'alpha-0' });
    const second = pods.pods.find((pod) => pod.name === 'alpha-1');
    const slice = api.objects('EndpointSlice', 'default').find((object) => object.metadata.name.startsWith('alpha'));
    api.apply({ ...(slice as StoredObject), endpoints: [{ addresses: [second?.ip], conditions: { ready: true } }] });
    await expect.poll(async () => (await see(dev, 'stable.example.com', '/')).pod, within).toBe('alpha-1');
    for (let i = 0; i < 4; i++) expect(await see(dev, 'stable.example.com', '/')).toMatchObject({ status: 200, pod: 'alpha-1' });
  });
});
