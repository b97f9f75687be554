/**
 * Leader election on a Lease: one replica publishes and writes status, the
 * other stays synced and takes over when the leader stops renewing or
 * releases the Lease; racing writes get 409 and exactly one wins.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubeWriters } from '../../sync/common/kube/writers.ts';
import { LeaderElector, type LeaderOptions } from '../../sync/agent/leader.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { hosts, makeAgent, RecordingPublisher, type TestAgent } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

/** Short, but in client-go's proportions (duration > deadline > retry). */
const ELECTION = { namespace: 'default', name: 'edgress-sync', leaseDurationMs: 800, renewDeadlineMs: 500, retryPeriodMs: 100 } as const;

let api: TestApiServer;
const agents: TestAgent[] = [];

beforeEach(async () => {
  api = await TestApiServer.start();
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1']));
  api.apply(ingress('a'));
});
afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.agent.stop()));
  await api.close();
});

async function replica(identity: string): Promise<TestAgent> {
  const kubeconfig = await api.kubeconfigFor(identity);
  const agent = makeAgent(api, { leaderElection: { ...ELECTION, identity }, ingressEndpoint: { hostname: 'edge.example.com' } }, new RecordingPublisher(), kubeconfig);
  agents.push(agent);
  agent.agent.start();
  return agent;
}

const holder = () => (api.object('Lease', 'default', 'edgress-sync')?.['spec'] as { holderIdentity?: string } | undefined)?.holderIdentity;

describe('leader election', () => {
  it('lets only the leader publish and write status; the follower stays synced and ready', async () => {
    const first = await replica('a');
    await expect.poll(() => first.agent.leading).toBe(true);
    const second = await replica('b');
    await expect.poll(() => first.publisher.tables.length).toBe(1);
    await expect.poll(() => second.agent.ready).toBe(true);
    api.apply(ingress('b'));
    await expect.poll(() => hosts(first.publisher.last)).toContain('b.example.com');
    expect(second.agent.leading).toBe(false);
    expect(second.publisher.tables).toHaveLength(0);
    expect(holder()).toBe('a');
    await expect.poll(() => first.logs.filter((line) => line['event'] === 'ingress-status-written').length).toBe(2);
    expect(second.logs.some((line) => line['event'] === 'ingress-status-written' || line['event'] === 'published')).toBe(false);
  });

  it('hands over when the leader cannot renew: it steps down, the other takes over after the lease expires', async () => {
    const first = await replica('a');
    await expect.poll(() => first.agent.leading).toBe(true);
    const second = await replica('b');
    await expect.poll(() => second.agent.ready).toBe(true);
    const cut = Date.now();
    api.fail({ kind: 'Lease', token: 'a', status: 500 });
    await expect.poll(() => first.agent.leading, { timeout: 3_000 }).toBe(false);
    await expect.poll(() => second.agent.leading, { timeout: 3_000 }).toBe(true);
    expect(Date.now() - cut).toBeGreaterThanOrEqual(ELECTION.leaseDurationMs - ELECTION.retryPeriodMs);
    // The new leader publishes at once (it cannot know what is in force), then follows changes.
    await expect.poll(() => second.publisher.tables.length).toBe(1);
    api.apply(ingress('c'));
    await expect.poll(() => hosts(second.publisher.last)).toContain('c.example.com');
    expect(hosts(first.publisher.last)).not.toContain('c.example.com');
    expect(holder()).toBe('b');
  });

  it('releases the Lease on stop, so the follower takes over without waiting for expiry', async () => {
    const first = await replica('a');
    await expect.poll(() => first.agent.leading).toBe(true);
    const second = await replica('b');
    await expect.poll(() => second.agent.ready).toBe(true);
    await first.agent.stop();
    agents.splice(agents.indexOf(first), 1);
    expect(holder()).toBe('');
    await expect.poll(() => second.agent.leading, { timeout: ELECTION.leaseDurationMs }).toBe(true);
  });

  it('resolves racing acquisitions and stale renewals with 409: exactly one leader', async () => {
    const config = new KubeConfig();
    config.loadFromFile(api.kubeconfig);
    const leases = kubeWriters(config).leases;
    const electors = ['x', 'y', 'z'].map((identity) => new LeaderElector(leases, { ...ELECTION, identity } satisfies LeaderOptions));
    const results = await Promise.all(electors.map((elector) => elector.tryAcquireOrRenew()));
    expect(results.filter(Boolean)).toHaveLength(1);
    const conflicts = api.requests.filter((request) => request.kind === 'Lease' && request.status === 409);
    expect(conflicts.length).toBeGreaterThan(0);
    const winner = electors[results.indexOf(true)];
    expect(await winner?.tryAcquireOrRenew()).toBe(true);
    const lease = await leases.read('default', 'edgress-sync');
    await leases.replace('default', 'edgress-sync', { ...lease, holderIdentity: 'intruder' });
    await expect(leases.replace('default', 'edgress-sync', { ...lease, holderIdentity: 'stale' })).rejects.toMatchObject({ code: 409 });
  });
});
