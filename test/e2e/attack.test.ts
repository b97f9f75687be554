/**
 * The attack suite: requests that try to get past access control through
 * `edgress dev` (the cluster is in ./harness/access-cluster.ts). Every
 * attempt is checked twice: by its answer, and by the protected pod, which
 * must never see a request that should not have got through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASIC_USERS, basicAuthorization, PASSWORDS, type FixtureUser } from '../fixtures/auth/credentials.ts';
import { startAccessCluster, HTPASSWD_FILE, type AccessCluster } from './harness/access-cluster.ts';
import { digestAuthorization, parseChallenge } from './harness/digest-client.ts';
import { request, type Reply } from './harness/edgress.ts';
import type { EchoReply } from './harness/pods.ts';
import { rawRequest } from './harness/raw-http.ts';

let c: AccessCluster;

beforeAll(async () => {
  c = await startAccessCluster();
});
afterAll(() => c?.close());

/** Runs an attempt and checks the protected pod saw nothing of it. */
async function attempt<R extends { status: number }>(send: () => Promise<R>): Promise<R> {
  const before = c.admin.seen.length;
  const reply = await send();
  expect(c.admin.seen.slice(before).map((seen) => seen.url)).toEqual([]);
  expect(reply.status).not.toBe(200);
  return reply;
}

const get = (host: string, path: string, headers: Record<string, string> = {}, method?: string) =>
  request(c.dev.url, path, { host, headers, method });

const raw = (lines: readonly string[], localAddress?: string) => rawRequest(c.dev.url, lines, { localAddress });

const hashOf = (user: string) => HTPASSWD_FILE.split('\n').find((line) => line.startsWith(`${user}:`))?.slice(user.length + 1) ?? '';

describe('credentials that are not the password', () => {
  const wrong = (user: FixtureUser): [string, string][] => {
    const password = PASSWORDS[user];
    return [
      ['empty', ''],
      ['truncated by one', password.slice(0, -1)],
      ['first character only', password.slice(0, 1)],
      ['extended by one', `${password}!`],
      ['with a trailing newline', `${password}\n`],
      ['with a NUL after it', `${password}\u0000`],
      ['upper-cased', password.toUpperCase()],
      ['the stored hash itself', hashOf(user)],
      ['another user’s password', user === 'sha-user' ? PASSWORDS['apr1-user'] : PASSWORDS['sha-user']],
    ];
  };

  it.each(BASIC_USERS)('never let %s in', async (user) => {
    for (const [, password] of wrong(user)) {
      const reply = await attempt(() => get('basic.example.com', '/admin', { Authorization: basicAuthorization(user, password) }));
      expect(reply.status).toBe(401);
    }
  });

  it('do not work for a user whose name differs in case or padding', async () => {
    for (const user of ['APR1-USER', 'apr1-user ', ' apr1-user', 'apr1-user\t', 'apr1']) {
      expect((await attempt(() => get('basic.example.com', '/admin', { Authorization: basicAuthorization(user, PASSWORDS['apr1-user']) }))).status).toBe(401);
    }
  });

  it('do not include a differently normalised UTF-8 password (NFD for NFC)', async () => {
    const nfd = PASSWORDS['colon-user'].normalize('NFD');
    expect(nfd).not.toBe(PASSWORDS['colon-user']);
    expect((await attempt(() => get('basic.example.com', '/admin', { Authorization: basicAuthorization('colon-user', nfd) }))).status).toBe(401);
  });

  it('do not pass through a route whose Secret is broken: the right password gets 404 there', async () => {
    expect((await attempt(() => get('broken.example.com', '/', { Authorization: basicAuthorization('admin', 'admin') }))).status).toBe(404);
  });
});

describe('malformed and oversized Authorization headers', () => {
  const valid = basicAuthorization('apr1-user', PASSWORDS['apr1-user']);
  it.each([
    ['no scheme', valid.slice('Basic '.length)],
    ['lower-case scheme', valid.replace('Basic', 'basic')],
    ['upper-case scheme', valid.replace('Basic', 'BASIC')],
    ['Digest scheme with basic credentials', valid.replace('Basic', 'Digest')],
    ['Bearer', 'Bearer good'],
    ['scheme only', 'Basic'],
    ['padding only', 'Basic ===='],
    ['no colon', `Basic ${btoa('apr1-user')}`],
    ['empty user and password', `Basic ${btoa(':')}`],
    ['truncated base64', valid.slice(0, -3)],
    ['base64 of base64', `Basic ${btoa(valid)}`],
    ['8-bit garbage', 'Basic \u00ff\u00fe\u00fd'],
    ['8 KB of base64', `Basic ${btoa(`apr1-user:${'a'.repeat(6000)}`)}`],
    ['a digest header full of junk', `Digest ${'a=b,'.repeat(1000)}`],
  ])('%s', async (_, authorization) => {
    const reply = await attempt(() => get('basic.example.com', '/admin', { Authorization: authorization }));
    expect(reply.status).toBe(401);
  });

  it('over the front’s header limit (16 KB) is refused before the worker', async () => {
    const reply = await attempt(() => raw(['GET /admin HTTP/1.1', 'Host: basic.example.com', `Authorization: Basic ${'QUFB'.repeat(5000)}`]));
    expect([401, 431]).toContain(reply.status);
  });

  it('a second Authorization header does not smuggle good credentials behind a bad one', async () => {
    const reply = await attempt(() => raw(['GET /admin HTTP/1.1', 'Host: basic.example.com', 'Authorization: Basic Zm9vOmJhcg==', `Authorization: ${valid}`]));
    expect(reply.status).toBe(401);
  });

  it('Proxy-Authorization is not Authorization', async () => {
    expect((await attempt(() => get('basic.example.com', '/admin', { 'Proxy-Authorization': valid }))).status).toBe(401);
  });
});

describe('smuggled identity headers', () => {
  const valid = basicAuthorization('apr1-user', PASSWORDS['apr1-user']);

  it('a client’s X-WebAuth-User, in any spelling, never reaches the pod beside the real one', async () => {
    const spellings = ['X-WebAuth-User', 'x-webauth-user', 'X-WEBAUTH-USER', 'x-WebAuth-user', 'X_WebAuth_User', 'x_webauth-user'];
    const before = c.admin.seen.length;
    const reply = await raw(['GET /admin HTTP/1.1', 'Host: basic.example.com', ...spellings.map((name) => `${name}: root`), `Authorization: ${valid}`]);
    expect(reply.status).toBe(200);
    const seen = c.admin.seen.slice(before);
    expect(seen).toHaveLength(1);
    const names = Object.keys(seen[0]!.headers).filter((name) => name.replaceAll('_', '-') === 'x-webauth-user');
    expect(names).toEqual(['x-webauth-user']);
    expect(seen[0]!.headers['x-webauth-user']).toBe('apr1-user');
  });

  it('without good credentials, an identity header alone gets nowhere', async () => {
    expect((await attempt(() => get('basic.example.com', '/admin', { 'X-WebAuth-User': 'apr1-user' }))).status).toBe(401);
    expect((await attempt(() => get('sso.example.com', '/', { 'X-Forwarded-User': 'alice', 'X-Auth-User': 'alice' }))).status).toBe(401);
  });

  it('forward auth’s answer headers replace every client spelling of them', async () => {
    const before = c.admin.seen.length;
    const reply = await raw([
      'GET / HTTP/1.1', 'Host: sso.example.com', 'Authorization: Bearer public-only',
      'x-auth-user: root', 'X-AUTH-USER: root', 'X_Auth_User: root', 'X-Forwarded-User: root', 'x_forwarded_user: root',
    ]);
    expect(reply.status).toBe(403);
    expect(c.admin.seen.length).toBe(before);
    const ok = await raw(['GET /public HTTP/1.1', 'Host: sso.example.com', 'Authorization: Bearer good', 'X-Auth-User: root', 'X_Auth_User: root', 'X-Forwarded-User: root']);
    expect(ok.status).toBe(200);
    const seen = c.admin.seen.at(-1)!;
    expect(seen.headers['x-auth-user']).toBe('alice');
    expect(seen.headers['x-forwarded-user']).toBe('alice');
    expect(Object.keys(seen.headers).filter((name) => name.includes('_'))).toEqual([]);
  });

  it('a spoofed X-Forwarded-Uri or -Method does not fool the auth server (it sees the real request)', async () => {
    const spoof = { Authorization: 'Bearer public-only', 'X-Forwarded-Uri': '/public', 'X-Forwarded-Method': 'GET', 'X-FORWARDED-URI': '/public/x' };
    expect((await attempt(() => get('sso.example.com', '/admin', spoof))).status).toBe(403);
    expect((await attempt(() => get('sso.example.com', '/public', spoof, 'DELETE'))).status).toBe(403);
    expect(c.auth.seen.at(-1)?.headers).toMatchObject({ 'x-forwarded-uri': '/public', 'x-forwarded-method': 'DELETE' });
    // The token itself works where the auth server allows it.
    expect((await get('sso.example.com', '/public', { Authorization: 'Bearer public-only' })).status).toBe(200);
  });
});

describe('path tricks around the protected prefix /admin', () => {
  it.each([
    '/admin', '//admin', '///admin/x', '/./admin', '/admin/.', '/%61dmin', '/%61%64%6D%69%6E/x', '/admin%2F', '/admin%2fsecret', '/%2Fadmin',
    '/admin/../admin', '/x/../admin', '/%2e/admin', '/%2E%2E/admin', '/admin/%2e',
    '/admin/x?y=/../', '/admin\\', '/x/..%2Fadmin', '/x/%2e%2e%2fadmin', '/admin#x', '/admin/',
    '/admin;jsessionid=1', '/admin;/x', '/;x/admin', '/x/..;/admin', '/admin%00', '/admin%0d%0a',
  ])('%s', async (path) => {
    const reply = await attempt(() => raw([`GET ${path} HTTP/1.1`, 'Host: basic.example.com']));
    expect([400, 401, 404]).toContain(reply.status);
  });

  // Paths are case-sensitive and Prefix is element-wise: `ADMIN`, `admin%20` are other elements than
  // `admin`, so these reach the open route's pod unchanged; `\` is `/` (WHATWG URL parsing), so
  // `/admin\..\x` is `/x`. (`;params` count for nothing and `%00` is refused: see the list above.)
  it.each(['/ADMIN', '/Admin', '/admin/..', '/adminx', '/%41DMIN', '/admin%20', '/admin\\..\\x'])(
    '%s goes to the open route as what it is, not as /admin',
    async (path) => {
      const [admin, www] = [c.admin.seen.length, c.www.seen.length];
      const reply = await raw([`GET ${path} HTTP/1.1`, 'Host: basic.example.com']);
      expect(reply.status).toBe(200);
      expect(c.admin.seen.length).toBe(admin);
      const seen = c.www.seen.slice(www);
      expect(seen).toHaveLength(1);
      expect(decodeURIComponent(seen[0]!.path).replace(/\/+/g, '/')).not.toMatch(/^\/admin(\/|$)/);
    },
  );

  // An absolute-form target is the request for its own authority (RFC 9112 §3.2.2): edgress dev's
  // front turns it into origin-form with that Host, as Cloudflare's edge does.
  it.each(['http://basic.example.com/admin', 'http://other.example.com/admin', 'HTTP://BASIC.EXAMPLE.COM//admin'])('absolute-form target %s', async (target) => {
    const reply = await attempt(() => raw([`GET ${target} HTTP/1.1`, 'Host: basic.example.com']));
    expect([401, 404]).toContain(reply.status);
  });

  it.each(['BASIC.EXAMPLE.COM', 'basic.example.com.', 'basic.example.com:8080', 'Basic.Example.Com.:80'])('Host %s is the same protected host', async (host) => {
    expect((await attempt(() => raw(['GET /admin HTTP/1.1', `Host: ${host}`]))).status).toBe(401);
  });

  it.each(['HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE', 'PATCH', 'PROPFIND', 'TRACE'])('%s is challenged like GET', async (method) => {
    const reply = await attempt(() => raw([`${method} /admin HTTP/1.1`, 'Host: basic.example.com', 'Content-Length: 0']));
    expect([401, 400, 405]).toContain(reply.status);
  });

  it('a WebSocket upgrade is challenged before it reaches the pod', async () => {
    const reply = await attempt(() =>
      raw(['GET /admin HTTP/1.1', 'Host: basic.example.com', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']),
    );
    expect(reply.status).toBe(401);
  });
});

describe('digest replays and forgeries', () => {
  async function challenge(path: string) {
    return parseChallenge((await get('digest.example.com', path)).headers['www-authenticate']);
  }

  it('one answer gets in once; its replay, and its reuse for another URI or method, do not', async () => {
    const ch = await challenge('/app/a');
    const answer = digestAuthorization(ch, 'digest-user', 'digest-pass', 'GET', '/app/a');
    const before = c.admin.seen.length;
    expect((await get('digest.example.com', '/app/a', { Authorization: answer })).status).toBe(200);
    expect(c.admin.seen.length).toBe(before + 1);
    expect((await attempt(() => get('digest.example.com', '/app/a', { Authorization: answer }))).status).toBe(401);
    const fresh = digestAuthorization(ch, 'digest-user', 'digest-pass', 'GET', '/app/a', 2);
    expect((await attempt(() => get('digest.example.com', '/app/b', { Authorization: fresh }))).status).toBe(401);
    expect((await attempt(() => get('digest.example.com', '/app/a', { Authorization: fresh }, 'DELETE'))).status).toBe(401);
  });

  it('a nonce of our own making, another realm, basic credentials on a digest route: no', async () => {
    const ch = await challenge('/app/a');
    const forged = { ...ch, nonce: `${Math.floor(Date.now() / 1000).toString(16)}.000000000000000000000000.00000000000000000000000000000000` };
    for (const authorization of [
      digestAuthorization(forged, 'digest-user', 'digest-pass', 'GET', '/app/a'),
      digestAuthorization({ ...ch, realm: 'other' }, 'digest-user', 'digest-pass', 'GET', '/app/a'),
      digestAuthorization({ ...ch, opaque: 'x' }, 'digest-user', 'digest-pass', 'GET', '/app/a'),
      basicAuthorization('digest-user', 'digest-pass'),
    ]) {
      expect((await attempt(() => get('digest.example.com', '/app/a', { Authorization: authorization }))).status).toBe(401);
    }
  });
});

describe('spoofed client addresses where they are not trusted', () => {
  it.each([
    ['CF-Connecting-IP', '127.0.0.9'],
    ['cf-connecting-ip', '127.0.0.9'],
    ['CF-CONNECTING-IP', '127.0.0.9'],
    ['CF-Connecting-IPv6', '::1'],
    ['X-Forwarded-For', '127.0.0.9'],
    ['x-forwarded-for', '127.0.0.9, 127.0.0.9'],
    ['X_Forwarded_For', '127.0.0.9'],
    ['X-Real-IP', '127.0.0.9'],
    ['True-Client-IP', '127.0.0.9'],
    ['Forwarded', 'for=127.0.0.9'],
    ['X-Client-IP', '127.0.0.9'],
  ])('%s: %s from 127.0.0.1 gets 403', async (name, value) => {
    const reply = await attempt(() => raw(['GET / HTTP/1.1', 'Host: office.example.com', `${name}: ${value}`]));
    expect(reply.status).toBe(403);
  });

  it('a spoofed CF-Connecting-IP does not count on the route that trusts X-Forwarded-For either', async () => {
    expect((await attempt(() => get('proxy.example.com', '/', { 'CF-Connecting-IP': '203.0.113.5' }))).status).toBe(403);
  });

  it('the listed address still gets in (the check is not simply closed)', async () => {
    const reply: Reply = await request(c.dev.url, '/', { host: 'office.example.com', localAddress: '127.0.0.9' });
    expect(reply.status).toBe(200);
    expect(reply.json<EchoReply>().service).toBe('admin');
  });
});

// SECURITY.md finding 1: the auth server decides on X-Forwarded-Uri, the pod serves its own path;
// both must be the same normalised path, or the auth server's path rules can be walked around.
describe('forward auth sees the path the pod receives', () => {
  it.each([
    ['/public//private', '/public/private'],
    ['/public/%70rivate', '/public/private'],
    ['//public/private', '/public/private'],
    ['/public///private/x?y=1', '/public/private/x?y=1'],
    ['/%70ublic/%70%72ivate', '/public/private'],
    ['/public/x/%2e%2e/private', '/public/private'],
  ])('%s is judged as %s', async (path, judged) => {
    const reply = await attempt(() => raw([`GET ${path} HTTP/1.1`, 'Host: sso.example.com', 'Authorization: Bearer public-only']));
    expect(reply.status).toBe(403);
    expect(c.auth.seen.at(-1)?.headers['x-forwarded-uri']).toBe(judged);
  });

  it('a path the auth server allows reaches the pod as the path the auth server saw', async () => {
    const before = c.admin.seen.length;
    const reply = await raw(['GET /public//%64ocs HTTP/1.1', 'Host: sso.example.com', 'Authorization: Bearer public-only']);
    expect(reply.status).toBe(200);
    expect(c.auth.seen.at(-1)?.headers['x-forwarded-uri']).toBe('/public/docs');
    expect(c.admin.seen.slice(before).map((seen) => seen.url)).toEqual(['/public/docs']);
  });
});

// SECURITY.md finding 3: an allow-list whose value parses to nothing must not open the route.
describe('access annotations whose value parses to nothing', () => {
  it('whitelist-source-range " , " fails closed (403 to everyone, even the loopback addresses)', async () => {
    for (const localAddress of [undefined, '127.0.0.9']) {
      expect((await attempt(() => raw(['GET / HTTP/1.1', 'Host: blank.example.com'], localAddress))).status).toBe(403);
    }
  });
});

// SECURITY.md finding 4: a nonce and its count are good once per realm and user, whatever host of the route.
describe('digest answers across the hosts of one Ingress', () => {
  it('an answer used on one host is refused on the other, in either order', async () => {
    for (const [first, second] of [['digest.example.com', 'digest2.example.com'], ['digest2.example.com', 'digest.example.com']] as const) {
      const ch = parseChallenge((await get(first, '/app/a')).headers['www-authenticate']);
      const answer = digestAuthorization(ch, 'digest-user', 'digest-pass', 'GET', '/app/a');
      expect((await get(first, '/app/a', { Authorization: answer })).status).toBe(200);
      expect((await attempt(() => get(second, '/app/a', { Authorization: answer }))).status).toBe(401);
    }
  });

  it('a captured answer refused on its own host is not accepted on another host', async () => {
    const ch = parseChallenge((await get('digest.example.com', '/app/a')).headers['www-authenticate']);
    const answer = digestAuthorization(ch, 'digest-user', 'digest-pass', 'GET', '/app/a', 5);
    expect((await get('digest.example.com', '/app/a', { Authorization: answer })).status).toBe(200);
    expect((await attempt(() => get('digest.example.com', '/app/a', { Authorization: answer }))).status).toBe(401);
    expect((await attempt(() => get('digest2.example.com', '/app/a', { Authorization: answer }))).status).toBe(401);
    // A larger count of the same nonce still works (the check is not simply closed).
    const next = digestAuthorization(ch, 'digest-user', 'digest-pass', 'GET', '/app/a', 6);
    expect((await get('digest2.example.com', '/app/a', { Authorization: next })).status).toBe(200);
  });
});

// SECURITY.md finding 6: headers some frameworks (Symfony, Laravel, IIS, Zend) route by.
describe('URL-override headers', () => {
  const OVERRIDES = ['X-Original-URL', 'X-Rewrite-URL', 'x-original-url', 'X_Original_URL', 'X_Rewrite_URL', 'X-ORIGINAL-URL', 'X-Original_URL'];

  it('never reach the pod, in any spelling', async () => {
    const before = c.www.seen.length;
    const reply = await raw(['GET /x HTTP/1.1', 'Host: basic.example.com', ...OVERRIDES.map((name) => `${name}: /admin`)]);
    expect(reply.status).toBe(200);
    const headers = c.www.seen.slice(before)[0]?.headers ?? {};
    expect(Object.keys(headers).filter((name) => /original|rewrite/i.test(name))).toEqual([]);
  });

  it('reach the pod of a route that opts out with pass-original-url-headers', async () => {
    const before = c.www.seen.length;
    const reply = await raw(['GET /legacy HTTP/1.1', 'Host: basic.example.com', 'X-Original-URL: /legacy/page', 'X-Rewrite-URL: /legacy/other']);
    expect(reply.status).toBe(200);
    const headers = c.www.seen.slice(before)[0]?.headers ?? {};
    expect(headers).toMatchObject({ 'x-original-url': '/legacy/page', 'x-rewrite-url': '/legacy/other' });
  });
});
