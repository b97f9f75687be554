import { describe, expect, it } from 'vitest';
import { hostnameProblem, parseHostnameTemplate, tunnelHostname } from './hostname-template.ts';

describe('tunnel hostname templates', () => {
  it('fills {service}, {namespace} and {port}', () => {
    const parsed = parseHostnameTemplate('{service}-{namespace}-{port}.tunnel.example.com');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.template.hasPort).toBe(true);
    expect(tunnelHostname(parsed.template, { namespace: 'shop', name: 'web', port: 8080 })).toBe('web-shop-8080.tunnel.example.com');
  });

  it.each([
    ['{service}.tunnel.example.com', 'must contain {service} and {namespace}'],
    ['{service}-{ns}.example.com', 'unknown placeholder {ns}'],
    ['{service}-{namespace}', 'does not make a lower-case DNS name'],
    ['{service}_{namespace}.Example.com', 'does not make a lower-case DNS name'],
    ['https://{service}-{namespace}.example.com', 'does not make a lower-case DNS name'],
  ])('refuses %s', (text, error) => {
    const parsed = parseHostnameTemplate(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });

  it('reports names a Service cannot have at the edge', () => {
    expect(hostnameProblem('web-shop.tunnel.example.com')).toBeUndefined();
    expect(hostnameProblem(`${'a'.repeat(40)}-${'b'.repeat(30)}.example.com`)).toContain('at most 63');
  });
});
