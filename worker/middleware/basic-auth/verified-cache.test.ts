import { describe, expect, it } from 'vitest';
import { AUTH_LIMITS } from '../auth/limits.ts';
import { VerifiedCache } from './verified-cache.ts';

const password = new TextEncoder().encode('bcrypt-pass');
const HASH = '$2y$05$xs4jV8O3rAj4NpcyEget6Oa8NhOXx6YE0HAvfE/xq6/l/FvvzVvQa';

describe('VerifiedCache', () => {
  it('remembers a success for the same user, stored hash and password only', async () => {
    const cache = new VerifiedCache();
    expect(await cache.has('u', HASH, password, 0)).toBe(false);
    await cache.remember('u', HASH, password, 0);
    expect(await cache.has('u', HASH, password, 1)).toBe(true);
    expect(await cache.has('v', HASH, password, 1)).toBe(false);
    expect(await cache.has('u', `${HASH.slice(0, -1)}b`, password, 1)).toBe(false);
    expect(await cache.has('u', HASH, new TextEncoder().encode('bcrypt-pasS'), 1)).toBe(false);
  });

  it('does not confuse where the user ends and the hash begins', async () => {
    const cache = new VerifiedCache();
    await cache.remember('ab', 'c', password, 0);
    expect(await cache.has('a', 'bc', password, 0)).toBe(false);
  });

  it('forgets after the lifetime and beyond the size limit, oldest first', async () => {
    const cache = new VerifiedCache();
    await cache.remember('u', HASH, password, 0);
    expect(await cache.has('u', HASH, password, AUTH_LIMITS.verifiedLifetimeMs)).toBe(false);
    await cache.remember('first', HASH, password, 0);
    for (let i = 0; i < AUTH_LIMITS.verifiedEntries; i++) await cache.remember(`user-${i}`, HASH, password, 0);
    expect(await cache.has('first', HASH, password, 1)).toBe(false);
    expect(await cache.has(`user-${AUTH_LIMITS.verifiedEntries - 1}`, HASH, password, 1)).toBe(true);
  });
});
