import { describe, expect, it } from 'vitest';
import { ReferenceGrants } from './grants.ts';
import { GATEWAY_GROUP, type GatewayObject } from './objects.ts';

const grant = (namespace: string, spec: Record<string, unknown>): GatewayObject => ({
  kind: 'ReferenceGrant', namespace, name: 'g', key: `${namespace}/g`, ref: { kind: 'ReferenceGrant', namespace, name: 'g' },
  created: undefined, generation: undefined, spec,
});
const route = (namespace: string) => ({ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace });
const service = (namespace: string, name: string) => ({ group: '', kind: 'Service', namespace, name });

describe('ReferenceGrants', () => {
  const grants = new ReferenceGrants([
    grant('backends', { from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'shop' }], to: [{ group: '', kind: 'Service', name: 'web' }] }),
    grant('shared', { from: [{ group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'a' }, { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: 'b' }], to: [{ group: '', kind: 'Service' }] }),
    grant('other', { from: [{ group: GATEWAY_GROUP, kind: 'Gateway', namespace: 'shop' }], to: [{ group: '', kind: 'Secret' }] }),
  ]);

  it('always allows a reference inside one namespace', () => {
    expect(grants.allows(route('x'), service('x', 'anything'))).toBe(true);
  });

  it('allows a cross-namespace reference only through a grant in the target namespace naming both sides', () => {
    expect(grants.allows(route('shop'), service('backends', 'web'))).toBe(true);
    expect(grants.allows(route('shop'), service('backends', 'db'))).toBe(false);
    expect(grants.allows(route('elsewhere'), service('backends', 'web'))).toBe(false);
    expect(grants.allows(route('shop'), service('vault', 'web'))).toBe(false);
  });

  it('combines from and to entries by OR, a nameless to allowing every object of its kind', () => {
    expect(grants.allows(route('a'), service('shared', 'x'))).toBe(true);
    expect(grants.allows(route('b'), service('shared', 'y'))).toBe(true);
  });

  it('matches kinds: a grant for Gateways to Secrets does not let HTTPRoutes reach Services', () => {
    expect(grants.allows(route('shop'), service('other', 'x'))).toBe(false);
    expect(grants.allows({ group: GATEWAY_GROUP, kind: 'Gateway', namespace: 'shop' }, { group: '', kind: 'Secret', namespace: 'other', name: 'cert' })).toBe(true);
  });

  it('ignores malformed grants', () => {
    const broken = new ReferenceGrants([grant('z', { from: 'all', to: [7] })]);
    expect(broken.allows(route('shop'), service('z', 'web'))).toBe(false);
  });
});
