import { mkdtemp, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NO_CLIENT_CERTIFICATE, readClientCertificates, tlsClientAuthFor } from './client-certs.ts';

async function file(content: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'edgress-certs-')), 'certs.json');
  await writeFile(path, content);
  return path;
}

const request = (headers: http.IncomingHttpHeaders) => ({ headers }) as http.IncomingMessage;

describe('--client-certs', () => {
  it('fills what a listed certificate leaves out as a verified certificate would have it', async () => {
    const certificates = await readClientCertificates(await file('{"alice": {"certSubjectDNRFC2253": "CN=alice"}}'));
    expect(certificates.get('alice')).toMatchObject({ certPresented: '1', certVerified: 'SUCCESS', certRevoked: '0', certSubjectDNRFC2253: 'CN=alice', certRFC9440: '' });
  });

  it.each([
    ['[]', /must map certificate names/],
    ['{"a": 1}', /"a" must be an object/],
    ['{"a": {"certSubject": "x"}}', /not a tlsClientAuth field/],
    ['{"a": {"certRFC9440TooLarge": "yes"}}', /must be a boolean/],
  ])('refuses %s', async (content, message) => {
    await expect(readClientCertificates(await file(content))).rejects.toThrow(message);
  });

  it('presents a certificate only when the dev header names a listed one', async () => {
    const certificates = await readClientCertificates(await file('{"alice": {}}'));
    expect(tlsClientAuthFor(request({ 'x-edgress-dev-client-cert': 'alice' }), certificates)).toMatchObject({ certPresented: '1' });
    expect(tlsClientAuthFor(request({ 'x-edgress-dev-client-cert': 'bob' }), certificates)).toBe(NO_CLIENT_CERTIFICATE);
    expect(tlsClientAuthFor(request({ 'x-edgress-dev-client-cert': 'alice' }), undefined)).toBe(NO_CLIENT_CERTIFICATE);
    expect(tlsClientAuthFor(request({}), certificates)).toBe(NO_CLIENT_CERTIFICATE);
  });
});
