// basic-auth inside workerd, with htpasswd lines made by the standard tools
// (test/fixtures/auth): every hash kind lets its user in with the right
// password and nobody in with anything else.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import { BASIC_USERS, basicAuthorization, htpasswdUsers, PASSWORDS } from '../fixtures/auth/credentials.ts';
import { echoOf, echoPool, publish, send } from './helpers.ts';
import { router, table } from '../table-builders.ts';

const middlewares: Record<string, Middleware> = {
  basic: { kind: 'basic-auth', secret: 'test/htpasswd', removeHeader: false, headerField: 'X-WebAuth-User', users: htpasswdUsers() },
  removing: { kind: 'basic-auth', secret: 'test/htpasswd', removeHeader: true, users: htpasswdUsers() },
  strip: { kind: 'strip-prefix', prefix: '/admin' },
};

beforeAll(async () => {
  await publish(
    table({
      routers: [
        router('shop.example.com', '/admin', 'web', { middlewares: ['strip', 'basic'] }),
        router('shop.example.com', '/private', 'web', { middlewares: ['removing'] }),
        router('shop.example.com', '/', 'web'),
      ],
      middlewares,
      services: { web: echoPool('a') },
    }),
  );
});

const get = (path: string, headers: Record<string, string> = {}) => send(`http://shop.example.com${path}`, { headers });

async function expectChallenge(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Basic realm="traefik"');
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(await response.text()).toBe('401 Unauthorized\n');
}

describe('every hash kind', () => {
  it.each(BASIC_USERS)('lets %s in with its password and says who it is', async (user) => {
    const echo = await echoOf(await get('/admin/page', { Authorization: basicAuthorization(user, PASSWORDS[user]) }));
    expect(echo.url).toBe('/page');
    expect(echo.headers['x-webauth-user']).toBe(user);
    expect(echo.headers['authorization']).toBe(basicAuthorization(user, PASSWORDS[user]));
  });

  it.each(BASIC_USERS)('refuses %s with a wrong, truncated or extended password', async (user) => {
    const password = PASSWORDS[user];
    for (const wrong of ['', password.slice(0, -1), `${password}x`, password.toUpperCase(), ` ${password}`]) {
      await expectChallenge(await get('/admin', { Authorization: basicAuthorization(user, wrong) }));
    }
  });

  it('refuses a password that is right for another user', async () => {
    await expectChallenge(await get('/admin', { Authorization: basicAuthorization('apr1-user', PASSWORDS['sha-user']) }));
  });

  it('lets the same bcrypt user in again (the verification is remembered, the answer the same)', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await echoOf(await get('/admin', { Authorization: basicAuthorization('bcrypt-user', 'bcrypt-pass') }))).name).toBe('a');
    }
    await expectChallenge(await get('/admin', { Authorization: basicAuthorization('bcrypt-user', 'bcrypt-pass ') }));
  });
});

describe('the Authorization header', () => {
  it('is required', async () => {
    await expectChallenge(await get('/admin'));
  });

  it.each([
    ['unknown user', basicAuthorization('nobody', 'apr1-pass')],
    ['user in another case', basicAuthorization('APR1-USER', 'apr1-pass')],
    ['lower-case scheme', basicAuthorization('apr1-user', 'apr1-pass').replace('Basic', 'basic')],
    ['no space', basicAuthorization('apr1-user', 'apr1-pass').replace('Basic ', 'Basic')],
    ['two spaces', basicAuthorization('apr1-user', 'apr1-pass').replace('Basic ', 'Basic  ')],
    ['other scheme', basicAuthorization('apr1-user', 'apr1-pass').replace('Basic', 'Bearer')],
    ['no colon', `Basic ${btoa('apr1-user')}`],
    ['unpadded base64', `Basic ${btoa('apr1-user:apr1-pass').replace(/=+$/, '')}`],
    ['URL-safe base64', `Basic ${btoa('apr1-user:apr1-pass??').replace(/\+/g, '-').replace(/\//g, '_')}`],
    ['truncated base64', basicAuthorization('apr1-user', 'apr1-pass').slice(0, -2)],
    ['trailing garbage', `${basicAuthorization('apr1-user', 'apr1-pass')} x`],
    ['two credentials', `${basicAuthorization('apr1-user', 'apr1-pass')}, ${basicAuthorization('apr1-user', 'apr1-pass')}`],
    ['plain text', 'Basic apr1-user:apr1-pass'],
    ['empty credentials', 'Basic '],
    ['NUL in user', basicAuthorization('apr1-user\u0000', 'apr1-pass')],
    ['oversized', basicAuthorization('apr1-user', 'x'.repeat(5000))],
  ])('is refused when it is malformed: %s', async (_, authorization) => {
    await expectChallenge(await get('/admin', { Authorization: authorization }));
  });

  it('accepts a password containing ":" and UTF-8', async () => {
    expect((await echoOf(await get('/admin', { Authorization: basicAuthorization('colon-user', 'pa:ss wörd') }))).name).toBe('a');
  });

  it('is removed before the pod with auth-remove-header', async () => {
    const echo = await echoOf(await get('/private', { Authorization: basicAuthorization('sha-user', 'sha-pass') }));
    expect(echo.headers['authorization']).toBeUndefined();
  });
});

describe('the identity header', () => {
  /** The pod's view of a request by sha-user that also claims to be root under `spellings`. */
  const claimingRoot = async (...spellings: string[]) =>
    echoOf(
      await send('http://shop.example.com/admin', {
        headers: [...spellings.map((name): [string, string] => [name, 'root']), ['Authorization', basicAuthorization('sha-user', 'sha-pass')]],
      }),
    );

  it('replaces a client copy in any letter case', async () => {
    expect((await claimingRoot('x-webauth-user', 'X-WEBAUTH-USER')).headers['x-webauth-user']).toBe('sha-user');
  });

  it('replaces look-alikes too: `_` for `-` reaches CGI-style servers as the same variable', async () => {
    const echo = await claimingRoot('X_WebAuth_User', 'x-webauth_user');
    expect(echo.headers['x-webauth-user']).toBe('sha-user');
    expect(Object.keys(echo.headers).filter((name) => name.replaceAll('_', '-') === 'x-webauth-user')).toEqual(['x-webauth-user']);
  });

  it('cannot be smuggled past a failed check', async () => {
    await expectChallenge(await get('/admin', { 'X-WebAuth-User': 'sha-user', Authorization: basicAuthorization('sha-user', 'nope') }));
  });
});
