// ip-allow-list inside workerd: CF-Connecting-IP decides (docs/design/decisions.md#decision-13-the-client-is-cf-connecting-ip);
// X-Forwarded-For only where whitelist-x-forwarded-for says so, with
// Traefik's "any element" semantics; everything else is 403.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { basicAuthorization, htpasswdUsers, PASSWORDS } from '../fixtures/auth/credentials.ts';
import { echoOf, echoPool, expectEdgeText, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  office: { kind: 'ip-allow-list', ranges: ['10.0.0.0/8', '192.168.0.7/32', '2001:db8::/32'], useXForwardedFor: false },
  proxied: { kind: 'ip-allow-list', ranges: ['203.0.113.0/24'], useXForwardedFor: true },
  admins: { kind: 'basic-auth', secret: 'test/htpasswd', removeHeader: false, users: htpasswdUsers().filter((u) => u.user === 'apr1-user') },
};

beforeAll(async () => {
  await publish(
    table({
      routers: [
        router('office.example.com', '/', 'web', { middlewares: ['office'] }),
        router('proxy.example.com', '/', 'web', { middlewares: ['proxied'] }),
        router('both.example.com', '/', 'web', { middlewares: ['office', 'admins'] }),
      ],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

const from = (host: string, client: string | undefined, headers: Record<string, string> = {}) =>
  send(`http://${host}/x`, { headers: { ...(client === undefined ? {} : { 'CF-Connecting-IP': client }), ...headers } });

describe('whitelist-source-range', () => {
  it.each(['10.1.2.3', '10.255.255.255', '192.168.0.7', '2001:db8::1', '2001:DB8:0:0::ffff', '::ffff:10.0.0.1'])('lets %s in', async (client) => {
    expect((await echoOf(await from('office.example.com', client))).url).toBe('/x');
  });

  it.each(['11.0.0.1', '9.255.255.255', '192.168.0.8', '2001:db9::1', '::1', '::ffff:11.0.0.1', '127.0.0.1'])('answers 403 to %s', async (client) => {
    await expectEdgeText(await from('office.example.com', client), 403, 'Forbidden');
  });

  it.each([undefined, '', 'garbage', '10.1.2.3, 10.1.2.4', '010.1.2.3', '10.1.2.3:80', 'fe80::1%eth0'])('answers 403 to client address %j', async (client) => {
    await expectEdgeText(await from('office.example.com', client), 403, 'Forbidden');
  });

  it('ignores a spoofed X-Forwarded-For (and X-Real-IP, True-Client-IP) where the route does not trust it', async () => {
    const spoofed = { 'X-Forwarded-For': '10.0.0.1', 'x-real-ip': '10.0.0.1', 'True-Client-IP': '10.0.0.1', Forwarded: 'for=10.0.0.1' };
    await expectEdgeText(await from('office.example.com', '11.0.0.1', spoofed), 403, 'Forbidden');
  });
});

describe('whitelist-x-forwarded-for', () => {
  it('lets a request in when any X-Forwarded-For element is in range (as Traefik; the client controls it)', async () => {
    for (const chain of ['203.0.113.9', '198.51.100.1, 203.0.113.9', ' 203.0.113.9:4711 ', '198.51.100.1,203.0.113.9']) {
      expect((await echoOf(await from('proxy.example.com', '198.51.100.1', { 'X-Forwarded-For': chain }))).url).toBe('/x');
    }
  });

  it('still lets the client address decide when no element is in range', async () => {
    expect((await echoOf(await from('proxy.example.com', '203.0.113.1', { 'X-Forwarded-For': '198.51.100.1' }))).url).toBe('/x');
    await expectEdgeText(await from('proxy.example.com', '198.51.100.2', { 'X-Forwarded-For': '198.51.100.1' }), 403, 'Forbidden');
    await expectEdgeText(await from('proxy.example.com', '198.51.100.2'), 403, 'Forbidden');
  });

  it('answers 403 at once for an element that is not an address, even from an allowed client', async () => {
    for (const chain of ['nonsense', '198.51.100.1, , 203.0.113.9', '', '0xcb.0.113.9']) {
      await expectEdgeText(await from('proxy.example.com', '203.0.113.1', { 'X-Forwarded-For': chain }), 403, 'Forbidden');
    }
  });
});

describe('allow-list before authentication', () => {
  it('answers 403 to a client outside the ranges, even with good credentials', async () => {
    const authorization = basicAuthorization('apr1-user', PASSWORDS['apr1-user']);
    await expectEdgeText(await from('both.example.com', '11.0.0.1', { Authorization: authorization }), 403, 'Forbidden');
  });

  it('asks a client inside the ranges for credentials', async () => {
    const response = await from('both.example.com', '10.0.0.1');
    expect(response.status).toBe(401);
    await response.body?.cancel();
    const authorization = basicAuthorization('apr1-user', PASSWORDS['apr1-user']);
    expect((await echoOf(await from('both.example.com', '10.0.0.1', { Authorization: authorization }))).url).toBe('/x');
  });
});
