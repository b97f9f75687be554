import { describe, expect, it } from 'vitest';
import { AUTH_LIMITS } from '../auth/limits.ts';
import { NonceCounts, NonceIssuer, nonceExpiry } from './nonces.ts';

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
  const LATER = NOW + 60_000;

  it('wants a larger nc every time, per key', () => {
    const counts = new NonceCounts();
    expect(counts.advance('n1', 1, LATER, NOW)).toBe(true);
    expect(counts.advance('n1', 1, LATER, NOW)).toBe(false);
    expect(counts.advance('n1', 0, LATER, NOW)).toBe(false);
    expect(counts.advance('n1', 2, LATER, NOW)).toBe(true);
    expect(counts.advance('n2', 1, LATER, NOW)).toBe(true);
  });

  it('never forgets a live count to make room: a full store refuses new keys until counts expire (SECURITY.md, findings and fixes)', () => {
    const counts = new NonceCounts(2);
    expect(counts.advance('a', 1, LATER, NOW)).toBe(true);
    expect(counts.advance('b', 1, LATER, NOW)).toBe(true);
    expect(counts.advance('c', 1, LATER, NOW)).toBe(false);
    // A replay of a remembered one is still refused, its next count still accepted.
    expect(counts.advance('a', 1, LATER, NOW)).toBe(false);
    expect(counts.advance('a', 2, LATER, NOW)).toBe(true);
    const afterExpiry = LATER + (AUTH_LIMITS.nonceClockSkewSeconds + 1) * 1000;
    expect(counts.advance('c', 1, afterExpiry + 60_000, afterExpiry)).toBe(true);
  });

  it('nonceExpiry is the issue time plus the lifetime', async () => {
    const nonce = await new NonceIssuer('users-a').issue(NOW);
    expect(nonceExpiry(nonce)).toBe(Math.floor(NOW / 1000) * 1000 + AUTH_LIMITS.nonceLifetimeSeconds * 1000);
  });
});
