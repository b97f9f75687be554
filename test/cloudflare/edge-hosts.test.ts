/**
 * Edge hosts against the Cloudflare API stand-in, through the real client:
 * the reconciler reads the account, plans and applies, and the stand-in's
 * state is what a user would see in the dashboard afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Table } from '../../src/table/schema.ts';
import type { ObjectLookup } from '../../sync/common/kube/object-lookup.ts';
import type { WatchedObject } from '../../sync/common/kube/watch-event.ts';
import { CloudflareEdgeApi } from '../../sync/edge-hosts/cloudflare-edge-api.ts';
import type { EdgeHostsSettings } from '../../sync/edge-hosts/model.ts';
import { EdgeHostsReconciler, type EdgeHostsOptions } from '../../sync/edge-hosts/reconciler.ts';
import { jsonLogger } from '../../sync/common/log.ts';
import type { CloudflareApiStandIn } from './api-server.ts';
import { connect, InstantClock, startStandIn, tableWith } from './helpers.ts';

let cloudflare: CloudflareApiStandIn;
let clock: InstantClock;

beforeEach(async () => {
  cloudflare = await startStandIn();
  clock = new InstantClock();
  cloudflare.edge.addZone('example.com');
  cloudflare.edge.addZone('eu.example.com');
});
afterEach(() => cloudflare.close());

/** Ingresses by `namespace/name`, for the adopt annotation. */
function lookup(annotated: Record<string, Record<string, string>> = {}): ObjectLookup {
  return {
    find: (kind, namespace, name) => {
      const annotations = annotated[`${namespace}/${name}`];
      return annotations ? ({ kind, metadata: { name, namespace, annotations } } as unknown as WatchedObject) : undefined;
    },
  };
}

function reconciler(mode: EdgeHostsSettings['mode'], extra: Partial<EdgeHostsOptions> & { ownerId?: string } = {}): EdgeHostsReconciler {
  return new EdgeHostsReconciler({
    api: new CloudflareEdgeApi(connect(cloudflare, clock)),
    settings: { mode, workerName: 'W', ownerId: extra.ownerId ?? 'O', tls: 'report' },
    clock,
    log: jsonLogger(() => {}),
    maxRemovalShare: 0.5,
    allowMassRemoval: false,
    ...extra,
  });
}

const edge = () => cloudflare.edge;
const writes = () => cloudflare.requests.filter((request) => request.method !== 'GET').length;
const hostsOf = (...hosts: string[]): Table => tableWith(hosts);

describe('edge hosts against the Cloudflare API stand-in', () => {
  it('custom-domains: attaches exact hosts in the right (nested) zone, wildcards get a route and a proxied AAAA 100::', async () => {
    const outcome = await reconciler('custom-domains').reconcile(hostsOf('shop.example.com', 'shop.eu.example.com', '*.example.com'), lookup());
    expect(outcome.failed).toBe(false);
    expect(edge().domainOf('shop.example.com')).toMatchObject({ service: 'W', zone_name: 'example.com' });
    expect(edge().domainOf('shop.eu.example.com')).toMatchObject({ service: 'W', zone_name: 'eu.example.com' });
    expect(edge().routeFor('*.example.com/*')).toMatchObject({ script: 'W', zone_id: 'zone-example-com' });
    expect(edge().recordsNamed('*.example.com')).toMatchObject([{ type: 'AAAA', content: '100::', proxied: true }]);
    expect(edge().recordsNamed('_edgress.shop.example.com')[0]?.content).toContain('owner=O');
    expect(outcome.reports.map((report) => [report.host, report.status])).toEqual([
      ['*.example.com', 'served'],
      ['shop.eu.example.com', 'served'],
      ['shop.example.com', 'served'],
    ]);
    // Universal SSL covers *.example.com itself.
    expect(outcome.reports[0]?.tls?.covered).toBe(true);
  });

  it('is idempotent, lists once per cycle and then reuses the listing until something changes or the resync is due', async () => {
    const edgeHosts = reconciler('routes');
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup()); // reads back what it wrote
    const before = cloudflare.requests.length;
    const outcome = await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    expect(cloudflare.requests.length).toBe(before);
    expect(outcome.reports[0]).toMatchObject({ status: 'served', via: 'route' });
    expect(edge().recordsNamed('a.example.com')).toHaveLength(1);
    expect([...edge().routes.values()]).toHaveLength(1);
  });

  it('repairs drift at the resync: a record deleted by hand comes back, one changed by hand becomes a conflict', async () => {
    const edgeHosts = reconciler('routes', { resyncMs: 60_000 });
    await edgeHosts.reconcile(hostsOf('a.example.com', 'b.example.com'), lookup());
    edge().records.delete(edge().recordsNamed('a.example.com')[0]!.id);
    const b = edge().recordsNamed('b.example.com')[0]!;
    edge().records.set(b.id, { ...b, content: '2001:db8::7' });
    clock.advance(60_000);
    const outcome = await edgeHosts.reconcile(hostsOf('a.example.com', 'b.example.com'), lookup());
    expect(edge().recordsNamed('a.example.com')).toMatchObject([{ type: 'AAAA', content: '100::' }]);
    expect(edge().recordsNamed('b.example.com')).toMatchObject([{ content: '2001:db8::7' }]);
    expect(outcome.reports.find((report) => report.host === 'b.example.com')).toMatchObject({ status: 'conflict' });
    expect(outcome.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['EdgeHostConflict']);
  });

  it('never overrides: a foreign record or another Worker stays, with a Warning naming the host; adoption hands it over', async () => {
    edge().addRecord('example.com', { name: 'www.example.com', type: 'CNAME', content: 'lb.example.net', proxied: true });
    edge().addDomain('api.example.com', 'other-worker');
    const before = writes();
    const outcome = await reconciler('custom-domains').reconcile(hostsOf('www.example.com', 'api.example.com'), lookup());
    expect(writes()).toBe(before);
    expect(edge().recordsNamed('www.example.com')).toMatchObject([{ type: 'CNAME', content: 'lb.example.net' }]);
    expect(edge().domainOf('api.example.com')?.service).toBe('other-worker');
    expect(outcome.diagnostics).toEqual([
      expect.objectContaining({ code: 'EdgeHostConflict', object: { kind: 'Ingress', namespace: 'default', name: 'site' }, message: expect.stringContaining('api.example.com is a Custom Domain of Worker "other-worker"') }),
      expect.objectContaining({ code: 'EdgeHostConflict', message: expect.stringContaining('www.example.com has a CNAME record (lb.example.net) edgress did not write') }),
    ]);
    const adopted = await reconciler('custom-domains').reconcile(hostsOf('www.example.com', 'api.example.com'), lookup({ 'default/site': { 'edgress.dev/adopt-host': 'true' } }));
    expect(adopted.failed).toBe(false);
    expect(edge().domainOf('api.example.com')?.service).toBe('W');
    expect(edge().domainOf('www.example.com')?.service).toBe('W');
    expect(edge().recordsNamed('www.example.com')).toEqual([]);
  });

  it('turns a 409 from Cloudflare (a record added since the listing) into a conflict, without retrying it', async () => {
    const edgeHosts = reconciler('custom-domains');
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup()); // reads back; the next cycle plans on this listing
    edge().addRecord('example.com', { name: 'b.example.com', type: 'A', content: '192.0.2.9' });
    const outcome = await edgeHosts.reconcile(hostsOf('a.example.com', 'b.example.com'), lookup());
    const attempts = cloudflare.requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/workers/domains'));
    expect(attempts.map((request) => request.status)).toEqual([200, 409]);
    expect(outcome.reports.find((report) => report.host === 'b.example.com')).toMatchObject({ status: 'conflict', detail: expect.stringContaining('externally managed DNS records') });
    // Refused means untouched: the claim written just before the refusal goes again.
    expect(edge().recordsNamed('_edgress.b.example.com')).toEqual([]);
    expect(edge().recordsNamed('b.example.com')).toMatchObject([{ type: 'A', content: '192.0.2.9' }]);
  });

  it('routes: a route of another Worker made since the listing (409) is a conflict, asked once, and the host is left as found', async () => {
    const edgeHosts = reconciler('routes');
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup()); // reads back; the next cycle plans on this listing
    edge().addRoute('example.com', 'c.example.com/*', 'other-worker');
    const outcome = await edgeHosts.reconcile(hostsOf('a.example.com', 'c.example.com'), lookup());
    const attempts = cloudflare.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/workers/routes'));
    expect(attempts.map((request) => request.status)).toEqual([200, 409]);
    expect(outcome.reports.find((report) => report.host === 'c.example.com')).toMatchObject({ status: 'conflict' });
    expect(edge().routeFor('c.example.com/*')?.script).toBe('other-worker');
    expect(edge().recordsNamed('c.example.com')).toEqual([]);
    expect(edge().recordsNamed('_edgress.c.example.com')).toEqual([]);
  });

  for (const type of ['AAAA', 'Worker'] as const) {
    it(`a Custom Domain's own record (listed as ${type}) is no conflict and never deleted through DNS: served, switched to a route and back, detached`, async () => {
      edge().domainRecordType = type;
      const edgeHosts = reconciler('custom-domains', { resyncMs: 0 });
      await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
      const before = writes();
      const again = await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
      expect(writes()).toBe(before);
      expect(again.reports[0]).toMatchObject({ status: 'served', via: 'custom-domain' });
      const routed = await reconciler('routes', { resyncMs: 0 }).reconcile(hostsOf('a.example.com'), lookup());
      expect(routed.failed).toBe(false);
      expect(edge().domainOf('a.example.com')).toBeUndefined();
      expect(edge().routeFor('a.example.com/*')?.script).toBe('W');
      const back = await reconciler('custom-domains', { resyncMs: 0 }).reconcile(hostsOf('a.example.com'), lookup());
      expect(back.failed).toBe(false);
      expect(edge().domainOf('a.example.com')?.service).toBe('W');
      expect(edge().recordsNamed('a.example.com')).toEqual([]);
      const gone = await reconciler('custom-domains', { resyncMs: 0 }).reconcile(hostsOf(), lookup());
      expect(gone.failed).toBe(false);
      expect(edge().domains.size).toBe(0);
      expect(edge().records.size).toBe(0);
      expect(cloudflare.requests.filter((request) => request.status !== 200)).toEqual([]);
    });
  }

  it('a long --owner-id still fits the Free plan\'s 100-character record comment', async () => {
    const owner = `o${'x'.repeat(62)}`;
    const outcome = await reconciler('routes', { ownerId: owner }).reconcile(hostsOf('a.example.com', '*.example.com'), lookup());
    expect(outcome.failed).toBe(false);
    expect(edge().recordsNamed('a.example.com')).toMatchObject([{ type: 'AAAA', content: '100::', proxied: true }]);
    expect(edge().recordsNamed('_edgress.a.example.com')[0]).toMatchObject({ proxied: false, content: expect.stringContaining(`owner=${owner}`) });
    expect(cloudflare.requests.filter((request) => request.status !== 200)).toEqual([]);
  });

  it.each(['full', 'counts', 'unpaged'] as const)('follows every listing to its last page: zones, DNS records and certificate packs (result_info: %s)', async (resultInfo) => {
    edge().maxPerPage = 5;
    edge().resultInfo = resultInfo;
    for (let i = 0; i < 6; i++) edge().addZone(`zone${i}.example.net`);
    edge().addZone('example.org');
    for (let i = 0; i < 12; i++) edge().addRecord('example.org', { name: `mail${i}.example.org`, type: 'MX', content: `mx${i}.example.net` });
    edge().addRecord('example.org', { name: 'www.example.org', type: 'CNAME', content: 'lb.example.net', proxied: true });
    for (let i = 0; i < 5; i++) edge().addPack('example.org', [`x${i}.example.org`]);
    edge().addPack('example.org', ['example.org', 'a.b.example.org']);
    const outcome = await reconciler('routes').reconcile(hostsOf('www.example.org', 'a.b.example.org'), lookup());
    expect(outcome.reports.find((report) => report.host === 'www.example.org')).toMatchObject({ status: 'conflict', detail: expect.stringContaining('CNAME record (lb.example.net)') });
    expect(outcome.reports.find((report) => report.host === 'a.b.example.org')).toMatchObject({ status: 'served', zone: 'example.org', tls: { covered: true } });
    expect(cloudflare.requests.filter((request) => request.status !== 200)).toEqual([]);
  });

  it('a host in no zone of the account gets no Cloudflare call, only a Warning', async () => {
    const outcome = await reconciler('routes').reconcile(hostsOf('shop.example.org'), lookup());
    expect(writes()).toBe(0);
    expect(outcome.diagnostics).toEqual([expect.objectContaining({ code: 'EdgeHostNoZone', message: expect.stringContaining('shop.example.org is in no zone') })]);
  });

  it('reports a host that no certificate covers, naming the fix', async () => {
    const outcome = await reconciler('routes').reconcile(hostsOf('a.b.example.com', '*.b.example.com'), lookup());
    expect(outcome.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['EdgeTLSNotCovered', 'EdgeTLSNotCovered']);
    expect(outcome.diagnostics[0]?.message).toContain('Advanced Certificate Manager');
    edge().addPack('example.com', ['example.com', '*.b.example.com']);
    clock.advance(10 * 60_000);
    const covered = await reconciler('routes').reconcile(hostsOf('a.b.example.com'), lookup());
    expect(covered.reports[0]?.tls).toMatchObject({ covered: true, detail: expect.stringContaining('advanced') });
  });

  it('detaches hosts no longer served, behind the mass-removal guard', async () => {
    const edgeHosts = reconciler('custom-domains');
    await edgeHosts.reconcile(hostsOf('a.example.com', 'b.example.com', 'c.example.com', '*.example.com'), lookup());
    await edgeHosts.reconcile(hostsOf('a.example.com', 'b.example.com', 'c.example.com'), lookup());
    expect(edge().routeFor('*.example.com/*')).toBeUndefined();
    expect(edge().recordsNamed('*.example.com')).toEqual([]);
    expect(edge().recordsNamed('_edgress._wildcard.example.com')).toEqual([]);
    const held = await edgeHosts.reconcile(hostsOf(), lookup());
    expect(edge().domains.size).toBe(3);
    expect(held.reports.map((report) => report.status)).toEqual(['detach-held', 'detach-held', 'detach-held']);
    await reconciler('custom-domains', { allowMassRemoval: true }).reconcile(hostsOf(), lookup());
    expect(edge().domains.size).toBe(0);
    expect(edge().records.size).toBe(0);
  });

  it('two installations sharing a zone never touch each other\'s hosts', async () => {
    const prod = reconciler('routes', { ownerId: 'prod', allowMassRemoval: true });
    const staging = reconciler('routes', { ownerId: 'staging', allowMassRemoval: true });
    await prod.reconcile(hostsOf('shop.example.com'), lookup());
    await staging.reconcile(hostsOf('staging.example.com'), lookup());
    const taken = await staging.reconcile(hostsOf('staging.example.com', 'shop.example.com'), lookup());
    expect(taken.reports.find((report) => report.host === 'shop.example.com')?.detail).toContain('claimed by edgress installation "prod"');
    await staging.reconcile(hostsOf(), lookup());
    expect(edge().recordsNamed('shop.example.com')).toHaveLength(1);
    expect(edge().routeFor('shop.example.com/*')).toBeDefined();
    expect(edge().recordsNamed('staging.example.com')).toEqual([]);
  });

  it('dry-run prints the plan and writes nothing', async () => {
    const lines: string[] = [];
    edge().addRecord('example.com', { name: 'www.example.com', type: 'A', content: '192.0.2.1' });
    await reconciler('custom-domains', { dryRun: { print: (line) => lines.push(line) } }).reconcile(hostsOf('a.example.com', '*.example.com', 'www.example.com'), lookup());
    expect(writes()).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        'dry-run: dns create TXT _edgress.a.example.com "heritage=edgress,owner=O,worker=W" (zone example.com)',
        'dry-run: domain attach a.example.com to Worker W (zone example.com)',
        'dry-run: dns create AAAA *.example.com 100:: proxied (zone example.com)',
        'dry-run: route create *.example.com/* to Worker W (zone example.com)',
        expect.stringMatching(/^dry-run: conflict www\.example\.com: .*A record \(192\.0\.2\.1\)/),
      ]),
    );
  });

  it('API failing midway: nothing half-owned, and the next cycle finishes the job', async () => {
    const edgeHosts = reconciler('routes');
    cloudflare.fail({ path: /\/dns_records\/batch$/, status: 500 });
    const failed = await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    expect(failed.failed).toBe(true);
    expect(edge().records.size).toBe(0);
    expect(edge().routes.size).toBe(0);
    cloudflare.clearFailures();
    // Left alone until the retry is due.
    const requests = cloudflare.requests.length;
    await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    expect(cloudflare.requests.length).toBe(requests);
    clock.advance(10_000);
    cloudflare.fail({ method: 'POST', path: /\/workers\/routes$/, status: 500 });
    const routeFailed = await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    expect(routeFailed.failed).toBe(true);
    // The claim and its record came together, in one batch; the route is missing and the host claimed.
    expect(edge().recordsNamed('_edgress.a.example.com')).toHaveLength(1);
    expect(edge().recordsNamed('a.example.com')).toHaveLength(1);
    cloudflare.clearFailures();
    clock.advance(60_000);
    const repaired = await edgeHosts.reconcile(hostsOf('a.example.com'), lookup());
    expect(repaired.failed).toBe(false);
    expect(edge().routeFor('a.example.com/*')?.script).toBe('W');
    expect(edge().recordsNamed('a.example.com')).toHaveLength(1);
  });
});
