import { describe, expect, it } from 'vitest';
import { digestParams } from './params.ts';

describe('digestParams', () => {
  it('reads tokens and quoted strings, names in any case, with optional whitespace', () => {
    const params = digestParams('Digest username="a \\"b\\"", Realm=traefik ,nc=00000001,uri="/x?a=1,b=2"');
    expect(Object.fromEntries(params ?? [])).toEqual({ username: 'a "b"', realm: 'traefik', nc: '00000001', uri: '/x?a=1,b=2' });
  });

  it.each([
    null,
    'Basic a=b',
    'digest a=b',
    'Digest a',
    'Digest a=',
    'Digest a="b',
    'Digest a="b\\',
    'Digest a=b c=d',
    'Digest a=b,,c=d',
    'Digest a=b, a=c',
    'Digest A=b, a=c',
    'Digest =b',
    `Digest ${Array.from({ length: 17 }, (_, i) => `p${i}=1`).join(',')}`,
    `Digest a="${'x'.repeat(5000)}"`,
  ])('refuses %j', (header) => {
    expect(digestParams(header)).toBeUndefined();
  });
});
