/**
 * The running agent publishing to Workers KV through the Cloudflare API
 * stand-in while the API answers 429 (with Retry-After) and 5xx, on value,
 * pointer and read requests, often enough that whole publishes fail (more
 * than a call's `API_RETRY.attempts`). Every table the stand-in ever had in
 * force (read back from what it stores, after each publish attempt: one
 * attempt writes at most one pointer) must keep every stable route with its
 * endpoints; once the API answers again, the agent catches up by itself.
 * The Cloudflare client's clock is instant, so its backoff costs no time.
 */
import { describe, expect, it } from 'vitest';
import { checkManifest, POINTER_KEY } from '../../src/storage/layout.ts';
import type { Table } from '../../src/table/schema.ts';
import { decodeShard } from '../../src/storage/wire.ts';
import { API_RETRY } from '../../sync/publish/cloudflare/limits.ts';
import { CloudflareKvPublisher } from '../../sync/publish/cloudflare/kv-api-publisher.ts';
import type { PublishOutcome } from '../../sync/publish/publisher.ts';
import type { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { connect, expectComplete, InstantClock, NAMESPACE, startStandIn } from '../cloudflare/helpers.ts';
import { hosts, makeAgent, RecordingPublisher, servers, testCluster } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

const STABLE_HOSTS = Array.from({ length: 6 }, (_, i) => `stable-${i}.example.com`);
const WEB = ['10.0.0.1:8080', '10.0.0.2:8080'];

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1', '10.0.0.2']));
  for (const host of STABLE_HOSTS) api.apply(ingress(host.split('.')[0] as string));
});

/**
 * Publishes through the Cloudflare KV publisher; `tables` holds the table in
 * force in the stand-in after every attempt that moved its pointer, decoded
 * from the stored values (what the worker would read), not what was asked.
 */
class InForceRecorder extends RecordingPublisher {
  readonly #inner: CloudflareKvPublisher;
  readonly #standIn: CloudflareApiStandIn;
  #pointer: string | undefined;

  constructor(standIn: CloudflareApiStandIn) {
    super();
    this.#standIn = standIn;
    this.#inner = new CloudflareKvPublisher({ kv: connect(standIn, new InstantClock()).namespace(NAMESPACE), clock: new InstantClock() });
  }

  override async publish(table: Table): Promise<PublishOutcome> {
    try {
      return await this.#inner.publish(table);
    } finally {
      await this.#record();
    }
  }

  async #record(): Promise<void> {
    const values = this.#standIn.values(NAMESPACE);
    const pointer = values.get(POINTER_KEY);
    if (pointer === undefined || pointer === this.#pointer) return;
    this.#pointer = pointer;
    const manifest = checkManifest(JSON.parse(values.get((await expectComplete(values)).manifest) ?? 'null'));
    const keys = [...(manifest?.buckets ?? []), manifest?.anyHost].filter((key): key is string => typeof key === 'string');
    const table: Table = { schema: 1, routers: [], middlewares: {}, services: {} };
    for (const key of keys) {
      const shard = decodeShard(JSON.parse(values.get(key) ?? 'null'));
      // Service ids are numbered per shard: qualify them so shards merge into one table.
      for (const router of shard?.routers ?? []) table.routers.push({ ...router, service: `${key}/${router.service}` });
      for (const [id, service] of Object.entries(shard?.services ?? {})) table.services[`${key}/${id}`] = service;
    }
    this.tables.push(table);
  }
}

/** Every stable route, served by web's endpoints. */
function keepsStableRoutes(table: Table): void {
  expect(hosts(table)).toEqual(expect.arrayContaining(STABLE_HOSTS));
  const byHost = servers(table);
  for (const host of STABLE_HOSTS) expect(byHost[host], host).toEqual(WEB);
}

describe('publishing to Workers KV while the Cloudflare API fails', () => {
  it('publishes no table with routes missing and catches up by itself', async () => {
    const standIn = await startStandIn();
    try {
      const publisher = new InForceRecorder(standIn);
      const running = makeAgent(cluster.api, {}, publisher);
      cluster.running = running;
      running.agent.start();
      await expect.poll(() => publisher.tables.length).toBeGreaterThan(0);

      // Each rule outlasts one API call's retries, so whole publishes fail and the agent must retry them.
      const outlast = API_RETRY.attempts * 2;
      const faults = [
        { method: 'PUT', path: /\/bulk$/, status: 429, retryAfter: '3', times: outlast },
        { method: 'PUT', key: POINTER_KEY, status: 503, times: outlast },
        { path: /\/bulk\/get$/, status: 500, times: outlast },
        { method: 'PUT', path: /\/bulk$/, status: 502, times: outlast },
      ];
      const present: string[] = [];
      const failedPublishes = () => running.logs.filter((line) => line['event'] === 'publish-failed').length;
      for (const [index, fault] of faults.entries()) {
        const failedBefore = failedPublishes();
        standIn.fail(fault);
        cluster.api.apply(ingress(`churn-${index}`));
        present.push(`churn-${index}.example.com`);
        if (index === 2) cluster.api.remove('Ingress', 'default', 'churn-0'), present.shift();
        await expect.poll(failedPublishes, { timeout: 10_000 }).toBeGreaterThan(failedBefore);
        // Recovered without help: the change is in force once the fault has run its course.
        await expect.poll(() => hosts(publisher.last), { timeout: 10_000 }).toEqual([...STABLE_HOSTS, ...present].sort());
      }

      await expect.poll(() => running.agent.ready).toBe(true);
      for (const table of publisher.tables) keepsStableRoutes(table);
      const refused = standIn.requests.filter((request) => request.status >= 429).map((request) => request.status);
      expect(new Set(refused)).toEqual(new Set([429, 500, 502, 503]));
      expect(refused.length).toBe(faults.length * outlast);
      const failed = failedPublishes();
      console.log(`agent vs Cloudflare API faults: ${refused.length} requests refused (${[...new Set(refused)].join(', ')}), ${failed} publishes failed, ${publisher.tables.length} tables put in force, none missing a route`);
    } finally {
      await cluster.running?.agent.stop();
      cluster.running = undefined;
      await standIn.close();
    }
  });
});
