import { describe, expect, it } from 'vitest';
import { CERT_WITH_SANS as WITH_SANS, CERT_WITHOUT_SANS as WITHOUT_SANS } from '../../../test/fixtures/client-certificates.ts';
import { ipText, subjectAltNames } from './san.ts';

describe('subjectAltNames', () => {
  it("reads DNS names, e-mail addresses, IPs and URIs in Traefik's order", () => {
    expect(subjectAltNames(WITH_SANS)).toEqual([
      'alice.example.com',
      '*.example.org',
      'alice@example.com',
      '10.0.1.2',
      '2001:db8::1',
      'spiffe://example/alice',
    ]);
  });

  it('gives an empty list for a certificate without the extension', () => {
    expect(subjectAltNames(WITHOUT_SANS)).toEqual([]);
  });

  it('gives undefined for what is not a certificate', () => {
    expect(subjectAltNames('not base64!')).toBeUndefined();
    expect(subjectAltNames(btoa('\x30\x82\xff\xff'))).toBeUndefined();
  });
});

describe('ipText (Go net.IP.String)', () => {
  it.each([
    [[10, 0, 1, 2], '10.0.1.2'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1], '192.0.2.1'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1], '2001:db8::1:0:0:1'],
    [[0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1], '2001:db8:1:0:1:1:1:1'],
    [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], '::1'],
  ])('%j → %s', (bytes, text) => {
    expect(ipText(Uint8Array.from(bytes))).toBe(text);
  });
});
