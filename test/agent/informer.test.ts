/**
 * The informer against the test API server, through client-node: list then
 * watch, resume after dropped watches and restarts, relist on 410, bookmarks,
 * failed lists keep the cache (stale, never empty) and are retried; the
 * cluster cache hands the compiler the watch's changes, or a relist.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Backoff } from '../../sync/common/backoff.ts';
import { KubeClient } from '../../sync/common/kube/client.ts';
import { INGRESSES, SERVICES } from '../../sync/common/kube/resources.ts';
import { ClusterCache } from '../../sync/agent/informer/cluster-cache.ts';
import { ListWatchInformer, type InformerEvent } from '../../sync/agent/informer/informer.ts';
import { TestApiServer } from '../kube/api-server.ts';
import { ingress, service } from './objects.ts';

let api: TestApiServer;
let informer: ListWatchInformer | undefined;

beforeEach(async () => {
  api = await TestApiServer.start();
});
afterEach(async () => {
  await informer?.stop();
  informer = undefined;
  await api.close();
});

function client(): KubeClient {
  const config = new KubeConfig();
  config.loadFromFile(api.kubeconfig);
  return new KubeClient(config, { requestTimeoutMs: 500, watchIdleTimeoutMs: 2_000 });
}

function start(options: Partial<ConstructorParameters<typeof ListWatchInformer>[0]> = {}): { informer: ListWatchInformer; events: InformerEvent[] } {
  const events: InformerEvent[] = [];
  informer = new ListWatchInformer({ resource: SERVICES, client: client(), backoff: new Backoff({ initialMs: 20, maxMs: 100 }), ...options });
  informer.on((event) => events.push(event));
  informer.start();
  return { informer, events };
}

const names = (i: ListWatchInformer) => i.list().map((object) => object.metadata.name).sort();

describe('ListWatchInformer', () => {
  it('lists, stamps kind and apiVersion on list items, then follows the watch', async () => {
    api.apply(service('a'));
    const { informer } = start();
    await expect.poll(() => informer.state).toBe('synced');
    expect(informer.get('a', 'default')).toMatchObject({ kind: 'Service', apiVersion: 'v1' });
    await api.waitForWatches('Service');
    api.apply(service('b'));
    api.remove('Service', 'default', 'a');
    await expect.poll(() => names(informer)).toEqual(['b']);
    const watch = api.requests.find((request) => request.verb === 'watch');
    expect(watch?.query.get('allowWatchBookmarks')).toBe('true');
  });

  it('lists page by page (limit and continue)', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) api.apply(service(name));
    const { informer } = start({ pageSize: 2 });
    await expect.poll(() => names(informer)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const pages = api.requests.filter((request) => request.verb === 'list');
    expect(pages.map((request) => [request.query.get('limit'), Boolean(request.query.get('continue'))])).toEqual([['2', false], ['2', true], ['2', true]]);
  });

  it('applies the label selector to lists and watches', async () => {
    api.apply(ingress('a', { labels: { team: 'web' } }));
    api.apply(ingress('b', { labels: { team: 'ops' } }));
    const { informer } = start({ resource: INGRESSES, labelSelector: 'team=web' });
    await expect.poll(() => names(informer)).toEqual(['a']);
    await api.waitForWatches('Ingress');
    api.apply(ingress('c', { labels: { team: 'web' } }));
    api.apply(ingress('a', { labels: { team: 'ops' } }));
    await expect.poll(() => names(informer)).toEqual(['c']);
  });

  it('resumes a dropped watch from the last resourceVersion (bookmarks included) without listing again', async () => {
    const { informer, events } = start();
    await api.waitForWatches('Service');
    api.apply(service('a'));
    await expect.poll(() => names(informer)).toEqual(['a']);
    // A change of another kind moves the revision on; only a bookmark tells the Service watch.
    api.apply(ingress('elsewhere'));
    api.bookmark();
    const bookmarked = String(api.store.revision);
    await new Promise((resolve) => setTimeout(resolve, 50));
    api.dropWatches();
    await api.waitForWatches('Service');
    const resumed = api.requests.filter((request) => request.verb === 'watch').at(-1);
    expect(resumed?.query.get('resourceVersion')).toBe(bookmarked);
    expect(api.requests.filter((request) => request.verb === 'list')).toHaveLength(1);
    expect(events).toContainEqual({ type: 'restart', reason: 'closed' });
  });

  it('lists again after 410 Gone and reports what changed meanwhile', async () => {
    api.apply(service('a'));
    const { informer, events } = start();
    await api.waitForWatches('Service');
    await api.stop();
    api.remove('Service', 'default', 'a');
    api.compact();
    await api.resume();
    await expect.poll(() => names(informer)).toEqual([]);
    expect(events).toContainEqual({ type: 'restart', reason: 'expired' });
    expect(api.requests.filter((request) => request.verb === 'list').length).toBe(2);
  });

  it('keeps its content when a relist fails (stale), and retries until it succeeds', async () => {
    api.apply(service('a'));
    const { informer, events } = start();
    await api.waitForWatches('Service');
    const forbid = api.fail({ kind: 'Service', verb: 'list', status: 403 });
    await api.stop();
    api.apply(service('b'));
    api.compact();
    await api.resume();
    await expect.poll(() => informer.state).toBe('stale');
    expect(names(informer)).toEqual(['a']);
    expect(events.some((event) => event.type === 'error' && event.phase === 'list')).toBe(true);
    forbid();
    await expect.poll(() => informer.state).toBe('synced');
    expect(names(informer)).toEqual(['a', 'b']);
  });

  it('survives the API server going down and coming back', async () => {
    const { informer } = start();
    await api.waitForWatches('Service');
    await api.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await api.resume();
    await api.waitForWatches('Service');
    api.apply(service('after'));
    await expect.poll(() => names(informer)).toEqual(['after']);
  });

  it('retries a list that times out', async () => {
    api.fail({ kind: 'Service', verb: 'list', hang: true, times: 1 });
    const { informer, events } = start();
    await expect.poll(() => informer.state, { timeout: 5_000 }).toBe('synced');
    expect(events.find((event) => event.type === 'error')).toMatchObject({ phase: 'list' });
  });
});

describe('ClusterCache.takeChanges', () => {
  it('says relist after a list, then hands over the watch changes in order, then relist again after 410 Gone', async () => {
    api.apply(service('a'));
    const cache = new ClusterCache([new ListWatchInformer({ resource: SERVICES, client: client(), backoff: new Backoff({ initialMs: 20, maxMs: 100 }) })]);
    informer = cache.informers[0];
    cache.start();
    await cache.waitForSync();
    expect(cache.takeChanges()).toEqual({ relist: true });
    expect(cache.takeChanges()).toEqual({ relist: false, changes: [] });
    await api.waitForWatches('Service');
    api.apply(service('b'));
    api.remove('Service', 'default', 'a');
    await expect.poll(() => names(cache.informers[0]!)).toEqual(['b']);
    const taken = cache.takeChanges();
    expect(taken.relist ? [] : taken.changes.map((change) => `${change.type} ${change.object.metadata.name}`)).toEqual(['upsert b', 'delete a']);
    expect(cache.takeChanges()).toEqual({ relist: false, changes: [] });
    await api.stop();
    api.apply(service('c'));
    api.compact();
    await api.resume();
    await expect.poll(() => names(cache.informers[0]!)).toEqual(['b', 'c']);
    expect(cache.takeChanges()).toEqual({ relist: true });
  });
});
