/**
 * The test API server speaks the protocol client-node expects: checked with
 * client-node's own informer, typed API clients and Watch.
 */
import { ApisApi, CoordinationV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, makeInformer, NetworkingV1Api, PatchStrategy, setHeaderOptions, Watch, type V1Service } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestApiServer } from './api-server.ts';

let api: TestApiServer;
let kc: KubeConfig;

beforeEach(async () => {
  api = await TestApiServer.start();
  kc = new KubeConfig();
  kc.loadFromFile(api.kubeconfig);
});
afterEach(() => api.close());

const service = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default', labels },
  spec: { ports: [{ port: 80 }] },
});

describe('test API server through client-node', () => {
  it('lists (items without kind) and serves client-node informers with watch events', async () => {
    api.apply(service('a'));
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer<V1Service>(kc, '/api/v1/namespaces/default/services', () => core.listNamespacedService({ namespace: 'default' }));
    const added: string[] = [];
    informer.on('add', (object) => added.push(object.metadata?.name ?? ''));
    await informer.start();
    await api.waitForWatches('Service');
    const seen = new Promise<void>((resolve) => informer.on('add', (object) => object.metadata?.name === 'b' && resolve()));
    api.apply(service('b'));
    await seen;
    expect(added).toEqual(['a', 'b']);
    await informer.stop();
  });

  it('answers a watch from a compacted resourceVersion with an ERROR 410 event', async () => {
    api.apply(service('a'));
    const rv = String(api.store.revision);
    api.apply(service('b'));
    api.compact();
    const events: { type: string; code?: number }[] = [];
    await new Promise<void>((resolve) => {
      void new Watch(kc).watch('/api/v1/services', { resourceVersion: rv }, (type, object: { code?: number }) => events.push({ type, code: object.code }), () => resolve());
    });
    expect(events).toEqual([{ type: 'ERROR', code: 410 }]);
  });

  it('filters lists and watches by label selector and sends bookmarks when asked', async () => {
    api.apply(service('a', { app: 'x' }));
    api.apply(service('b', { app: 'y' }));
    const core = kc.makeApiClient(CoreV1Api);
    const list = await core.listServiceForAllNamespaces({ labelSelector: 'app in (x)' });
    expect(list.items.map((item) => item.metadata?.name)).toEqual(['a']);
    const events: string[] = [];
    const controller = await new Watch(kc).watch('/api/v1/services', { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true, labelSelector: 'app=x' }, (type) => events.push(type), () => {});
    await api.waitForWatches('Service');
    api.apply(service('c', { app: 'y' }));
    api.apply(service('d', { app: 'x' }));
    api.bookmark();
    await expect.poll(() => events).toEqual(['ADDED', 'BOOKMARK']);
    controller.abort();
  });

  it('writes the Ingress status subresource with a merge patch', async () => {
    api.apply({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec: { rules: [] } });
    const networking = kc.makeApiClient(NetworkingV1Api);
    await networking.patchNamespacedIngressStatus(
      { name: 'web', namespace: 'default', body: { status: { loadBalancer: { ingress: [{ hostname: 'edge.example.com' }] } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(api.object('Ingress', 'default', 'web')?.['status']).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.com' }] } });
  });

  it('rejects a Lease update from a stale resourceVersion with 409', async () => {
    const leases = kc.makeApiClient(CoordinationV1Api);
    const created = await leases.createNamespacedLease({ namespace: 'default', body: { metadata: { name: 'l' }, spec: { holderIdentity: 'a' } } });
    await leases.replaceNamespacedLease({ name: 'l', namespace: 'default', body: { ...created, spec: { holderIdentity: 'b' } } });
    await expect(leases.replaceNamespacedLease({ name: 'l', namespace: 'default', body: { ...created, spec: { holderIdentity: 'c' } } })).rejects.toMatchObject({ code: 409 });
  });

  it('injects 403s and survives a restart on the same port', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const remove = api.fail({ kind: 'Secret', verb: 'list', status: 403 });
    await expect(core.listSecretForAllNamespaces()).rejects.toMatchObject({ code: 403 });
    remove();
    await api.restart();
    await expect(core.listSecretForAllNamespaces()).resolves.toMatchObject({ items: [] });
  });

  it('serves the Gateway API only while its CRDs are installed, at v1 and v1beta1, with status subresources', async () => {
    const groups = async () => ((await kc.makeApiClient(ApisApi).getAPIVersions()).groups ?? []).map((group) => group.name);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const route = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default', generation: 1 }, spec: { hostnames: ['a.example.com'] } };
    expect(await groups()).not.toContain('gateway.networking.k8s.io');
    expect(() => api.apply(route)).toThrow(/CRDs are not installed/);
    await expect(custom.listNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: 'default', plural: 'httproutes' })).rejects.toMatchObject({ code: 404 });
    api.installGatewayApi();
    expect(await groups()).toContain('gateway.networking.k8s.io');
    api.apply(route);
    const beta = (await custom.listNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1beta1', namespace: 'default', plural: 'httproutes' })) as { items: { metadata: { name: string } }[] };
    expect(beta.items.map((item) => item.metadata.name)).toEqual(['r']);
    const status = { parents: [{ parentRef: { name: 'gw' }, controllerName: 'edgress.dev/gateway-controller', conditions: [] }] };
    await custom.patchNamespacedCustomObjectStatus(
      { group: 'gateway.networking.k8s.io', version: 'v1', namespace: 'default', plural: 'httproutes', name: 'r', body: { status, spec: { hostnames: ['changed.example.com'] } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(api.object('HTTPRoute', 'default', 'r')).toMatchObject({ status, spec: { hostnames: ['a.example.com'] } });
    const resources = (await custom.getAPIResources({ group: 'gateway.networking.k8s.io', version: 'v1beta1' })).resources.map((resource) => resource.name);
    expect(resources).toEqual(expect.arrayContaining(['gatewayclasses', 'gatewayclasses/status', 'gateways', 'httproutes/status', 'referencegrants']));
    api.uninstallGatewayApi();
    expect(await groups()).not.toContain('gateway.networking.k8s.io');
    api.installGatewayApi();
    expect(api.objects('HTTPRoute')).toEqual([]);
  });
});
