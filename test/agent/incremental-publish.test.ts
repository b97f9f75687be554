/**
 * One publication path, fed by the changes: the running agent, watching the
 * test API server, publishing to Workers KV through the Cloudflare API
 * stand-in. After the first publish, one changed object (an EndpointSlice,
 * an Ingress) reaches the compiler as the informer's change and the
 * publisher encodes and writes only the shard it lands in, then the
 * manifest, the history and the pointer: observable as the keys the stand-in
 * was asked to write. What is then in force answers as a full compile of the
 * same objects would.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/index.ts';
import { MANIFEST_PREFIX, POINTER_KEY, SHARD_PREFIX } from '../../src/storage/layout.ts';
import { buildPublication } from '../../src/storage/publication.ts';
import type { Table } from '../../src/table/schema.ts';
import { HISTORY_KEY } from '../../sync/publish/cloudflare/history.ts';
import { CloudflareKvPublisher } from '../../sync/publish/cloudflare/kv-api-publisher.ts';
import type { PublishOutcome } from '../../sync/publish/publisher.ts';
import type { CloudflareApiStandIn } from '../cloudflare/api-server.ts';
import { connect, expectComplete, InstantClock, NAMESPACE, startStandIn } from '../cloudflare/helpers.ts';
import { makeAgent, RecordingPublisher, testCluster } from './harness.ts';
import { endpointSlice, ingress, service } from './objects.ts';

/** Enough routes for several shards (the layout aims at ~64 KB per shard). */
const INGRESSES = 3000;

const cluster = testCluster((api) => {
  api.apply(service('web'));
  api.apply(endpointSlice('web', ['10.0.0.1', '10.0.0.2']));
  api.apply(service('solo'));
  api.apply(endpointSlice('solo', ['10.0.1.1']));
  api.apply(ingress('solo', { service: 'solo' }));
  for (let i = 0; i < INGRESSES; i++) api.apply(ingress(`site-${i}`));
});

/** Publishes through the Cloudflare KV publisher and keeps each outcome and the table it was given. */
class KvRecorder extends RecordingPublisher {
  readonly inner: CloudflareKvPublisher;
  readonly outcomes: PublishOutcome[] = [];
  readonly encoded: number[] = [];

  constructor(standIn: CloudflareApiStandIn) {
    super();
    this.inner = new CloudflareKvPublisher({ kv: connect(standIn, new InstantClock()).namespace(NAMESPACE), clock: new InstantClock() });
  }

  override async publish(table: Table): Promise<PublishOutcome> {
    const outcome = await this.inner.publish(table);
    this.outcomes.push(outcome);
    this.encoded.push(this.inner.shardsEncoded);
    if (outcome.changed) this.tables.push(table);
    return outcome;
  }
}

/** The keys of every bulk write since `from`, in order. */
function writtenKeys(standIn: CloudflareApiStandIn, from: number): string[] {
  return standIn.requests.slice(from).filter((request) => request.method === 'PUT' && request.path.endsWith('/bulk')).flatMap((request) => request.keys ?? []);
}

describe('one changed object through the agent to Workers KV', () => {
  it('re-encodes and writes only the shard it lands in, then the manifest, history and pointer', async () => {
    const standIn = await startStandIn();
    try {
      const publisher = new KvRecorder(standIn);
      const running = makeAgent(cluster.api, {}, publisher);
      cluster.running = running;
      running.agent.start();
      await expect.poll(() => publisher.tables.length, { timeout: 20_000 }).toBe(1);
      const first = await expectComplete(standIn.values(NAMESPACE));
      const shards = writtenKeys(standIn, 0).filter((key) => key.startsWith(SHARD_PREFIX));
      expect(shards.length).toBeGreaterThan(2);
      expect(publisher.encoded[0]).toBe(shards.length);

      const changes: readonly (() => void)[] = [
        () => cluster.api.apply(endpointSlice('solo', ['10.0.1.1', '10.0.1.2'])),
        () => cluster.api.apply(ingress('solo', { service: 'solo', path: '/shop' })),
      ];
      for (const [index, change] of changes.entries()) {
        const from = standIn.requests.length;
        change();
        await expect.poll(() => publisher.tables.length, { timeout: 10_000 }).toBe(index + 2);
        const written = writtenKeys(standIn, from);
        expect(written.filter((key) => key.startsWith(SHARD_PREFIX))).toHaveLength(1);
        expect(written.filter((key) => key.startsWith(MANIFEST_PREFIX))).toHaveLength(1);
        expect(written.slice(-2)).toEqual([HISTORY_KEY, POINTER_KEY]);
        expect(written).toHaveLength(4);
        expect(publisher.encoded.at(-1)).toBe(1);
      }

      // What is in force is what a full compile and publication of the same objects give.
      const inForce = await expectComplete(standIn.values(NAMESPACE));
      expect(inForce.version).not.toBe(first.version);
      const objects = ['IngressClass', 'Service', 'EndpointSlice', 'Ingress'].flatMap((kind) => cluster.api.objects(kind));
      const manifest = JSON.parse(standIn.values(NAMESPACE).get(inForce.manifest) ?? 'null') as { buckets: unknown[] };
      const full = await buildPublication(compile(objects, {}).table, { previousBucketCount: manifest.buckets.length });
      expect(inForce.version).toBe(full.version);
    } finally {
      await cluster.running?.agent.stop();
      cluster.running = undefined;
      await standIn.close();
    }
  }, 60_000);
});
