// digest-auth inside workerd: a client that follows RFC 7616 (MD5, qop=auth)
// with the htdigest fixture gets in; replays, other URIs, other algorithms,
// a wrong opaque or password, forged nonces do not.
import { md5 } from '@noble/hashes/legacy.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { HTDIGEST } from '../fixtures/auth/credentials.ts';
import { echoOf, echoPool, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const users = HTDIGEST.trim().split('\n').map((line) => {
  const [user = '', , ha1 = ''] = line.split(':');
  return { user, ha1 };
});

const middlewares: Record<string, Middleware> = {
  digest: { kind: 'digest-auth', secret: 'test/htdigest', removeHeader: true, headerField: 'X-Digest-User', users },
  strip: { kind: 'strip-prefix', prefix: '/app' },
};

beforeAll(async () => {
  await publish(
    table({
      routers: [
        router('shop.example.com', '/app', 'web', { middlewares: ['strip', 'digest'] }),
        router('shop.example.com', '/', 'web'),
        // Another host of the same rule set (SECURITY.md, findings and fixes): the same users, so the same nonces.
        router('mirror.example.com', '/app', 'web', { middlewares: ['strip', 'digest'] }),
      ],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

const hex = (text: string) => Array.from(md5(new TextEncoder().encode(text)), (b) => b.toString(16).padStart(2, '0')).join('');

interface Challenge {
  readonly nonce: string;
  readonly opaque: string;
  readonly header: string;
}

async function challenge(path = '/app/page'): Promise<Challenge> {
  const response = await send(`http://shop.example.com${path}`);
  expect(response.status).toBe(401);
  expect(await response.text()).toBe('401 Unauthorized\n');
  const header = response.headers.get('www-authenticate') ?? '';
  const param = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(header)?.[1] ?? '';
  return { nonce: param('nonce'), opaque: param('opaque'), header };
}

interface Answer {
  user?: string;
  password?: string;
  method?: string;
  uri?: string;
  nc?: string;
  extra?: string;
  override?: Record<string, string>;
}

function authorization(c: Challenge, answer: Answer = {}): string {
  const { user = 'digest-user', password = 'digest-pass', method = 'GET', uri = '/app/page', nc = '00000001' } = answer;
  const cnonce = 'c0ffee';
  const ha1 = hex(`${user}:traefik:${password}`);
  const response = hex(`${ha1}:${c.nonce}:${nc}:${cnonce}:auth:${hex(`${method}:${uri}`)}`);
  const params: Record<string, string> = {
    username: `"${user}"`, realm: '"traefik"', nonce: `"${c.nonce}"`, uri: `"${uri}"`, algorithm: 'MD5',
    qop: 'auth', nc, cnonce: `"${cnonce}"`, response: `"${response}"`, opaque: `"${c.opaque}"`, ...answer.override,
  };
  return `Digest ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')}${answer.extra ?? ''}`;
}

const get = (path: string, auth: string, init: RequestInit = {}) =>
  send(`http://shop.example.com${path}`, { ...init, headers: { Authorization: auth, 'X-Digest-User': 'root' } });

async function expect401(response: Response): Promise<string> {
  expect(response.status).toBe(401);
  await response.body?.cancel();
  return response.headers.get('www-authenticate') ?? '';
}

describe('the challenge', () => {
  it('is Traefik’s: realm traefik, a nonce, an opaque, MD5, qop auth', async () => {
    const c = await challenge();
    expect(c.header).toMatch(/^Digest realm="traefik", nonce="[0-9a-f]+\.[0-9a-f]{24}\.[0-9a-f]{32}", opaque="[0-9a-f]{32}", algorithm="MD5", qop="auth"$/);
    expect((await challenge()).nonce).not.toBe(c.nonce);
    expect((await challenge()).opaque).toBe(c.opaque);
  });
});

describe('a client that answers it', () => {
  it('gets in, the user goes upstream, Authorization does not (auth-remove-header)', async () => {
    const c = await challenge();
    const echo = await echoOf(await get('/app/page', authorization(c)));
    expect(echo.url).toBe('/page');
    expect(echo.headers['x-digest-user']).toBe('digest-user');
    expect(echo.headers['authorization']).toBeUndefined();
  });

  it('may reuse the nonce with a growing nc, never with the same or a smaller one', async () => {
    const c = await challenge();
    expect((await get('/app/page', authorization(c, { nc: '00000001' }))).status).toBe(200);
    expect((await get('/app/page', authorization(c, { nc: '00000002' }))).status).toBe(200);
    await expect401(await get('/app/page', authorization(c, { nc: '00000002' })));
    await expect401(await get('/app/page', authorization(c, { nc: '00000001' })));
    expect((await get('/app/page', authorization(c, { nc: '0000000a' }))).status).toBe(200);
  });

  it('signs the URI the client sent, not the stripped one, query included', async () => {
    const c = await challenge('/app/page?x=1');
    expect((await get('/app/page?x=1', authorization(c, { uri: '/app/page?x=1' }))).status).toBe(200);
  });

  it('signs the method', async () => {
    const c = await challenge();
    expect((await get('/app/page', authorization(c, { method: 'DELETE' }), { method: 'DELETE' })).status).toBe(200);
    await expect401(await get('/app/page', authorization(c, { method: 'GET', nc: '00000002' }), { method: 'DELETE' }));
  });
});

describe('one nonce count for every host (SECURITY.md, findings and fixes)', () => {
  const on = (host: string, auth: string) => send(`http://${host}.example.com/app/page`, { headers: { Authorization: auth } });

  it('an answer accepted on one host is a replay on the other', async () => {
    const c = await challenge();
    expect((await on('shop', authorization(c))).status).toBe(200);
    await expect401(await on('mirror', authorization(c)));
    expect((await on('mirror', authorization(c, { nc: '00000002' }))).status).toBe(200);
    await expect401(await on('shop', authorization(c, { nc: '00000002' })));
  });

  it('an answer refused as a replay on its host is refused on every other', async () => {
    const c = await challenge();
    const answer = authorization(c, { nc: '00000003' });
    expect((await on('mirror', answer)).status).toBe(200);
    await expect401(await on('mirror', answer));
    await expect401(await on('shop', answer));
  });
});

describe('the uri of a path the edge normalises (SECURITY.md, findings and fixes)', () => {
  it('is compared in its normalised form, as the client hashed it', async () => {
    const c = await challenge();
    expect((await get('//app//%70age', authorization(c, { uri: '//app//%70age' }))).status).toBe(200);
    expect((await get('//app//%70age', authorization(c, { uri: '/app/page', nc: '00000002' }))).status).toBe(200);
    await expect401(await get('//app//%70age', authorization(c, { uri: '/app/other', nc: '00000003' })));
  });
});

describe('no way in', () => {
  it.each<[string, Answer]>([
    ['wrong password', { password: 'digest-pas' }],
    ['another user’s password', { user: 'other-user' }],
    ['unknown user', { user: 'nobody' }],
    ['another path', { uri: '/app/other' }],
    ['the stripped path', { uri: '/page' }],
    ['a prefix of the path', { uri: '/app' }],
    ['SHA-256', { override: { algorithm: 'SHA-256' } }],
    ['md5 in lower case', { override: { algorithm: 'md5' } }],
    ['MD5-sess', { override: { algorithm: 'MD5-sess' } }],
    ['qop auth-int', { override: { qop: 'auth-int' } }],
    ['no qop (RFC 2069)', { override: { qop: '' } }],
    ['wrong opaque', { override: { opaque: '"0123456789abcdef0123456789abcdef"' } }],
    ['no opaque', { override: { opaque: '""' } }],
    ['a made-up nonce', { override: { nonce: '"1.2.3"' } }],
    ['a response in upper case', { override: {} }],
    ['a repeated parameter', { extra: ', username="other-user"' }],
    ['non-hex nc', { nc: '0000000g' }],
  ])('%s', async (what, answer) => {
    const c = await challenge();
    let header = authorization(c, answer);
    if (what === 'a response in upper case') header = header.replace(/response="([0-9a-f]+)"/, (_, r: string) => `response="${r.toUpperCase()}"`);
    if (what === 'no qop (RFC 2069)') header = header.replace(', qop=', '');
    await expect401(await get('/app/page', header));
  });

  it('with a nonce whose MAC does not match, even if the response is computed over it', async () => {
    const c = await challenge();
    const [stamp, random, mac = ''] = c.nonce.split('.');
    const forged = { ...c, nonce: `${stamp}.${random}.${mac.slice(0, -1)}${mac.endsWith('0') ? '1' : '0'}` };
    await expect401(await get('/app/page', authorization(forged)));
  });

  it.each([
    ['basic credentials', 'Basic ZGlnZXN0LXVzZXI6ZGlnZXN0LXBhc3M='],
    ['lower-case scheme', 'digest username="digest-user"'],
    ['unterminated quote', 'Digest username="digest-user'],
    ['garbage', 'Digest ,,,==='],
    ['oversized', `Digest username="${'x'.repeat(5000)}"`],
    ['too many parameters', `Digest ${Array.from({ length: 20 }, (_, i) => `p${i}=1`).join(', ')}`],
  ])('with a malformed header: %s', async (_, header) => {
    await expect401(await get('/app/page', header));
  });
});
