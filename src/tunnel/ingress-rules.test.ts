import { describe, expect, it } from 'vitest';
import type { Service, Table } from '../table/schema.ts';
import { parseHostnameTemplate, type HostnameTemplate } from './hostname-template.ts';
import { ingressRules } from './ingress-rules.ts';

const template = (text: string): HostnameTemplate => {
  const parsed = parseHostnameTemplate(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.template;
};

const pool = (namespace: string, name: string, port: number, extra: Partial<Extract<Service, { kind: 'servers' }>> = {}): Service => ({
  kind: 'servers',
  protocol: 'http',
  target: { namespace, name, port },
  servers: [{ address: '10.0.0.1:8080', weight: 1 }],
  ...extra,
});

const tableOf = (services: Record<string, Service>): Table => ({ schema: 1, routers: [], middlewares: {}, services });

describe('cloudflared ingress rules from a table', () => {
  const options = { template: template('{service}-{namespace}.tunnel.example.com'), clusterDomain: 'cluster.local' };

  it('has one rule per Service port, sorted, and the catch-all last', () => {
    const table = tableOf({
      'shop/web:80': pool('shop', 'web', 80),
      'blog/api:8080': pool('blog', 'api', 8080, { protocol: 'https' }),
      split: { kind: 'weighted', services: [{ service: 'shop/web:80', weight: 1 }] },
      missing: { kind: 'servers', protocol: 'http', servers: [], unavailable: 'Service not found' },
    });
    expect(ingressRules(table, options)).toEqual({
      ok: true,
      rules: [
        { hostname: 'api-blog.tunnel.example.com', service: 'https://api.blog.svc.cluster.local:8080' },
        { hostname: 'web-shop.tunnel.example.com', service: 'http://web.shop.svc.cluster.local:80' },
        { service: 'http_status:404' },
      ],
    });
  });

  it('keeps a catch-all rule when no Service is routed', () => {
    expect(ingressRules(tableOf({}), { ...options, catchAll: 'http_status:503' })).toEqual({ ok: true, rules: [{ service: 'http_status:503' }] });
  });

  it("sends an ExternalName Service's hostname to its target, and asks cloudflared to check Access", () => {
    const table = tableOf({ ext: pool('shop', 'legacy', 443, { protocol: 'https', external: true, servers: [{ address: 'legacy.example.net:443', weight: 1 }] }) });
    const result = ingressRules(table, { ...options, access: { teamName: 'acme', audTag: ['aud1'] } });
    expect(result.ok && result.rules[0]).toEqual({
      hostname: 'legacy-shop.tunnel.example.com',
      service: 'https://legacy.example.net:443',
      originRequest: { access: { required: true, teamName: 'acme', audTag: ['aud1'] } },
    });
  });

  it('reports two ports of one Service sharing a hostname, unless the template has {port}', () => {
    const table = tableOf({ a: pool('shop', 'web', 80), b: pool('shop', 'web', 8080) });
    const shared = ingressRules(table, options);
    expect(shared.ok).toBe(false);
    if (!shared.ok) expect(shared.suggestedTemplate).toBe('{service}-{port}-{namespace}.tunnel.example.com');
    const withPort = ingressRules(table, { ...options, template: template('{service}-{namespace}-{port}.tunnel.example.com') });
    expect(withPort.ok && withPort.rules.map((rule) => rule.hostname)).toEqual(['web-shop-80.tunnel.example.com', 'web-shop-8080.tunnel.example.com', undefined]);
  });

  it('reports two Services whose names run together, with a template that separates them', () => {
    const table = tableOf({ a: pool('c', 'a-b', 80), b: pool('b-c', 'a', 80) });
    const result = ingressRules(table, options);
    expect(result).toMatchObject({ ok: false, errors: ['Service c/a-b port 80 and Service b-c/a port 80 would share the tunnel hostname a-b-c.tunnel.example.com'] });
    const suggested = !result.ok ? result.suggestedTemplate : undefined;
    expect(suggested).toBe('{service}--{namespace}.tunnel.example.com');
    const fixed = ingressRules(table, { ...options, template: template(suggested ?? '') });
    expect(fixed.ok && fixed.rules.map((rule) => rule.hostname)).toEqual(['a--b-c.tunnel.example.com', 'a-b--c.tunnel.example.com', undefined]);
  });

  it('reports a tunnel hostname that an Ingress also serves', () => {
    const table: Table = { ...tableOf({ a: pool('shop', 'web', 80) }), routers: [{ id: 'r', source: 'shop/site', host: '*.tunnel.example.com', path: { kind: 'prefix', value: '/' }, middlewares: [], service: 'a', priority: 0, order: 0 } as unknown as Table['routers'][number]] };
    const result = ingressRules(table, options);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toContain('web-shop.tunnel.example.com is also a host the Ingresses serve (*.tunnel.example.com)');
  });

  it('reports one Service port reached over two protocols, without blaming the template', () => {
    const result = ingressRules(tableOf({ a: pool('shop', 'web', 80), b: pool('shop', 'web', 80, { protocol: 'https' }) }), options);
    expect(result).toMatchObject({ ok: false, errors: [expect.stringContaining('reached as both http://web.shop.svc.cluster.local:80 and https://')] });
    expect(!result.ok && result.suggestedTemplate).toBeUndefined();
  });

  it('reports a hostname longer than a DNS label allows', () => {
    const result = ingressRules(tableOf({ a: pool('a-rather-long-namespace-name-here', 'and-an-even-longer-service-name', 80) }), options);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toContain('at most 63');
  });
});
