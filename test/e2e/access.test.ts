/**
 * Access control through `edgress dev`, as a user sets it up: htpasswd and
 * htdigest Secrets made by the standard tools, a forward-auth server,
 * allow-lists for IPv4 and IPv6 clients (the client address is the socket's
 * peer: requests leave from 127.0.0.9 or ::1), and a Secret edited under
 * `--watch`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC_USERS, basicAuthorization, PASSWORDS } from '../fixtures/auth/credentials.ts';
import { startAccessCluster, HTPASSWD_FILE, type AccessCluster } from './harness/access-cluster.ts';
import { digestAuthorization, parseChallenge } from './harness/digest-client.ts';
import { request, runCli, startDev, type DevProcess, type Reply } from './harness/edgress.ts';
import type { EchoReply } from './harness/pods.ts';

let c: AccessCluster;

beforeAll(async () => {
  c = await startAccessCluster(['--watch']);
});
afterAll(() => c?.close());

const get = (host: string, path: string, headers: Record<string, string> = {}, localAddress?: string) =>
  request(c.dev.url, path, { host, headers, localAddress });

function expectPod(reply: Reply, service: string): EchoReply {
  expect(reply.status).toBe(200);
  const echo = reply.json<EchoReply>();
  expect(echo.service).toBe(service);
  return echo;
}

describe('basic auth from a tool-made htpasswd Secret', () => {
  it.each(BASIC_USERS)('lets %s in, tells the pod who it is', async (user) => {
    const echo = expectPod(await get('basic.example.com', '/admin/x', { Authorization: basicAuthorization(user, PASSWORDS[user]) }), 'admin');
    expect(echo.headers['x-webauth-user']).toBe(user);
  });

  it('asks everyone else, Traefik’s way', async () => {
    const reply = await get('basic.example.com', '/admin/x', { Authorization: basicAuthorization('apr1-user', 'wrong') });
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Basic realm="traefik"');
    expect(reply.body).toBe('401 Unauthorized\n');
  });

  it('leaves the other Ingress of the host open', async () => {
    expectPod(await get('basic.example.com', '/shop'), 'www');
  });

  it('fails closed where the Secret holds a plain-text password: 404, for the right password too', async () => {
    expect((await get('broken.example.com', '/', { Authorization: basicAuthorization('admin', 'admin') })).status).toBe(404);
    expect(c.dev.output()).toMatch(/error InvalidAuthSecret Ingress default\/broken ingress\.kubernetes\.io\/auth-secret: Secret "plain" has no usable user line: line 1 \(user "admin"\): a password in plain text/);
    expect(c.dev.output()).not.toContain('admin:admin');
  });

  it('skips unusable lines as Traefik did: the other users get in, with a warning naming each line', async () => {
    expectPod(await get('mixed.example.com', '/', { Authorization: basicAuthorization('apr1-user', PASSWORDS['apr1-user']) }), 'admin');
    // The plain-text line is no user: its "password" asks again, as in Traefik.
    expect((await get('mixed.example.com', '/', { Authorization: basicAuthorization('admin', 'admin') })).status).toBe(401);
    expect((await get('mixed.example.com', '/')).status).toBe(401);
    const output = c.dev.output();
    expect(output).toMatch(/warning InvalidAuthSecret Ingress default\/mixed ingress\.kubernetes\.io\/auth-secret: Secret "mixed" line 1 \(user "admin"\): a password in plain text.*line skipped/);
    expect(output).toMatch(/warning InvalidAuthSecret Ingress default\/mixed .*Secret "mixed" line 3 \(user "sha512-user"\)/);
    expect(output).not.toContain('$6$saltsalt');
  });
});

describe('edgress explain', () => {
  it('names the middlewares but shows no hash', async () => {
    const result = await runCli(['explain', '-f', c.dir, 'http://basic.example.com/admin/x']);
    expect(result.stdout).toContain('basic-auth');
    expect(result.stdout).toContain('"users":"8 users (hashes not shown)"');
    for (const line of HTPASSWD_FILE.trim().split('\n')) expect(result.stdout).not.toContain(line.split(':')[1]);
  });
});

describe('digest auth from a tool-made htdigest Secret', () => {
  it('lets a client that answers the challenge in, with the URI it sent (the prefix is stripped upstream)', async () => {
    const challenged = await get('digest.example.com', '/app/report?q=1');
    expect(challenged.status).toBe(401);
    const challenge = parseChallenge(challenged.headers['www-authenticate']);
    expect(challenge.realm).toBe('traefik');
    const authorization = digestAuthorization(challenge, 'digest-user', 'digest-pass', 'GET', '/app/report?q=1');
    expect(expectPod(await get('digest.example.com', '/app/report?q=1', { Authorization: authorization }), 'admin').url).toBe('/report?q=1');
    // The same answer again is a replay.
    expect((await get('digest.example.com', '/app/report?q=1', { Authorization: authorization })).status).toBe(401);
    const next = digestAuthorization(challenge, 'digest-user', 'digest-pass', 'GET', '/app/report?q=1', 2);
    expectPod(await get('digest.example.com', '/app/report?q=1', { Authorization: next }), 'admin');
  });

  it('refuses a wrong password', async () => {
    const challenge = parseChallenge((await get('digest.example.com', '/app/')).headers['www-authenticate']);
    const authorization = digestAuthorization(challenge, 'digest-user', 'other-pass', 'GET', '/app/');
    expect((await get('digest.example.com', '/app/', { Authorization: authorization })).status).toBe(401);
  });
});

describe('forward auth with a real auth server', () => {
  it('lets the request through on 2xx with the listed answer headers, and tells the auth server the original request', async () => {
    const echo = expectPod(await get('sso.example.com', '/orders?id=1', { Authorization: 'Bearer good', 'X-Auth-User': 'mallory' }), 'admin');
    expect(echo.headers['x-auth-user']).toBe('alice');
    expect(echo.headers['x-forwarded-user']).toBe('alice');
    expect(echo.headers['x-unlisted']).toBeUndefined();
    const seen = c.auth.seen.at(-1)!;
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/verify');
    expect(seen.headers).toMatchObject({ 'x-forwarded-uri': '/orders?id=1', 'x-forwarded-method': 'GET', 'x-forwarded-host': 'sso.example.com', 'x-forwarded-for': '127.0.0.1' });
  });

  it('relays a refusal as the auth server sent it', async () => {
    const reply = await get('sso.example.com', '/orders');
    expect(reply.status).toBe(401);
    expect(reply.headers['www-authenticate']).toBe('Bearer realm="sso"');
    expect(reply.body).toBe('denied\n');
  });

  it('relays a login redirect with Location resolved against the auth URL', async () => {
    const reply = await get('sso.example.com', '/orders?id=1', { Authorization: 'Bearer login' });
    expect(reply.status).toBe(302);
    expect(reply.headers.location).toBe(`${new URL(c.auth.url).origin}/login?rd=%2Forders%3Fid%3D1`);
  });
});

describe('allow-lists, IPv4', () => {
  it('lets the listed client address in and nobody else', async () => {
    expectPod(await get('office.example.com', '/', {}, '127.0.0.9'), 'admin');
    const reply = await get('office.example.com', '/', {}, '127.0.0.10');
    expect([reply.status, reply.body]).toEqual([403, 'Forbidden\n']);
    expect((await get('office.example.com', '/')).status).toBe(403);
  });

  it('trusts X-Forwarded-For only where whitelist-x-forwarded-for says so', async () => {
    expectPod(await get('proxy.example.com', '/', { 'X-Forwarded-For': '203.0.113.50' }), 'admin');
    expect((await get('proxy.example.com', '/', { 'X-Forwarded-For': '198.51.100.1' })).status).toBe(403);
    expect((await get('office.example.com', '/', { 'X-Forwarded-For': '127.0.0.9' })).status).toBe(403);
  });
});

describe('allow-lists, IPv6', () => {
  let dev6: DevProcess;
  beforeAll(async () => {
    dev6 = await startDev(['-f', c.dir, '--host', '::1']);
  });
  afterAll(() => dev6?.stop());

  it('lets ::1 in where it is listed and keeps it out where it is not', async () => {
    expect(dev6.url.hostname).toBe('[::1]');
    const office = await request(dev6.url, '/', { host: 'office.example.com' });
    expect(office.status).toBe(200);
    expect(office.json<EchoReply>().headers['x-forwarded-for']).toBe('::1');
    expect((await request(dev6.url, '/', { host: 'proxy.example.com' })).status).toBe(403);
  });
});

describe('a Secret edited under --watch', () => {
  it('changes who gets in, the Ingress untouched', async () => {
    const apr1 = basicAuthorization('apr1-user', PASSWORDS['apr1-user']);
    const sha = basicAuthorization('sha-user', PASSWORDS['sha-user']);
    expect((await get('basic.example.com', '/admin', { Authorization: apr1 })).status).toBe(200);
    await c.writeSecrets(HTPASSWD_FILE.split('\n').filter((line) => line.startsWith('sha-user:')).join('\n'));
    await eventually(async () => (await get('basic.example.com', '/admin', { Authorization: apr1 })).status === 401);
    expect((await get('basic.example.com', '/admin', { Authorization: sha })).status).toBe(200);
    await c.writeSecrets(HTPASSWD_FILE);
    await eventually(async () => (await get('basic.example.com', '/admin', { Authorization: apr1 })).status === 200);
  });
});

/** Polls until `check` holds (the worker re-reads the table pointer every 100 ms under edgress dev). */
async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
