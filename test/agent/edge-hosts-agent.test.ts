/**
 * The watching agent with edge hosts, against the test API server and the
 * Cloudflare API stand-in: a new Ingress host is attached after its table is
 * published; a Custom Domain deleted by hand comes back without any cluster
 * change (the periodic resync); a deleted Ingress's host is detached only
 * once the table without it is in force. An HTTPRoute's hosts are attached
 * like an Ingress's.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';
import { SyncAgent } from '../../sync/agent/agent.ts';
import { systemClock } from '../../sync/common/clock.ts';
import { KubeClient } from '../../sync/common/kube/client.ts';
import { kubeWriters } from '../../sync/common/kube/writers.ts';
import { silentLogger } from '../../sync/common/log.ts';
import { CloudflareEdgeApi } from '../../sync/edge-hosts/cloudflare-edge-api.ts';
import { EdgeHostsReconciler } from '../../sync/edge-hosts/reconciler.ts';
import type { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { connect, startStandIn } from '../cloudflare/helpers.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { hosts, RecordingPublisher, TEST_BACKOFF, TEST_TIMINGS } from './harness.ts';
import { gateway, gatewayClass, httpRoute } from './gateway-objects.ts';
import { endpointSlice, ingress, service } from './objects.ts';

let api: TestApiServer;
let cloudflare: CloudflareApiStandIn;
let agent: SyncAgent | undefined;

beforeEach(async () => {
  api = await TestApiServer.start();
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  api.apply(ingress('shop'));
  api.apply(ingress('blog'));
  cloudflare = await startStandIn();
  cloudflare.edge.addZone('example.com');
});
afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await cloudflare.close();
  await api.close();
});

function start(publisher: RecordingPublisher): SyncAgent {
  const config = new KubeConfig();
  config.loadFromFile(api.kubeconfig);
  const edge = new EdgeHostsReconciler({
    api: new CloudflareEdgeApi(connect(cloudflare, systemClock)),
    settings: { mode: 'custom-domains', workerName: 'W', ownerId: 'O', tls: 'report' },
    clock: systemClock,
    log: silentLogger,
    maxRemovalShare: 0.5,
    allowMassRemoval: false,
    resyncMs: 200,
  });
  agent = new SyncAgent(
    { provider: {}, ...TEST_TIMINGS, edgeTickMs: 100 },
    { client: new KubeClient(config, { requestTimeoutMs: 1_000, watchIdleTimeoutMs: 5_000 }), writers: kubeWriters(config), publisher, compiler: createIncrementalCompiler, backoff: TEST_BACKOFF, edge },
  );
  agent.start();
  return agent;
}

describe('the agent with --edge-hosts', { timeout: 30_000 }, () => {
  it('attaches after publishing, repairs drift on its own, detaches only after the table without the host is in force', async () => {
    const publisher = new RecordingPublisher();
    start(publisher);
    await expect.poll(() => cloudflare.edge.domainOf('shop.example.com')?.service, { timeout: 10_000 }).toBe('W');
    expect(hosts(publisher.last)).toEqual(['blog.example.com', 'shop.example.com']);
    await expect.poll(async () => (await agent!.metrics.registry.metrics()).match(/^edgress_edge_hosts\{status="served"\} (\d+)/m)?.[1]).toBe('2');

    cloudflare.edge.domains.delete(cloudflare.edge.domainOf('shop.example.com')!.id);
    await expect.poll(() => cloudflare.edge.domainOf('shop.example.com')?.service, { timeout: 10_000 }).toBe('W');

    const held = publisher.hold();
    api.remove('Ingress', 'default', 'shop');
    await held.started;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cloudflare.edge.domainOf('shop.example.com')).toBeDefined();
    held.release();
    await expect.poll(() => cloudflare.edge.domainOf('shop.example.com'), { timeout: 10_000 }).toBeUndefined();
    expect(hosts(publisher.last)).toEqual(['blog.example.com']);
    expect(cloudflare.edge.domainOf('blog.example.com')?.service).toBe('W');
  });

  it('attaches the hosts of an HTTPRoute (route hostnames within the listener hostname) beside the Ingresses', async () => {
    api.installGatewayApi();
    api.apply(gatewayClass('edgress'));
    api.apply(gateway('edge', [{ hostname: '*.example.com' }]));
    api.apply(httpRoute('store', { hostnames: ['store.example.com', 'store.example.org'] }));
    const publisher = new RecordingPublisher();
    start(publisher);
    await expect.poll(() => cloudflare.edge.domainOf('store.example.com')?.service, { timeout: 10_000 }).toBe('W');
    // store.example.org is outside the listener's *.example.com: not routed, so not attached.
    expect(hosts(publisher.last)).toEqual(['blog.example.com', 'shop.example.com', 'store.example.com']);
    expect(cloudflare.edge.domainOf('store.example.org')).toBeUndefined();
    api.remove('HTTPRoute', 'default', 'store');
    await expect.poll(() => cloudflare.edge.domainOf('store.example.com'), { timeout: 10_000 }).toBeUndefined();
    expect(cloudflare.edge.domainOf('shop.example.com')?.service).toBe('W');
  });
});
