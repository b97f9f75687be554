import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../api.ts';
import { DiagnosticSink } from '../diagnostics.ts';
import { defaultCookieName, readServiceTraffic, sanitizeCookieName } from './service.ts';
import { sha1Hex } from './sha1.ts';

const read = (annotations: Record<string, string>) => {
  const sink = new DiagnosticSink();
  const traffic = readServiceTraffic(annotations, sink.about({ kind: 'Service', namespace: 'ns', name: 'svc' }));
  return { traffic, diagnostics: sink.list as Diagnostic[] };
};

describe('sticky cookie names', () => {
  it('derives the default name as Traefik did', () => {
    expect(defaultCookieName('foo/bar')).toBe('_3779b');
  });

  it('replaces every non-token character with _', () => {
    expect(sanitizeCookieName('my cookie;v=1')).toBe('my_cookie_v_1');
    expect(sanitizeCookieName("a!#$%&'*+-.^_`|~z")).toBe("a!#$%&'*+-.^_`|~z");
    expect(sanitizeCookieName('é')).toBe('_');
  });

  it('property: sha1Hex matches node:crypto', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => sha1Hex(text) === createHash('sha1').update(text).digest('hex')));
  });
});

describe('readServiceTraffic', () => {
  it('is plain smooth WRR without annotations', () => {
    const { traffic, diagnostics } = read({});
    expect(traffic.balancer('ns/svc:80')).toBeUndefined();
    expect(traffic.middlewares).toEqual([]);
    expect(diagnostics).toEqual([]);
  });

  it('reads drr only when spelled exactly drr', () => {
    expect(read({ 'ingress.kubernetes.io/load-balancer-method': 'drr' }).traffic.balancer('p')).toEqual({ method: 'drr' });
    const upper = read({ 'traefik.backend.loadbalancer.method': 'DRR' });
    expect(upper.traffic.balancer('p')).toBeUndefined();
    expect(upper.diagnostics[0]?.field).toBe('traefik.backend.loadbalancer.method');
  });

  it('names the cookie after the backend unless session-cookie-name says otherwise', () => {
    expect(read({ 'ingress.kubernetes.io/affinity': 'true' }).traffic.balancer('foo/bar')).toEqual({
      method: 'wrr', sticky: { cookie: '_3779b', secure: false, httpOnly: false },
    });
    const named = read({ 'traefik.backend.loadbalancer.stickiness': 'true', 'traefik.backend.loadbalancer.stickiness.cookieName': 'a b', 'ingress.kubernetes.io/session-same-site': 'strict' });
    expect(named.traffic.sticky('x')).toEqual({ cookie: 'a_b', secure: false, httpOnly: false, sameSite: 'strict' });
  });

  it('honours the deprecated sticky label with its fixed cookie name', () => {
    const { traffic, diagnostics } = read({ 'traefik.backend.loadbalancer.sticky': 'true' });
    expect(traffic.sticky('x')?.cookie).toBe('_TRAEFIK_BACKEND');
    expect(diagnostics.map((d) => d.code)).toEqual(['DeprecatedAnnotation']);
  });

  it('makes the routes fail closed for an invalid limit, not for an invalid breaker', () => {
    const limits = read({ 'ingress.kubernetes.io/max-conn-amount': 'ten', 'ingress.kubernetes.io/max-conn-extractor-func': 'client.ip' });
    expect(limits.traffic.middlewares).toEqual([{ kind: 'deny', status: 404, reason: 'invalid ingress.kubernetes.io/max-conn-amount' }]);
    const breaker = read({ 'ingress.kubernetes.io/circuit-breaker-expression': 'NetworkErrorRatio() >>' });
    expect(breaker.traffic.middlewares).toEqual([]);
    expect(breaker.diagnostics.map((d) => d.severity)).toEqual(['error']);
  });

  it('leaves max-conn off for amount 0 or empty', () => {
    expect(read({ 'ingress.kubernetes.io/max-conn-amount': '0', 'ingress.kubernetes.io/max-conn-extractor-func': 'x' }).traffic.middlewares).toEqual([]);
    expect(read({ 'ingress.kubernetes.io/max-conn-amount': '3', 'ingress.kubernetes.io/max-conn-extractor-func': 'request.header.X-User' }).traffic.middlewares).toEqual([
      { kind: 'max-conn', amount: 3, extractor: { type: 'request.header', name: 'X-User' } },
    ]);
  });
});
