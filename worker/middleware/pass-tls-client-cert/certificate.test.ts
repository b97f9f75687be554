import { describe, expect, it } from 'vitest';
import { goQueryEscape, infosHeader, parseCertificateTime, parseDistinguishedName, pemHeader, type InfoFlags } from './certificate.ts';

const ALL: InfoFlags = { notBefore: true, notAfter: true, sans: true, subject: ['DC', 'C', 'ST', 'L', 'O', 'SN', 'CN'], issuer: ['C', 'O', 'CN'] };

describe('parseDistinguishedName (RFC 2253)', () => {
  it('reads the attributes Traefik reports, in written order', () => {
    expect(parseDistinguishedName('CN=James Royal,OU=Access Admins,O=Access,L=Austin,ST=Texas,C=US')).toEqual([
      ['CN', 'James Royal'],
      ['O', 'Access'],
      ['L', 'Austin'],
      ['ST', 'Texas'],
      ['C', 'US'],
    ]);
  });

  it('decodes escapes, hex pairs, quotes, multi-valued RDNs, OIDs and BER values', () => {
    expect(parseDistinguishedName('CN=Smith\\, John+SERIALNUMBER=42,O=Caf\\C3\\A9,L="Lyon, FR", 2.5.4.6=#13024652, DC=example;DC=com')).toEqual([
      ['CN', 'Smith, John'],
      ['SN', '42'],
      ['O', 'Café'],
      ['L', 'Lyon, FR'],
      ['C', 'FR'],
      ['DC', 'example'],
      ['DC', 'com'],
    ]);
  });
});

describe('parseCertificateTime', () => {
  it('reads the platform form as Unix seconds', () => {
    expect(parseCertificateTime('Dec 22 19:39:00 2018 GMT')).toBe(1545507540);
    expect(parseCertificateTime('Jul  1 00:00:00 2030 GMT')).toBe(1909094400);
    expect(parseCertificateTime('2018-12-22')).toBeUndefined();
  });
});

describe('goQueryEscape', () => {
  it('escapes as Go url.QueryEscape', () => {
    expect(goQueryEscape(`Subject="CN=a b,O=x!'()*~"`)).toBe('Subject%3D%22CN%3Da+b%2CO%3Dx%21%27%28%29%2A~%22');
  });
});

describe('infosHeader', () => {
  const facts = {
    certSubjectDNRFC2253: 'CN=*.cheese.org,O=Cheese,O=Cheese 2,L=Lyon,ST=SomeState,C=FR,DC=cheese,DC=org',
    certIssuerDN: 'CN=Cheese CA,O=Cheese,C=FR',
    certNotBefore: 'Jul 18 08:00:16 2018 GMT',
    certNotAfter: 'Jul 18 08:00:16 2019 GMT',
  };

  it("writes Traefik's format for the leaf: fields in Traefik's order, values in certificate order", () => {
    const value = infosHeader(facts, ALL);
    expect(decodeURIComponent((value ?? '').replace(/\+/g, ' '))).toBe(
      'Subject="DC=org,DC=cheese,C=FR,ST=SomeState,L=Lyon,O=Cheese 2,Cheese,CN=*.cheese.org",' +
        'Issuer="C=FR,O=Cheese,CN=Cheese CA",NB=1531900816,NA=1563436816',
    );
  });

  it('writes only what is asked for and known', () => {
    expect(infosHeader(facts, { notBefore: false, notAfter: true, sans: true, subject: ['CN'], issuer: [] })).toBe(goQueryEscape('Subject="CN=*.cheese.org",NA=1563436816'));
    expect(infosHeader({}, ALL)).toBeUndefined();
  });
});

describe('pemHeader', () => {
  it('sends each certificate body (leaf first) escaped, joined by commas', () => {
    expect(pemHeader({ certRFC9440: ':MIIBa+b/c=:', certChainRFC9440: ':MIIC1==:, :MIIC2:' })).toBe('MIIBa%2Bb%2Fc%3D,MIIC1%3D%3D,MIIC2');
    expect(pemHeader({ certRFC9440: '' })).toBeUndefined();
  });
});
