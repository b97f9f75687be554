/**
 * Timing decisions on an injected clock: the backoff an informer waits
 * after a failed list, and how long the agent coalesces changes (a quiet
 * period, bounded by a maximum delay).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { Backoff, BACKOFF_INITIAL_MS, BACKOFF_FACTOR } from '../../sync/common/backoff.ts';
import { ListWatchInformer } from '../../sync/agent/informer/informer.ts';
import { KubeClient } from '../../sync/common/kube/client.ts';
import { SERVICES } from '../../sync/common/kube/resources.ts';
import { hosts, makeAgent, testCluster } from './harness.ts';
import { ManualClock } from './manual-clock.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  api.apply(ingress('a'));
});
let informer: ListWatchInformer | undefined;
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
});

const lists = () => cluster.api.requests.filter((request) => request.verb === 'list' && request.kind === 'Service').length;

describe('injected clock and backoff', () => {
  it('retries a failed list after exactly the backoff delay, growing by the factor', async () => {
    const clock = new ManualClock();
    const config = new KubeConfig();
    config.loadFromFile(cluster.api.kubeconfig);
    cluster.api.fail({ kind: 'Service', verb: 'list', status: 403, times: 2 });
    informer = new ListWatchInformer({ resource: SERVICES, client: new KubeClient(config), clock, backoff: new Backoff({ random: () => 0 }) });
    informer.start();
    await clock.sleeping();
    expect(clock.pending).toEqual([BACKOFF_INITIAL_MS]);
    clock.advance(BACKOFF_INITIAL_MS - 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lists()).toBe(1);
    clock.advance(1);
    await expect.poll(() => clock.pending).toEqual([BACKOFF_INITIAL_MS * BACKOFF_FACTOR]);
    expect(lists()).toBe(2);
    clock.advance(BACKOFF_INITIAL_MS * BACKOFF_FACTOR);
    await expect.poll(() => informer?.state).toBe('synced');
    expect(lists()).toBe(3);
  });

  it('publishes a stream of changes once, when the maximum delay is reached', async () => {
    const clock = new ManualClock();
    const running = makeAgent(cluster.api, { quietMs: 100, maxDelayMs: 300, minPublishIntervalMs: 0, gatewayDiscoveryMs: 0 }, undefined, undefined, clock);
    cluster.running = running;
    running.agent.start();
    await clock.sleeping();
    clock.advance(100);
    await expect.poll(() => running.publisher.tables.length).toBe(1);
    const seen = (name: string) => expect.poll(() => running.logs.some((line) => line['event'] === 'changed' && line['name'] === name)).toBe(true);
    // A change every 80 ms: the quiet period (100 ms) never passes, the maximum delay (300 ms) does.
    for (const [i, name] of ['b', 'c', 'd', 'e'].entries()) {
      if (i > 0) clock.advance(80);
      cluster.api.apply(ingress(name));
      await seen(name);
      await clock.sleeping();
    }
    // 240 ms after the first change the loop still waits out d's quiet period (until 260 ms) …
    await expect.poll(() => clock.pending).toEqual([20]);
    clock.advance(20);
    // … then e's would end at 340 ms, but the batch is due at 300 ms.
    await expect.poll(() => clock.pending).toEqual([40]);
    clock.advance(39);
    expect(running.publisher.tables).toHaveLength(1);
    clock.advance(1);
    await expect.poll(() => running.publisher.tables.length).toBe(2);
    expect(hosts(running.publisher.last)).toEqual(['a', 'b', 'c', 'd', 'e'].map((name) => `${name}.example.com`));
  });
});
