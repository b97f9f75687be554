import { describe, expect, it } from 'vitest';
import type { MiddlewareOf } from '../../../src/table/middleware.ts';
import { echoOf, expectEdgeText, publishThrough, send, THROUGH_HOST } from '../../../test/worker/helpers.ts';

type SecurityHeaders = MiddlewareOf<'security-headers'>;

const securityHeaders = (extra: Partial<SecurityHeaders>): SecurityHeaders => ({
  kind: 'security-headers',
  hostHeaders: [],
  sslProxyHeaders: [],
  sslRedirect: false,
  sslForceHost: false,
  sslRedirectStatus: 301,
  responseHeaders: [],
  secureResponseHeaders: [],
  ...extra,
});

describe('security-headers', () => {
  it('sets its headers on pod responses, HSTS on secure requests only', async () => {
    await publishThrough({ secure: securityHeaders({ responseHeaders: [['X-Frame-Options', 'DENY']], secureResponseHeaders: [['Strict-Transport-Security', 'max-age=600']] }) });
    const plain = await send(`http://${THROUGH_HOST}/`);
    expect(plain.headers.get('x-frame-options')).toBe('DENY');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect((await echoOf(plain)).url).toBe('/');
    const secure = await send(`https://${THROUGH_HOST}/`);
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=600');
  });

  it('redirects plain requests to https with ssl-redirect', async () => {
    await publishThrough({ secure: securityHeaders({ sslRedirect: true }) });
    const response = await send(`http://${THROUGH_HOST}/a?b=1`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(`https://${THROUGH_HOST}/a?b=1`);
  });

  it('refuses a host outside allowed-hosts, as Traefik did', async () => {
    await publishThrough({ secure: securityHeaders({ allowedHosts: ['other.example.com'] }) });
    const response = await send(`http://${THROUGH_HOST}/`);
    expect(response.status).toBe(500);
    expect(response.headers.get('x-echo-name')).toBeNull();
  });
});
