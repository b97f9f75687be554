import { describe, expect, it } from 'vitest';
import { annotationName } from './catalog.ts';
import { lookupAnnotation } from './lookup.ts';

describe('lookupAnnotation', () => {
  it('reads ingress.kubernetes.io/ first', () => {
    const annotations = { 'traefik.ingress.kubernetes.io/priority': '2', 'ingress.kubernetes.io/priority': '1', 'traefik.frontend.priority': '3' };
    expect(lookupAnnotation(annotations, 'priority')).toEqual({ key: 'ingress.kubernetes.io/priority', value: '1' });
  });
  it('falls back to traefik.ingress.kubernetes.io/', () => {
    expect(lookupAnnotation({ 'traefik.ingress.kubernetes.io/rule-type': 'Path' }, 'rule-type')).toEqual({
      key: 'traefik.ingress.kubernetes.io/rule-type',
      value: 'Path',
    });
  });
  it('falls back to the legacy label', () => {
    expect(lookupAnnotation({ 'traefik.frontend.rule.type': 'PathStrip' }, 'rule-type')).toEqual({
      key: 'traefik.frontend.rule.type',
      value: 'PathStrip',
    });
  });
  it('lets the first key present win even when empty', () => {
    const annotations = { 'ingress.kubernetes.io/preserve-host': '', 'traefik.frontend.passHostHeader': 'false' };
    expect(lookupAnnotation(annotations, 'preserve-host')).toEqual({ key: 'ingress.kubernetes.io/preserve-host', value: '' });
  });
  it('has no legacy label for most names', () => {
    expect(lookupAnnotation({ 'traefik.frontend.protocol': 'h2c' }, 'protocol')).toBeUndefined();
  });
  it('ignores inherited properties', () => {
    expect(lookupAnnotation({}, 'constructor')).toBeUndefined();
    expect(lookupAnnotation(Object.create({ 'ingress.kubernetes.io/priority': '1' }) as Record<string, string>, 'priority')).toBeUndefined();
  });
});

describe('annotationName', () => {
  it.each([
    ['ingress.kubernetes.io/priority', 'priority'],
    ['traefik.ingress.kubernetes.io/rate-limit', 'rate-limit'],
    ['traefik.frontend.rule.type', 'rule-type'],
    ['traefik.backend.loadbalancer.stickiness.cookieName', 'session-cookie-name'],
    ['nginx.ingress.kubernetes.io/rewrite-target', undefined],
    ['kubernetes.io/ingress.class', undefined],
  ])('%s → %s', (key, name) => expect(annotationName(key)).toBe(name));
});
