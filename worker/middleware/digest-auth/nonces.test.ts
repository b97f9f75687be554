import { describe, expect, it } from 'vitest';
import { AUTH_LIMITS } from '../auth/limits.ts';
import { NonceCounts, NonceIssuer } from './nonces.ts';

const NOW = 1_800_000_000_000;

describe('NonceIssuer', () => {
  it('accepts its own nonces within the lifetime, in any isolate with the same users', async () => {
    const nonce = await new NonceIssuer('users-a').issue(NOW);
    const elsewhere = new NonceIssuer('users-a');
    expect(await elsewhere.check(nonce, NOW)).toBe('valid');
    expect(await elsewhere.check(nonce, NOW + AUTH_LIMITS.nonceLifetimeSeconds * 1000)).toBe('valid');
    expect(await elsewhere.opaque()).toBe(await new NonceIssuer('users-a').opaque());
  });

  it('calls an expired nonce stale', async () => {
    const issuer = new NonceIssuer('users-a');
    expect(await issuer.check(await issuer.issue(NOW), NOW + (AUTH_LIMITS.nonceLifetimeSeconds + 1) * 1000)).toBe('stale');
  });

  it('refuses nonces from the future, of other users, and tampered ones', async () => {
    const issuer = new NonceIssuer('users-a');
    const nonce = await issuer.issue(NOW);
    expect(await issuer.check(nonce, NOW - (AUTH_LIMITS.nonceClockSkewSeconds + 1) * 1000)).toBe('invalid');
    expect(await new NonceIssuer('users-b').check(nonce, NOW)).toBe('invalid');
    const [stamp = '', random = '', mac = ''] = nonce.split('.');
    const later = (Number.parseInt(stamp, 16) + 100).toString(16);
    expect(await issuer.check(`${later}.${random}.${mac}`, NOW)).toBe('invalid');
    for (const bad of ['', 'a.b', 'a.b.c.d', `${stamp}.${random}.`, `zz.${random}.${mac}`]) expect(await issuer.check(bad, NOW)).toBe('invalid');
  });
});

describe('NonceCounts', () => {
  it('wants a larger nc every time, per nonce', () => {
    const counts = new NonceCounts();
    expect(counts.advance('n1', 1)).toBe(true);
    expect(counts.advance('n1', 1)).toBe(false);
    expect(counts.advance('n1', 0)).toBe(false);
    expect(counts.advance('n1', 2)).toBe(true);
    expect(counts.advance('n2', 1)).toBe(true);
  });
});
