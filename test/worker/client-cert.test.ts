// pass-tls-client-cert inside workerd: the facts of request.cf.tlsClientAuth
// reach the pod in Traefik's headers; client copies never do.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Middleware } from '../../src/table/schema.ts';
import worker from '../../worker/index.ts';
import { CERT_WITH_SANS } from '../fixtures/client-certificates.ts';
import { echoOf, echoPool, publish } from './helpers.ts';
import { router, table } from '../table-builders.ts';
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

const middlewares: Record<string, Middleware> = {
  certs: {
    kind: 'pass-tls-client-cert',
    pem: true,
    infos: { notBefore: true, notAfter: true, sans: true, subject: ['C', 'O', 'CN'], issuer: ['CN'] },
  },
};

const VERIFIED = {
  certPresented: '1',
  certVerified: 'SUCCESS',
  certRevoked: '0',
  certSubjectDNRFC2253: 'CN=alice,O=Example,C=US',
  certIssuerDNRFC2253: 'CN=Example CA,O=Example,C=US',
  certNotBefore: 'Jan  1 00:00:00 2025 GMT',
  certNotAfter: 'Jan  1 00:00:00 2026 GMT',
  certRFC9440: `:${CERT_WITH_SANS}:`,
  certChainRFC9440: '',
};

beforeAll(async () => {
  await publish(table({ routers: [router('mtls.example.com', '/', 'web', { middlewares: ['certs'] })], middlewares, services: { web: echoPool('a') } }));
});

/** Sends a request carrying `cf` as the platform would set it. */
async function sendWithCf(tlsClientAuth: Record<string, string>, headers: Record<string, string> = {}) {
  const request = new Request('https://mtls.example.com/', { headers, cf: { tlsClientAuth } });
  return echoOf(await worker.fetch(request, env, createExecutionContext()));
}

describe('pass-tls-client-cert', () => {
  it('describes a verified client certificate in Traefik\'s headers', async () => {
    const echo = await sendWithCf(VERIFIED);
    expect(echo.headers['x-forwarded-tls-client-cert']).toBe(encodeURIComponent(CERT_WITH_SANS));
    expect(decodeURIComponent(echo.headers['x-forwarded-tls-client-cert-infos']?.replace(/\+/g, ' ') ?? '')).toBe(
      'Subject="C=US,O=Example,CN=alice",Issuer="CN=Example CA",NB=1735689600,NA=1767225600,' +
        'SAN=alice.example.com,*.example.org,alice@example.com,10.0.1.2,2001:db8::1,spiffe://example/alice',
    );
  });

  it.each([
    ['no certificate', { certPresented: '0', certVerified: 'NONE', certRevoked: '0' }],
    ['a certificate that failed verification', { ...VERIFIED, certVerified: 'FAILED:self signed certificate' }],
    ['a revoked certificate', { ...VERIFIED, certRevoked: '1' }],
  ])('sends nothing for %s, and never the client\'s copies', async (_, facts) => {
    const echo = await sendWithCf(facts, { 'X-Forwarded-Tls-Client-Cert': 'forged', 'x-forwarded-tls-client-cert-infos': 'Subject="CN=admin"' });
    expect(echo.headers['x-forwarded-tls-client-cert']).toBeUndefined();
    expect(echo.headers['x-forwarded-tls-client-cert-infos']).toBeUndefined();
  });
});
