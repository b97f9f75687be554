import { describe, expect, it } from 'vitest';
import { HTPASSWD } from '../../../test/fixtures/auth/credentials.ts';
import { md5CryptHash } from './md5-crypt.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('md5CryptHash', () => {
  it('reproduces the $apr1$ and $1$ lines htpasswd and openssl wrote', () => {
    const line = (user: string) => HTPASSWD.split('\n').find((l) => l.startsWith(`${user}:`))?.split(':')[1] ?? '';
    for (const [user, password, magic] of [
      ['apr1-user', 'apr1-pass', '$apr1$'],
      ['colon-user', 'pa:ss wörd', '$apr1$'],
      ['md5crypt-user', 'md5crypt-pass', '$1$'],
    ] as const) {
      const [salt = '', hash = ''] = line(user).slice(magic.length).split('$');
      expect(md5CryptHash(bytes(password), salt, magic)).toBe(hash);
    }
  });

  it('matches `openssl passwd` for an empty salt, an empty password and a long password', () => {
    // openssl passwd -1 -salt '' ''; openssl passwd -apr1 -salt abcdefgh <60 x "a">
    expect(md5CryptHash(bytes(''), '', '$1$')).toBe('qRPK7m23GJusamGpoGLby/');
    expect(md5CryptHash(bytes('a'.repeat(60)), 'abcdefgh', '$apr1$')).toBe(OPENSSL_LONG);
  });

  it('depends on the magic, the salt and every byte of the password', () => {
    const base = md5CryptHash(bytes('apr1-pass'), 'rE2qK0Wq', '$apr1$');
    expect(md5CryptHash(bytes('apr1-pass'), 'rE2qK0Wq', '$1$')).not.toBe(base);
    expect(md5CryptHash(bytes('apr1-pass'), 'rE2qK0Wr', '$apr1$')).not.toBe(base);
    expect(md5CryptHash(bytes('apr1-pasS'), 'rE2qK0Wq', '$apr1$')).not.toBe(base);
  });
});

const OPENSSL_LONG = '7pRVY3Nw4yGOnzp0LRPbw/';
