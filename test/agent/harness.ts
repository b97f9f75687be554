/**
 * An agent wired to the test API server through the real client-node, with
 * the real compiler, a recording publisher and short, named timings.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';
import type { Table } from '../../src/table/schema.ts';
import { SyncAgent, type AgentSettings } from '../../sync/agent/agent.ts';
import type { Clock } from '../../sync/common/clock.ts';
import { KubeClient } from '../../sync/common/kube/client.ts';
import { kubeWriters } from '../../sync/common/kube/writers.ts';
import { jsonLogger } from '../../sync/common/log.ts';
import type { PublishOutcome, Publisher } from '../../sync/publish/publisher.ts';
import { afterEach, beforeEach, expect } from 'vitest';
import { TestApiServer, type TestApiServerOptions } from '../kube/api-server.ts';

/** Coalescing and retry timings small enough for tests, large enough to batch. */
export const TEST_TIMINGS = { quietMs: 30, maxDelayMs: 300, minPublishIntervalMs: 0 } as const;
export const TEST_BACKOFF = { initialMs: 20, maxMs: 200 } as const;

/** Records every table; can fail or hold publishes on demand. */
export class RecordingPublisher implements Publisher {
  readonly tables: Table[] = [];
  failing = false;
  #gate: Promise<void> | undefined;
  #entered: (() => void) | undefined;

  async publish(table: Table): Promise<PublishOutcome> {
    this.#entered?.();
    await this.#gate;
    if (this.failing) throw new Error('injected publish failure');
    this.tables.push(table);
    return { version: String(this.tables.length), changed: true, valuesWritten: 1 };
  }

  get last(): Table | undefined {
    return this.tables.at(-1);
  }

  /** Holds the next publishes until `release()`; resolves when one has started. */
  hold(): { started: Promise<void>; release: () => void } {
    let release = () => {};
    this.#gate = new Promise<void>((resolve) => (release = resolve));
    const started = new Promise<void>((resolve) => (this.#entered = resolve));
    return { started, release: () => ((this.#gate = undefined), release()) };
  }
}

export interface TestAgent {
  readonly agent: SyncAgent;
  readonly publisher: RecordingPublisher;
  readonly logs: Record<string, unknown>[];
}

export function makeAgent(api: TestApiServer, settings: Partial<AgentSettings> = {}, publisher = new RecordingPublisher(), kubeconfig = api.kubeconfig, clock?: Clock): TestAgent {
  const config = new KubeConfig();
  config.loadFromFile(kubeconfig);
  const logs: Record<string, unknown>[] = [];
  const agent = new SyncAgent(
    { provider: {}, ...TEST_TIMINGS, ...settings },
    {
      client: new KubeClient(config, { requestTimeoutMs: 1_000, watchIdleTimeoutMs: 5_000 }),
      writers: kubeWriters(config),
      publisher,
      compiler: createIncrementalCompiler,
      clock,
      log: jsonLogger((line) => logs.push(JSON.parse(line) as Record<string, unknown>)),
      backoff: TEST_BACKOFF,
    },
  );
  return { agent, publisher, logs };
}

/** Hosts of a table's routers, sorted. */
export function hosts(table: Table | undefined): string[] {
  return [...new Set((table?.routers ?? []).map((router) => router.host))].sort();
}

/** `host → server addresses` of a table. */
export function servers(table: Table | undefined): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const router of table?.routers ?? []) {
    const service = table?.services[router.service];
    result[router.host] = service?.kind === 'servers' ? service.servers.map((server) => server.address).sort() : [];
  }
  return result;
}

/** A seeded test API server per test, and the agent under test stopped after it. */
export interface TestCluster {
  readonly api: TestApiServer;
  running: TestAgent | undefined;
  /** Starts an agent; unless told otherwise, resolves after its first publish. */
  started(settings?: Partial<AgentSettings>, options?: { waitForPublish?: boolean }): Promise<TestAgent>;
  /** Replaces the API server by one with other options, seeded the same way. */
  replaceApi(options: TestApiServerOptions): Promise<TestApiServer>;
}

export function testCluster(seed: (api: TestApiServer) => void = () => {}): TestCluster {
  let api: TestApiServer | undefined;
  const cluster: TestCluster = {
    get api() {
      if (!api) throw new Error('the test API server starts in beforeEach');
      return api;
    },
    running: undefined,
    async started(settings = {}, options = {}) {
      const running = makeAgent(cluster.api, settings);
      cluster.running = running;
      running.agent.start();
      if (options.waitForPublish !== false) await expect.poll(() => running.publisher.tables.length).toBeGreaterThan(0);
      return running;
    },
    async replaceApi(options) {
      await cluster.running?.agent.stop();
      cluster.running = undefined;
      await api?.close();
      api = await TestApiServer.start(options);
      seed(api);
      return api;
    },
  };
  beforeEach(async () => {
    api = await TestApiServer.start();
    seed(api);
  });
  afterEach(async () => {
    await cluster.running?.agent.stop();
    cluster.running = undefined;
    await api?.close();
  });
  return cluster;
}
