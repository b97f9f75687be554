/**
 * Never lose routes: failed or partial lists, API server restarts, dropped
 * watches, 410 Gone, failing publishes and mass removals keep the table in
 * force, are reported, and are retried.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/index.ts';
import { hosts, makeAgent, testCluster } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  for (const name of ['a', 'b', 'c', 'd']) api.apply(ingress(name));
});
const started = (settings: Parameters<typeof makeAgent>[1] = {}) => cluster.started(settings);

const ALL = ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'];

describe('never lose routes', () => {
  it('relists after 410 Gone and publishes what changed while the watch was away', async () => {
    const { publisher } = await started();
    await cluster.api.stop();
    cluster.api.remove('Ingress', 'default', 'd');
    cluster.api.apply(ingress('e'));
    cluster.api.compact();
    await cluster.api.resume();
    await expect.poll(() => hosts(publisher.last)).toEqual(['a.example.com', 'b.example.com', 'c.example.com', 'e.example.com']);
  });

  it('survives dropped watches and an API server restart without restarting the agent', async () => {
    const { agent, publisher } = await started();
    cluster.api.dropWatches();
    await cluster.api.waitForWatches('Ingress');
    cluster.api.apply(ingress('e'));
    await expect.poll(() => hosts(publisher.last)).toContain('e.example.com');
    await cluster.api.restart();
    await cluster.api.waitForWatches('Ingress');
    cluster.api.apply(ingress('f'));
    await expect.poll(() => hosts(publisher.last)).toContain('f.example.com');
    const restarts = await agent.metrics.watchRestarts.get();
    expect(restarts.values.some((value) => value.labels['reason'] === 'closed' && value.value > 0)).toBe(true);
  });

  it('never publishes a table with routes missing when a relist is forbidden (403) or fails (500)', async () => {
    for (const status of [403, 500]) {
      await cluster.replaceApi({});
      const { agent, publisher, logs } = await started();
      // The Ingress list now fails, and the watch history is gone, so the informer must relist.
      const broken = cluster.api.fail({ kind: 'Ingress', verb: 'list', status });
      await cluster.api.stop();
      cluster.api.remove('Service', 'default', 'web');
      cluster.api.compact();
      await cluster.api.resume();
      await expect.poll(() => logs.filter((line) => line['event'] === 'list-failed').length).toBeGreaterThan(1);
      await expect.poll(() => logs.some((line) => line['event'] === 'publish-held')).toBe(true);
      expect(publisher.tables.every((table) => hosts(table).length === 4)).toBe(true);
      expect(agent.ready).toBe(false);
      broken();
      await expect.poll(() => agent.ready).toBe(true);
      expect(hosts(publisher.last)).toEqual(ALL);
    }
  });

  it('holds back a table that removes more than the allowed share of routes, and reports it', async () => {
    const { publisher, logs, agent } = await started({ maxRemovalShare: 0.5 });
    cluster.api.remove('Ingress', 'default', 'a');
    cluster.api.remove('Ingress', 'default', 'b');
    await expect.poll(() => hosts(publisher.last)).toEqual(['c.example.com', 'd.example.com']);
    cluster.api.remove('Ingress', 'default', 'c');
    cluster.api.remove('Ingress', 'default', 'd');
    await expect.poll(() => logs.find((line) => line['event'] === 'publish-held')).toMatchObject({ reason: 'mass removal', removedShare: 1 });
    expect(hosts(publisher.last)).toEqual(['c.example.com', 'd.example.com']);
    const held = await agent.metrics.publishesHeld.get();
    expect(held.values.find((value) => value.labels['reason'] === 'mass-removal')?.value).toBeGreaterThan(0);
  });

  it('publishes a mass removal with --allow-mass-removal', async () => {
    const { publisher } = await started({ allowMassRemoval: true });
    for (const name of ['a', 'b', 'c']) cluster.api.remove('Ingress', 'default', name);
    await expect.poll(() => hosts(publisher.last)).toEqual(['d.example.com']);
  });

  it('guards against the table already in force where it publishes (a baseline), in --once too', async () => {
    const nine = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name) => ingress(name));
    const baseline = compile([service('web'), endpointSlice('web', ['10.0.0.1']), ...nine], {}).table;
    cluster.running = makeAgent(cluster.api, { baseline });
    expect(await cluster.running.agent.runOnce()).toMatchObject({ kind: 'held' });
    expect(cluster.running.publisher.tables).toHaveLength(0);
    cluster.running = makeAgent(cluster.api, { baseline, maxRemovalShare: 0.6 });
    expect(await cluster.running.agent.runOnce()).toMatchObject({ kind: 'published', routes: 4 });
  });

  it('retries a failed publish with backoff and reports readiness meanwhile', async () => {
    const { agent, publisher, logs } = await started();
    publisher.failing = true;
    cluster.api.apply(ingress('e'));
    await expect.poll(() => logs.filter((line) => line['event'] === 'publish-failed').length).toBeGreaterThan(1);
    expect(agent.ready).toBe(false);
    expect((await agent.metrics.publishErrors.get()).values[0]?.value).toBeGreaterThan(1);
    publisher.failing = false;
    await expect.poll(() => hosts(publisher.last)).toContain('e.example.com');
    expect(agent.ready).toBe(true);
  });

  it('finishes the publish in flight when stopped', async () => {
    const { agent, publisher } = await started();
    const held = publisher.hold();
    cluster.api.apply(ingress('e'));
    await held.started;
    const stopped = agent.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    held.release();
    await stopped;
    cluster.running = undefined;
    expect(hosts(publisher.last)).toContain('e.example.com');
  });
});
