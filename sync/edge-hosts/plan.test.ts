import { describe, expect, it } from 'vitest';
import type { DesiredHost, DnsRecord, EdgeHostsSettings, EdgeState } from './model.ts';
import { ownerComment, registryContent } from './ownership.ts';
import { planEdgeHosts, type PlanOptions } from './plan.ts';
import { zoneOf } from './zones.ts';

const ZONES = [
  { id: 'z1', name: 'example.com' },
  { id: 'z2', name: 'eu.example.com' },
  { id: 'z3', name: 'myexample.com' },
];
const settings = (mode: EdgeHostsSettings['mode'], ownerId = 'prod'): EdgeHostsSettings => ({ mode, workerName: 'edgress', ownerId, tls: 'report' });
const options = (mode: EdgeHostsSettings['mode'], extra: Partial<PlanOptions> = {}): PlanOptions => ({ settings: settings(mode), maxRemovalShare: 0.5, allowMassRemoval: false, ...extra });
const want = (host: string, adopt = false): DesiredHost => ({ host, ingresses: ['shop/web'], adopt });
const state = (extra: Partial<EdgeState> = {}): EdgeState => ({ zones: ZONES, records: [], routes: [], domains: [], packs: [{ zoneId: 'z1', type: 'universal', hosts: ['example.com', '*.example.com'], status: 'active' }], certificates: [], ...extra });
let ids = 0;
const record = (name: string, type: string, content: string, extra: Partial<DnsRecord> = {}): DnsRecord => ({ id: `r${++ids}`, zoneId: zoneOf(name.replace(/^_edgress\.(_wildcard\.)?/, ''), ZONES)?.id ?? 'z1', name, type, content, proxied: type !== 'TXT', comment: '', ...extra });
const claim = (host: string, owner = 'prod') => record(host.startsWith('*.') ? `_edgress._wildcard.${host.slice(2)}` : `_edgress.${host}`, 'TXT', registryContent(owner, 'edgress'), { comment: ownerComment(owner), proxied: false });
const ours = (host: string, owner = 'prod') => record(host, 'AAAA', '100::', { comment: ownerComment(owner) });

describe('zoneOf', () => {
  it('picks the longest label-wise suffix, never a mere string suffix', () => {
    expect(zoneOf('shop.eu.example.com', ZONES)?.name).toBe('eu.example.com');
    expect(zoneOf('shop.example.com', ZONES)?.name).toBe('example.com');
    expect(zoneOf('shop.myexample.com', ZONES)?.name).toBe('myexample.com');
    expect(zoneOf('example.org', ZONES)).toBeUndefined();
    expect(zoneOf('*.eu.example.com', ZONES)?.name).toBe('eu.example.com');
  });
});

describe('planEdgeHosts', () => {
  it('custom-domains: claims and attaches an exact host; a wildcard gets a route and a proxied AAAA 100::', () => {
    const plan = planEdgeHosts([want('shop.eu.example.com'), want('*.example.com')], state(), options('custom-domains'));
    const [domain, wildcard] = plan.attach;
    expect(domain).toMatchObject({ host: 'shop.eu.example.com', zone: { name: 'eu.example.com' }, domainAttach: { override: false } });
    expect(domain?.dnsPosts.map((post) => [post.type, post.name])).toEqual([['TXT', '_edgress.shop.eu.example.com']]);
    expect(wildcard).toMatchObject({ host: '*.example.com', routeCreate: '*.example.com/*' });
    expect(wildcard?.dnsPosts.map((post) => [post.type, post.name, post.content, post.proxied])).toEqual([
      ['TXT', '_edgress._wildcard.example.com', registryContent('prod', 'edgress'), false],
      ['AAAA', '*.example.com', '100::', true],
    ]);
  });

  it('reports a host in no zone and plans nothing for it', () => {
    const plan = planEdgeHosts([want('shop.example.org')], state(), options('routes'));
    expect(plan.attach).toEqual([]);
    expect(plan.reports[0]).toMatchObject({ host: 'shop.example.org', status: 'no-zone' });
  });

  it('leaves a host with a foreign record, another Worker, or another installation untouched', () => {
    const existing = state({
      records: [record('a.example.com', 'A', '192.0.2.1'), claim('c.example.com', 'staging'), ours('c.example.com', 'staging')],
      domains: [{ id: 'd1', zoneId: 'z1', hostname: 'b.example.com', service: 'other-worker' }],
      routes: [{ id: 'rt', zoneId: 'z1', pattern: 'd.example.com/*', script: 'legacy' }],
    });
    for (const mode of ['custom-domains', 'routes'] as const) {
      const plan = planEdgeHosts(['a', 'b', 'c', 'd'].map((name) => want(`${name}.example.com`)), existing, options(mode));
      expect(plan.attach).toEqual([]);
      expect(plan.reports.map((report) => report.status)).toEqual(['conflict', 'conflict', 'conflict', 'conflict']);
      expect(plan.reports[0]?.detail).toContain('A record (192.0.2.1) edgress did not write');
      expect(plan.reports[1]?.detail).toContain('Custom Domain of Worker "other-worker"');
      expect(plan.reports[2]?.detail).toContain('claimed by edgress installation "staging"');
      expect(plan.reports[3]?.detail).toContain('route d.example.com/* to Worker "legacy"');
      expect(plan.detach).toEqual([]);
    }
  });

  it('a broader route of another Worker that would catch the host is a conflict too', () => {
    const routes = [{ id: 'w', zoneId: 'z1', pattern: '*.example.com/*', script: 'legacy' }];
    for (const mode of ['custom-domains', 'routes'] as const) {
      const plan = planEdgeHosts([want('a.example.com')], state({ routes }), options(mode));
      expect(plan.reports[0]).toMatchObject({ status: 'conflict', detail: expect.stringContaining('route *.example.com/* to Worker "legacy"') });
    }
    expect(planEdgeHosts([want('a.example.com')], state({ routes: [{ id: 'w', zoneId: 'z1', pattern: '*.example.com/*', script: 'edgress' }] }), options('routes')).attach).toHaveLength(1);
  });

  it('adopts a host when its Ingress says so: the foreign record goes in the same batch as our claim', () => {
    const foreign = record('a.example.com', 'CNAME', 'lb.example.net');
    const plan = planEdgeHosts([want('a.example.com', true)], state({ records: [foreign], domains: [{ id: 'd', zoneId: 'z1', hostname: 'a.example.com', service: 'old' }] }), options('custom-domains'));
    expect(plan.attach[0]).toMatchObject({ dnsDeletes: [foreign], domainAttach: { override: true } });
  });

  it('routes: repairs drift (record deleted by hand) but never overwrites one changed by hand', () => {
    const deleted = planEdgeHosts([want('a.example.com')], state({ records: [claim('a.example.com')], routes: [{ id: 'r', zoneId: 'z1', pattern: 'a.example.com/*', script: 'edgress' }] }), options('routes'));
    expect(deleted.attach[0]?.dnsPosts.map((post) => post.type)).toEqual(['AAAA']);
    expect(deleted.attach[0]?.routeCreate).toBeUndefined();
    const changed = planEdgeHosts([want('a.example.com')], state({ records: [claim('a.example.com'), record('a.example.com', 'AAAA', '2001:db8::1', { comment: ownerComment('prod') })] }), options('routes'));
    expect(changed.attach).toEqual([]);
    expect(changed.reports[0]).toMatchObject({ status: 'conflict' });
    expect(changed.reports[0]?.detail).toContain('changed by hand (now 2001:db8::1)');
  });

  it('reports TLS coverage of routed hosts: Universal SSL covers one level, not two', () => {
    const plan = planEdgeHosts([want('a.example.com'), want('a.b.example.com'), want('*.b.example.com')], state(), options('routes'));
    expect(plan.reports.map((report) => report.tls?.covered)).toEqual([true, false, false]);
    expect(plan.reports[1]?.tls?.detail).toContain('custom-domains');
    expect(plan.reports[2]?.tls?.detail).toContain('advanced certificate for *.b.example.com');
  });

  it('detaches only hosts this owner claimed, and holds a mass removal', () => {
    const records = ['a', 'b', 'c'].flatMap((name) => [claim(`${name}.example.com`), ours(`${name}.example.com`)]);
    const theirs = [claim('x.example.com', 'staging'), ours('x.example.com', 'staging')];
    const routes = ['a', 'b', 'c', 'x'].map((name) => ({ id: name, zoneId: 'z1', pattern: `${name}.example.com/*`, script: 'edgress' }));
    const one = planEdgeHosts([want('a.example.com'), want('b.example.com')], state({ records: [...records, ...theirs], routes }), options('routes'));
    expect(one.detach.map((changes) => changes.host)).toEqual(['c.example.com']);
    expect(one.detach[0]?.dnsDeletes.map((deleted) => deleted.type).sort()).toEqual(['AAAA', 'TXT']);
    expect(one.detach[0]?.routeDelete?.pattern).toBe('c.example.com/*');
    const all = planEdgeHosts([], state({ records: [...records, ...theirs], routes }), options('routes'));
    expect(all.detach).toEqual([]);
    expect(all.reports.filter((report) => report.status === 'detach-held')).toHaveLength(3);
    expect(planEdgeHosts([], state({ records, routes }), options('routes', { allowMassRemoval: true })).detach).toHaveLength(3);
  });

  it('keeps a record changed by hand when detaching, deleting only the claim', () => {
    const changed = record('a.example.com', 'AAAA', '2001:db8::1', { comment: ownerComment('prod') });
    const plan = planEdgeHosts([], state({ records: [claim('a.example.com'), changed] }), options('routes'));
    expect(plan.detach[0]?.dnsDeletes.map((deleted) => deleted.type)).toEqual(['TXT']);
  });

  it("does not take a Custom Domain's own record for a foreign one", () => {
    const domains = [{ id: 'd', zoneId: 'z1', hostname: 'a.example.com', service: 'edgress' }];
    const generated = record('a.example.com', 'AAAA', '100::');
    const routes = planEdgeHosts([want('a.example.com')], state({ records: [claim('a.example.com'), generated], domains }), options('routes'));
    expect(routes.reports[0]?.status).toBe('attaching');
    expect(routes.attach[0]).toMatchObject({ domainDetach: { id: 'd' }, dnsDeletes: [] });
    expect(planEdgeHosts([want('a.example.com')], state({ records: [claim('a.example.com'), generated], domains }), options('custom-domains')).reports[0]?.status).toBe('served');
  });

  it('switching modes: our route and record give way to the Custom Domain', () => {
    const plan = planEdgeHosts([want('a.example.com')], state({ records: [claim('a.example.com'), ours('a.example.com')], routes: [{ id: 'r', zoneId: 'z1', pattern: 'a.example.com/*', script: 'edgress' }] }), options('custom-domains'));
    expect(plan.attach[0]).toMatchObject({ routeDelete: { id: 'r' }, domainAttach: { override: false }, dnsPosts: [] });
    expect(plan.attach[0]?.dnsDeletes.map((deleted) => deleted.type)).toEqual(['AAAA']);
  });
});
