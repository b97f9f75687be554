import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/compile/api.ts';
import { compile } from '../../src/compile/index.ts';
import { createIncrementalCompiler } from '../../src/compile/incremental/index.ts';
import type { Table } from '../../src/table/schema.ts';
import type { PublishOutcome, Publisher } from '../publish/publisher.ts';
import { systemClock } from '../common/clock.ts';
import { silentLogger } from '../common/log.ts';
import { AgentMetrics } from './metrics.ts';
import { PublishCycle, type CycleSource } from './publish-cycle.ts';

/** Records the tables it was given; one with the content in force changes nothing, as KV publishing does. */
class Recording implements Publisher {
  readonly tables: Table[] = [];
  async publish(table: Table): Promise<PublishOutcome> {
    const changed = JSON.stringify(table) !== JSON.stringify(this.tables.at(-1));
    if (changed) this.tables.push(table);
    return { version: `v${this.tables.length}`, changed, valuesWritten: changed ? 1 : 0 };
  }
}

const ingress = (name: string, host: string): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, namespace: 'shop' },
  spec: { rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] },
});
const service = (labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop', labels }, spec: { ports: [{ port: 80 }] } });

/** A cache that has just listed: every pass hands its objects over whole (the changes path is `test/agent/`'s). */
function source(objects: KubeObject[]): CycleSource {
  return { synced: true, unsynced: [], objects: () => objects, find: () => undefined, takeChanges: () => ({ relist: true }) };
}

function cycle(publisher: Publisher) {
  return new PublishCycle({
    compiler: createIncrementalCompiler({}), publisher, provider: {}, clock: systemClock, log: silentLogger, metrics: new AgentMetrics(),
  });
}

describe('PublishCycle with an incremental compiler', () => {
  it('publishes changes, tells an unchanged table by identity, and republishes for a new leader', async () => {
    const publisher = new Recording();
    const run = cycle(publisher);
    const objects = [service(), ingress('a', 'a.example.com')];
    expect(await run.run(source(objects), { leading: true })).toMatchObject({ kind: 'published', version: 'v1', routes: 1 });
    // A change no route depends on: same table, nothing published.
    objects[0] = service({ touched: 'yes' });
    expect(await run.run(source(objects), { leading: true })).toMatchObject({ kind: 'unchanged', version: 'v1' });
    objects.push(ingress('b', 'b.example.com'));
    expect(await run.run(source(objects), { leading: true })).toMatchObject({ kind: 'published', version: 'v2', routes: 2 });
    expect(publisher.tables.at(-1)).toEqual(compile(objects, {}).table);
    objects.pop();
    expect(await run.run(source(objects), { leading: true })).toMatchObject({ kind: 'published', version: 'v3', routes: 1 });
    // A new leader cannot know what is in force: it publishes again (here the content is the same).
    run.forgetPublishedVersion();
    expect(await run.run(source(objects), { leading: true })).toMatchObject({ kind: 'unchanged', version: 'v3' });
    expect(publisher.tables).toHaveLength(3);
  });

  it('holds a mass removal back and publishes it once allowed', async () => {
    const publisher = new Recording();
    const run = cycle(publisher);
    const objects = [service(), ingress('a', 'a.example.com'), ingress('b', 'b.example.com'), ingress('c', 'c.example.com')];
    await run.run(source(objects), { leading: true });
    expect(await run.run(source(objects.slice(0, 2)), { leading: true })).toMatchObject({ kind: 'held', routes: 1 });
    // Back to what is in force: new router objects, same content; the publisher writes nothing.
    expect(await run.run(source(objects), { leading: true })).toMatchObject({ kind: 'unchanged' });
    expect(publisher.tables).toHaveLength(1);
  });
});

describe('the summary line', () => {
  it('logs Ingresses served, skipped by reason and diagnostics by severity, again only when they change', async () => {
    const lines: { event: string; fields: Record<string, unknown> }[] = [];
    const record = (event: string, fields: Record<string, unknown> = {}) => void lines.push({ event, fields });
    const log = { ...silentLogger, info: record };
    const other = { ...ingress('other', 'other.example.com'), metadata: { name: 'other', namespace: 'shop', annotations: { 'kubernetes.io/ingress.class': 'nginx' } } };
    // With the compiler's selection, and without it (the summary then selects from the objects).
    const withoutSelection = (inner = createIncrementalCompiler({})) => ({ update: inner.update.bind(inner), sync: inner.sync.bind(inner) });
    for (const compiler of [createIncrementalCompiler({}), withoutSelection()]) {
      lines.length = 0;
      const run = new PublishCycle({ compiler, publisher: new Recording(), provider: {}, clock: systemClock, log, metrics: new AgentMetrics() });
      const objects = [service(), ingress('a', 'a.example.com'), other];
      await run.run(source(objects), { leading: true });
      await run.run(source(objects), { leading: true });
      objects.push(ingress('b', 'b.example.com'));
      await run.run(source(objects), { leading: true });
      const summaries = lines.filter((line) => line.event === 'summary').map((line) => line.fields['summary']);
      expect(summaries).toEqual([
        '2 Ingresses: 1 served, 1 skipped (1 of another class); 0 errors, 1 warning',
        '3 Ingresses: 2 served, 1 skipped (1 of another class); 0 errors, 2 warnings',
      ]);
    }
  });
});
