import { describe, expect, it } from 'vitest';
import type { Table } from '../../src/table/schema.ts';
import { edgeHostsView, goDuration, healthJson, kubernetesProvider } from './api.ts';
import { DashboardState } from './state.ts';
import { emptySnapshot } from '../stats/snapshot.ts';
import { allowedHost } from './server.ts';

describe('kubernetesProvider', () => {
  it('names frontends and backends host + path, flattens weighted splits and redacts nothing it does not show', () => {
    const table: Table = {
      schema: 1,
      routers: [
        { id: 'shop/web#0.0', source: 'shop/web', host: 'shop.example.com', match: { type: 'exact', path: '/x' }, priority: 3, schemes: ['https'], middlewares: ['m1'], service: 'split', passHostHeader: false },
        { id: 'any/web#0.0', source: 'any/web', host: '*.preview.example.com', match: { type: 'any' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true },
      ],
      middlewares: { m1: { kind: 'strip-prefix', prefixes: ['/x'] } as never },
      services: {
        a: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'a', port: 80 }, servers: [{ address: '10.0.0.1:80', weight: 1, pod: 'a-0' }] },
        b: { kind: 'servers', protocol: 'https', target: { namespace: 'shop', name: 'b', port: 443 }, servers: [{ address: '10.0.0.2:443', weight: 2 }] },
        split: { kind: 'weighted', services: [{ service: 'a', weight: 1 }, { service: 'b', weight: 3 }] },
      },
    };
    const provider = kubernetesProvider(table);
    // Traefik 1.7 prefixes the name with the priority (`N-`) and the frontend-entry-points (`ep1-ep2_`).
    expect(Object.keys(provider.frontends)).toEqual(['3-https_shop.example.com/x', '*.preview.example.com']);
    expect(provider.frontends['3-https_shop.example.com/x']).toEqual({
      entryPoints: ['https'],
      backend: '3-https_shop.example.com/x',
      routes: { '/x': { rule: 'Path:/x' }, 'shop.example.com': { rule: 'Host:shop.example.com' } },
      passHostHeader: false,
      priority: 3,
      edgress: { route: 'shop/web#0.0', ingress: 'shop/web', middlewares: ['strip-prefix'] },
    });
    expect(provider.backends['3-https_shop.example.com/x']!.servers).toEqual({ 'a-0': { url: 'http://10.0.0.1:80', weight: 1 }, '10.0.0.2:443': { url: 'https://10.0.0.2:443', weight: 2 } });
    expect(provider.frontends['*.preview.example.com']!.routes).toEqual({ '*.preview.example.com': { rule: 'HostRegexp:{subdomain:[a-z0-9-]+}.preview.example.com' } });
    expect(kubernetesProvider(undefined)).toEqual({ frontends: {}, backends: {} });
  });

  it("uses Traefik 1.7's names for the default backend and for a rule with neither host nor path", () => {
    const table: Table = {
      schema: 1,
      routers: [{ id: 'shop/catch#0.0', source: 'shop/catch', host: '', match: { type: 'any' }, priority: 0, middlewares: [], service: 'a', passHostHeader: true }],
      defaultRouter: { id: 'shop/fallback#default', source: 'shop/fallback', host: '', match: { type: 'prefix', path: '/' }, priority: 0, middlewares: [], service: 'b', passHostHeader: true },
      middlewares: {},
      services: {
        a: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'catch-all', port: 80 }, servers: [{ address: '10.0.0.1:80', weight: 1 }] },
        b: { kind: 'servers', protocol: 'http', target: { namespace: 'shop', name: 'fallback', port: 80 }, servers: [{ address: '10.0.0.2:80', weight: 1 }] },
      },
    };
    const provider = kubernetesProvider(table);
    expect(Object.keys(provider.frontends)).toEqual(['catch-all', 'global-default-frontend']);
    expect(provider.frontends['catch-all']).toMatchObject({ backend: 'catch-all', routes: { '/': { rule: 'PathPrefix:/' } } });
    expect(provider.frontends['global-default-frontend']).toMatchObject({ backend: 'global-default-backend', routes: { '/': { rule: 'PathPrefix:/' } } });
    expect(Object.keys(provider.backends)).toEqual(['catch-all', 'global-default-backend']);
    expect(provider.backends['global-default-backend']!.servers).toEqual({ '10.0.0.2:80': { url: 'http://10.0.0.2:80', weight: 1 } });
  });
});

describe('goDuration', () => {
  it("writes durations as Go's time.Duration does", () => {
    expect(goDuration(0)).toBe('0s');
    expect(goDuration(0.25)).toBe('250µs');
    expect(goDuration(12.5)).toBe('12.5ms');
    expect(goDuration(1500)).toBe('1.5s');
    expect(goDuration(61_000)).toBe('1m1s');
    expect(goDuration(3_723_000)).toBe('1h2m3s');
  });
});

describe('healthJson', () => {
  it("has Traefik 1.7's fields, `time` written as Go's time.Time.String() and `unixtime` in seconds", () => {
    let now = Date.UTC(2026, 11, 7, 20, 39, 5, 120);
    const state = new DashboardState({ mode: 'dev', stats: { snapshot: () => emptySnapshot('dev', 'off') }, now: () => now });
    now += 61_500;
    const health = healthJson(state, emptySnapshot('dev', 'off'));
    for (const field of ['pid', 'uptime', 'uptime_sec', 'time', 'unixtime', 'status_code_count', 'total_status_code_count', 'count', 'total_count', 'total_response_time', 'total_response_time_sec', 'average_response_time', 'average_response_time_sec', 'recent_errors']) {
      expect(health, field).toHaveProperty(field);
    }
    expect(health).toMatchObject({ pid: process.pid, uptime: '1m1.5s', uptime_sec: 61.5, time: '2026-12-07 20:40:06.62 +0000 UTC', unixtime: Math.floor(now / 1000), count: 0, total_count: 0, average_response_time: '0s' });
  });
});

describe('allowedHost', () => {
  it('accepts IP literals and localhost names, refuses other DNS names (rebinding)', () => {
    for (const host of ['127.0.0.1:8788', 'localhost:8788', 'LOCALHOST', '[::1]:8788', '10.1.2.3', 'app.localhost:1']) expect(allowedHost(host), host).toBe(true);
    for (const host of [undefined, '', 'attacker.example:8788', 'localhost.attacker.example', 'edgress-agent.edgress.svc']) expect(allowedHost(host), String(host)).toBe(false);
  });
});

describe('edgeHostsView', () => {
  const stats = { snapshot: () => emptySnapshot('none', 'off') };

  it('says edge hosts are not managed when the agent runs without --edge-hosts, and lists no host', () => {
    const view = edgeHostsView(new DashboardState({ mode: 'agent', stats }));
    expect(view.enabled).toBe(false);
    expect(view.message).toContain('without --edge-hosts');
    expect(view.hosts).toEqual([]);
  });

  it("shows the reconciler's last report per host, read when asked (not copied when the dashboard starts)", () => {
    let reports: { host: string; ingresses: string[]; status: string; detail: string; zone?: string; via?: string }[] = [];
    const state = new DashboardState({ mode: 'agent', stats, edgeHosts: { mode: 'custom-domains', get reports() { return reports; } } });
    expect(edgeHostsView(state).hosts).toEqual([]);
    reports = [
      { host: 'shop.example.com', ingresses: ['shop/web'], zone: 'example.com', status: 'attached', via: 'custom-domain', detail: 'Custom Domain of edgress' },
      { host: 'taken.example.com', ingresses: ['shop/old'], zone: 'example.com', status: 'conflict', detail: 'a DNS record edgress did not write' },
    ];
    const view = edgeHostsView(state);
    expect(view.enabled).toBe(true);
    expect(view.message).toContain('--edge-hosts custom-domains');
    expect(view.hosts.map((host) => [host.host, host.status, host.via])).toEqual([['shop.example.com', 'attached', 'custom-domain'], ['taken.example.com', 'conflict', null]]);
  });
});
