/**
 * Chaos for the sync agent, through the test API server: while Ingresses
 * and endpoints keep changing, watches are dropped every few hundred
 * milliseconds, the watch history is compacted again and again (410
 * storms), the API server restarts, and the agent's RBAC is revoked (403 on
 * every list and watch) for a while. Every table the agent publishes must
 * keep every route of the Ingresses that never changed, each with its
 * endpoints; once the faults stop, the agent recovers by itself and
 * publishes the cluster as it is. Bounded: a few seconds of chaos, a seeded
 * random order.
 */
import { describe, expect, it } from 'vitest';
import type { Table } from '../../src/table/schema.ts';
import { hosts, servers, testCluster } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const STABLE = Array.from({ length: 8 }, (_, i) => `stable-${i}`);
const CHURN = Array.from({ length: 4 }, (_, i) => `churn-${i}`);
const STABLE_HOSTS = STABLE.map((name) => `${name}.example.com`);
const CHAOS_MS = 6_000;

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1', '10.0.0.2']));
  api.apply(service('churn'));
  api.apply(endpointSlice('churn', ['10.1.0.1']));
  for (const name of STABLE) api.apply(ingress(name));
});

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What must hold for every table published: every stable route, served by web's endpoints. */
function keepsStableRoutes(table: Table): void {
  expect(hosts(table)).toEqual(expect.arrayContaining(STABLE_HOSTS));
  const byHost = servers(table);
  for (const host of STABLE_HOSTS) expect(byHost[host], host).toEqual(['10.0.0.1:8080', '10.0.0.2:8080']);
}

describe('chaos', () => {
  it('publishes no table with routes missing, and converges once the faults stop', async () => {
    const next = random(Number(process.env['EDGRESS_CHAOS_SEED'] ?? 7));
    const { agent, publisher } = await cluster.started();
    const api = cluster.api;
    const present = new Set<string>();
    let churnAddresses = ['10.1.0.1'];
    const faults = { drops: 0, compactions: 0, restarts: 0, revocations: 0, changes: 0 };
    const deadline = Date.now() + CHAOS_MS;
    let revoked: (() => void)[] = [];
    let restarted = false;
    while (Date.now() < deadline) {
      if (!restarted && Date.now() > deadline - CHAOS_MS / 2) {
        await api.restart({ compact: true });
        restarted = true;
        faults.restarts += 1;
      }
      const roll = next();
      if (roll < 0.35) {
        const name = CHURN[Math.floor(next() * CHURN.length)] as string;
        if (present.has(name)) api.remove('Ingress', 'default', name), present.delete(name);
        else api.apply(ingress(name, { service: 'churn' })), present.add(name);
        faults.changes += 1;
      } else if (roll < 0.5) {
        churnAddresses = Array.from({ length: 1 + Math.floor(next() * 3) }, (_, i) => `10.1.0.${1 + i + Math.floor(next() * 50)}`);
        api.apply(endpointSlice('churn', churnAddresses));
        faults.changes += 1;
      } else if (roll < 0.7) {
        api.dropWatches();
        faults.drops += 1;
      } else if (roll < 0.85) {
        api.compact();
        faults.compactions += 1;
      } else if (roll < 0.92 && revoked.length === 0) {
        // RBAC revoked for every list and watch, of one kind or all, restored a little later.
        const kind = [undefined, 'Service', 'EndpointSlice', 'Ingress'][Math.floor(next() * 4)];
        revoked = [api.fail({ kind, verb: 'list', status: 403 }), api.fail({ kind, verb: 'watch', status: 403 })];
        faults.revocations += 1;
      } else if (revoked.length > 0) {
        for (const restore of revoked) restore();
        revoked = [];
      }
      await sleep(50 + next() * 150);
    }
    for (const restore of revoked) restore();
    const published = publisher.tables.length;
    for (const table of publisher.tables) keepsStableRoutes(table);

    // Healed: the agent catches up by itself with the cluster as it now is.
    const expectedHosts = [...STABLE_HOSTS, ...[...present].map((name) => `${name}.example.com`)].sort();
    const expectedChurn = [...new Set(churnAddresses)].map((ip) => `${ip}:8080`).sort();
    await expect.poll(() => hosts(publisher.last), { timeout: 15_000 }).toEqual(expectedHosts);
    for (const name of present) await expect.poll(() => servers(publisher.last)[`${name}.example.com`], { timeout: 15_000 }).toEqual(expectedChurn);
    await expect.poll(() => agent.ready, { timeout: 15_000 }).toBe(true);
    for (const table of publisher.tables) keepsStableRoutes(table);
    console.log(`agent chaos: ${JSON.stringify(faults)}, ${published} tables published during the chaos, ${publisher.tables.length} in all`);
  }, 40_000);
});
