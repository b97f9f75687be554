/**
 * examples/gateway-api through the real CLI: it compiles with its one
 * HTTPRoute accepted and nothing to warn about, and `edgress explain` names
 * the HTTPRoute (not an Ingress) that routes a request, and tunnel-config
 * (the `tunnel-hostnames` transport) reaches every Service it uses.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './harness/edgress.ts';

describe('examples/gateway-api', () => {
  it('compiles: one HTTPRoute served, no errors or warnings', async () => {
    const result = await runCli(['compile', '-f', 'examples/gateway-api', '-o', '/dev/null']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/1 HTTPRoute: 1 served, 0 not accepted; 0 errors, 0 warnings/);
  });

  it('explain names the HTTPRoute and its weighted backends', async () => {
    const result = await runCli(['explain', '-f', 'examples/gateway-api', 'http://store.example.com/api/orders']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/route: +store\/store#rule1\.match0@store\.example\.com \(HTTPRoute store\/store\)/);
    expect(result.stdout).toMatch(/one of 2 endpoints, by weight/);
  });

  it('explain --json gives the route kind', async () => {
    const result = await runCli(['explain', '--json', '-f', 'examples/gateway-api', 'http://store.example.com/shop/cart']);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).route).toMatchObject({ kind: 'HTTPRoute', ingress: 'store/store', id: 'store/store#rule3.match0@store.example.com' });
  });

  it('tunnel-config routes a tunnel hostname to every Service the HTTPRoute uses, the granted cross-namespace one included', async () => {
    const result = await runCli(['tunnel-config', '-f', 'examples/gateway-api', '--hostname-template', '{service}-{namespace}.tunnel.example.com']);
    expect(result.status).toBe(0);
    const hostnames = [...result.stdout.matchAll(/hostname: (\S+)/g)].map((match) => match[1]);
    expect(hostnames).toEqual(['api-v1-store.tunnel.example.com', 'api-v2-store.tunnel.example.com', 'search-shared.tunnel.example.com', 'web-store.tunnel.example.com']);
  });
});
